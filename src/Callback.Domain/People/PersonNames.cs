using System.Globalization;
using System.Text;

namespace Callback.Domain.People;

/// <summary>
/// The keys a name or an address is found by, whoever typed it and however: lower case, without accents (the text is
/// decomposed and its non-spacing marks dropped), punctuation as spaces. A phonetic key catches the spellings a caller's
/// name is given over the phone (Lefèvre, Lefebvre; Catherine, Katrine; Dupont, Dupond).
/// </summary>
public static class PersonNames
{
    /// <summary>Tokens shorter than this are initials or particles, too common to find anyone by.</summary>
    private const int MinTokenLength = 2;

    /// <summary>Lower case, no accents, letters and digits only, one space between words; "" for nothing.</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            // Ligatures a records system keeps (Œuvre, Lætitia) read as their letters.
            var folded = ch switch
            {
                'œ' or 'Œ' => "oe",
                'æ' or 'Æ' => "ae",
                'ß' => "ss",
                _ => char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch).ToString() : null,
            };
            if (folded is null)
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(folded);
        }

        return result.ToString();
    }

    /// <summary>The words of a name, normalised, each once, initials left out: "Jean-Pierre  DUPONT" gives jean, pierre, dupont.</summary>
    public static IReadOnlyList<string> Tokens(params string?[] parts) =>
        parts.SelectMany(p => Normalise(p).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(t => t.Length >= MinTokenLength).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The whole name whatever the order its words are written in ("DUPONT Marie" and "Marie Dupont" give the same key),
    /// or null when it has no word.
    /// </summary>
    public static string? FullNameKey(params string?[] parts)
    {
        var tokens = Tokens(parts).Order(StringComparer.Ordinal).ToList();
        return tokens.Count == 0 ? null : string.Join(' ', tokens);
    }

    /// <summary>
    /// A French-aware phonetic key of one word, in the manner of Soundex: French spellings of one sound are rewritten to
    /// one letter first (ph → f, qu → k, c before e/i/y → s, eau/au → o, silent endings dropped), then the first letter is
    /// kept and the consonants after it are coded by Soundex's groups, vowels dropped and repeats merged.
    /// </summary>
    public static string Phonetic(string word)
    {
        var w = Normalise(word).Replace(" ", "", StringComparison.Ordinal);
        if (w.Length == 0 || !w.All(char.IsAsciiLetter))
        {
            return w;
        }

        w = Rewrite(w);
        if (w.Length == 0)
        {
            return "";
        }

        var key = new StringBuilder().Append(w[0]);
        var last = Code(w[0]);
        for (var i = 1; i < w.Length; i++)
        {
            var code = Code(w[i]);
            if (code != '0' && code != last)
            {
                key.Append(code);
            }

            if (code != '0')
            {
                last = code;
            }
        }

        return key.ToString();
    }

    /// <summary>An address as one key: normalised, the usual abbreviations written out, articles dropped.</summary>
    public static string? AddressKey(string? address)
    {
        var words = Normalise(address).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => AddressWords.GetValueOrDefault(w, w))
            .Where(w => !AddressArticles.Contains(w))
            .ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }

    private static readonly Dictionary<string, string> AddressWords = new(StringComparer.Ordinal)
    {
        ["r"] = "rue", ["av"] = "avenue", ["ave"] = "avenue", ["bd"] = "boulevard", ["bld"] = "boulevard", ["boul"] = "boulevard",
        ["pl"] = "place", ["ch"] = "chemin", ["chem"] = "chemin", ["imp"] = "impasse", ["all"] = "allee", ["rte"] = "route",
        ["st"] = "saint", ["ste"] = "sainte", ["sq"] = "square", ["fg"] = "faubourg", ["fbg"] = "faubourg", ["qu"] = "quai",
        ["res"] = "residence", ["lot"] = "lotissement", ["apt"] = "appartement", ["appt"] = "appartement",
    };

    private static readonly HashSet<string> AddressArticles = new(StringComparer.Ordinal) { "de", "du", "des", "la", "le", "les", "l", "d" };

    private static readonly (string From, string To)[] Spellings =
    [
        ("eaux", "o"), ("eau", "o"), ("aux", "o"), ("au", "o"), ("ph", "f"), ("sch", "s"), ("ch", "s"), ("sh", "s"),
        ("qu", "k"), ("ck", "k"), ("gu", "g"), ("ge", "je"), ("gi", "ji"), ("gy", "ji"), ("ce", "se"), ("ci", "si"), ("cy", "si"),
        ("c", "k"), ("q", "k"), ("x", "ks"), ("z", "s"), ("w", "v"), ("y", "i"), ("h", ""), ("ai", "e"), ("ei", "e"),
    ];

    private static string Rewrite(string w)
    {
        foreach (var (from, to) in Spellings)
        {
            w = w.Replace(from, to, StringComparison.Ordinal);
        }

        // Letters a French ending does not sound: Dupont and Dupond, Martine and Martin, Durand and Durant.
        while (w.Length > 2 && w[^1] is 'e' or 's' or 't' or 'd' or 'x')
        {
            w = w[..^1];
        }

        return w;
    }

    // Soundex's groups: b f p v; c g j k q s x z; d t; l; m n; r. Vowels are '0'.
    private static char Code(char ch) => ch switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0',
    };
}
