using System.Buffers;
using System.Globalization;

namespace Callback.Domain.Intake;

/// <summary>
/// Characters no text of a case may hold, whatever way it comes in (the intake API, the manual form, a file): control
/// characters (C0, DEL, C1), which break read-backs, exports and terminals (a reference ending in NUL cannot be asked
/// for again); bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name or a note read
/// differently from what is stored; and zero-width characters (U+200B–U+200D, U+2060, U+FEFF), which make two equal-looking
/// references or names differ. A multi-line field keeps its tabs and line breaks; a one-line field keeps none.
/// </summary>
public static class UnsafeCharacters
{
    private static readonly SearchValues<char> SingleLine = SearchValues.Create(Build(multiline: false));
    private static readonly SearchValues<char> MultiLine = SearchValues.Create(Build(multiline: true));

    /// <summary>The first forbidden character of <paramref name="text"/>, or null when it holds none.</summary>
    public static char? FirstIn(ReadOnlySpan<char> text, bool multiline)
    {
        var at = text.IndexOfAny(multiline ? MultiLine : SingleLine);
        return at < 0 ? null : text[at];
    }

    /// <summary>The character as Unicode names it in a message: <c>U+202E</c>.</summary>
    public static string CodeOf(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static string Build(bool multiline)
    {
        var forbidden = new List<char>();
        for (var c = '\u0000'; c <= '\u001F'; c++)
        {
            if (!(multiline && c is '\t' or '\r' or '\n'))
            {
                forbidden.Add(c);
            }
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            forbidden.Add(c);
        }

        forbidden.AddRange(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF']);
        forbidden.AddRange(['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);
        return new string([.. forbidden]);
    }
}
