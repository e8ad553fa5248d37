using PhoneNumbers;

namespace Callback.Domain.Intake;

/// <summary>
/// Reads a phone number as French files write it and gives its E.164 form, checked by libphonenumber. Within France
/// the overseas départements are dialled like the mainland (0692 … for La Réunion), so a number written nationally is
/// read in the region its first four digits belong to; a number written with <c>+</c> or <c>00</c> carries its own.
/// </summary>
public static class FrenchPhoneNumbers
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>National prefixes of the overseas départements (ARCEP plan); every other national number is mainland.</summary>
    private static readonly Dictionary<string, string> OverseasPrefixes = new(StringComparer.Ordinal)
    {
        ["0262"] = "RE", ["0263"] = "RE", ["0692"] = "RE", ["0693"] = "RE",
        ["0269"] = "YT", ["0639"] = "YT",
        ["0590"] = "GP", ["0690"] = "GP", ["0691"] = "GP",
        ["0596"] = "MQ", ["0696"] = "MQ", ["0697"] = "MQ",
        ["0594"] = "GF", ["0694"] = "GF",
    };

    /// <summary>The number in E.164 (+33612345678), or null when <paramref name="text"/> is not a valid phone number.</summary>
    public static string? ToE164(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compact = Compact(text);
        if (compact.Length == 0)
        {
            return null;
        }

        // A spreadsheet that took the column for numbers dropped the leading zero: 612345678 was 06 12 34 56 78.
        if (compact.Length == 9 && compact[0] is >= '1' and <= '9')
        {
            compact = "0" + compact;
        }

        var region = compact.Length >= 4 && OverseasPrefixes.TryGetValue(compact[..4], out var overseas) ? overseas : "FR";
        try
        {
            var number = Numbers.Parse(compact, region);
            return Numbers.IsValidNumber(number) ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Digits and a leading plus only: spaces, dots, dashes, slashes, brackets and "(0)" go.</summary>
    private static string Compact(string text)
    {
        var trimmed = text.Replace("(0)", "", StringComparison.Ordinal).Trim();
        Span<char> buffer = stackalloc char[Math.Min(trimmed.Length, 64)];
        var length = 0;
        foreach (var ch in trimmed)
        {
            if (char.IsAsciiDigit(ch) || (ch == '+' && length == 0))
            {
                if (length == buffer.Length)
                {
                    return "";
                }

                buffer[length++] = ch;
            }
            else if (!(char.IsWhiteSpace(ch) || ch is '.' or '-' or '/' or '(' or ')'))
            {
                // Letters or other signs: not a number someone can dial.
                return "";
            }
        }

        return new string(buffer[..length]);
    }
}
