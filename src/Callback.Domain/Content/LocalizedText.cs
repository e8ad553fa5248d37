using System.Globalization;

namespace Callback.Domain.Content;

/// <summary>
/// A text shipped with the application in French, the language the units work in, and in English.
/// </summary>
public sealed record LocalizedText(string Fr, string En)
{
    /// <summary>The English text for an English culture, the French one for any other.</summary>
    public string In(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "en" ? En : Fr;
    }

    /// <summary>The French text: what a unit reads when nobody chose a language.</summary>
    public override string ToString() => Fr;

    internal static LocalizedText Join(IEnumerable<LocalizedText> texts, string separator)
    {
        var list = texts.ToList();
        return new LocalizedText(string.Join(separator, list.Select(t => t.Fr)), string.Join(separator, list.Select(t => t.En)));
    }
}
