using System.Text.Json;
using System.Text.Json.Serialization;

namespace Callback.Domain.Content;

/// <summary>
/// Reads the JSON files embedded in this assembly. The files are deserialised into loose shapes (every field nullable)
/// and then checked field by field, so a missing or misspelt field is reported with its place instead of becoming a
/// silent default.
/// </summary>
internal static class EmbeddedData
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // The files carry a header comment saying why their content is what it is.
        ReadCommentHandling = JsonCommentHandling.Skip,
        // A misspelt field ("rde": true) must fail, not be ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The text of the embedded file <paramref name="fileName"/> (see the EmbeddedResource items of the project).</summary>
    public static string ReadText(string fileName)
    {
        var name = $"Callback.Domain.Data.{fileName}";
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? throw new DataFileException(fileName, [$"the resource {name} is not embedded in {typeof(EmbeddedData).Assembly.GetName().Name}"]);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static T Deserialize<T>(string json, string file)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new DataFileException(file, ["$: the file holds null"]);
        }
        catch (JsonException e)
        {
            throw new DataFileException(file, $"{e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }
}

/// <summary>A French and English text as the data files write it; checked before it becomes a <see cref="LocalizedText"/>.</summary>
internal sealed class TextDto
{
    public string? Fr { get; set; }
    public string? En { get; set; }

    /// <summary>The text, or null after adding a problem for each missing language.</summary>
    public static LocalizedText? Check(TextDto? text, string where, List<string> problems, bool required = true)
    {
        if (text is null)
        {
            if (required)
            {
                problems.Add($"{where}: missing (give \"fr\" and \"en\")");
            }

            return null;
        }

        var ok = true;
        if (string.IsNullOrWhiteSpace(text.Fr))
        {
            problems.Add($"{where}.fr: the French text is missing");
            ok = false;
        }

        if (string.IsNullOrWhiteSpace(text.En))
        {
            problems.Add($"{where}.en: the English text is missing");
            ok = false;
        }

        return ok ? new LocalizedText(text.Fr!.Trim(), text.En!.Trim()) : null;
    }
}

/// <summary>The walk every data file makes over its lists: each entry checked in its place, a bad one reported and left out.</summary>
internal static class DataChecks
{
    /// <summary>
    /// Checks each entry of <paramref name="list"/> at <c>name[i] (label)</c>; <paramref name="check"/> sees the entries
    /// accepted so far (to refuse a duplicate id or a reference forward). An entry that added a problem is left out.
    /// </summary>
    public static List<T> Each<TDto, T>(List<TDto?>? list, string name, Func<TDto, string?> label, Func<TDto, string, IReadOnlyList<T>, T?> check, List<string> problems)
        where TDto : class
        where T : class
    {
        var accepted = new List<T>();
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            if (list![i] is not { } dto)
            {
                problems.Add($"{name}[{i}]: the entry is null");
                continue;
            }

            var before = problems.Count;
            var where = label(dto) is { Length: > 0 } l ? $"{name}[{i}] ({l})" : $"{name}[{i}]";
            if (check(dto, where, accepted) is { } value && problems.Count == before)
            {
                accepted.Add(value);
            }
        }

        return accepted;
    }

    /// <summary>The label of an entry named by its id: <c>id "V1"</c>.</summary>
    public static string? Id(string? id) => string.IsNullOrEmpty(id) ? null : $"id \"{id}\"";
}
