using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Callback.Domain.Contact;

/// <summary>
/// The stored form of a set of answers, shared by the danger grid and the call questionnaire:
/// <c>{"form":"danger-grid","version":1,"answers":{"A1":"yes"}}</c>. The form's name guards against reading one form's
/// answers as the other's; its version says which edition of the data file the answers were given to. Keys are sorted
/// so the same answers always give the same text.
/// </summary>
internal static class AnswerSheetJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // French free text stays readable in the column; HTML-sensitive characters are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Write(string form, int version, IEnumerable<KeyValuePair<string, string>> answers) =>
        JsonSerializer.Serialize(new Sheet { Form = form, Version = version, Answers = new SortedDictionary<string, string>(answers.ToDictionary(), StringComparer.Ordinal) }, Options);

    /// <summary>Reads answers written by <see cref="Write"/>; anything else is a <see cref="FormatException"/>.</summary>
    public static (int Version, IReadOnlyDictionary<string, string> Answers) Read(string json, string form)
    {
        ArgumentNullException.ThrowIfNull(json);
        Sheet? sheet;
        try
        {
            sheet = JsonSerializer.Deserialize<Sheet>(json, Options);
        }
        catch (JsonException e)
        {
            // The message names the place, never the content: answers may hold what the victim said.
            throw new FormatException($"The stored {form} answers are not valid JSON (at {e.Path ?? "$"}, line {e.LineNumber + 1}).", e);
        }

        if (sheet is null || sheet.Form != form)
        {
            throw new FormatException($"The stored answers are not {form} answers (form \"{sheet?.Form}\").");
        }

        if (sheet.Version is not { } version || version < 1)
        {
            throw new FormatException($"The stored {form} answers have no version.");
        }

        if (sheet.Answers is null || sheet.Answers.Any(a => string.IsNullOrWhiteSpace(a.Key) || a.Value is null))
        {
            throw new FormatException($"The stored {form} answers have a missing or empty entry.");
        }

        return (version, sheet.Answers);
    }

    private sealed class Sheet
    {
        public string? Form { get; set; }
        public int? Version { get; set; }
        public SortedDictionary<string, string>? Answers { get; set; }
    }
}
