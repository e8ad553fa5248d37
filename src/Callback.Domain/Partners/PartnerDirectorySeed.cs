using Callback.Domain.Content;

namespace Callback.Domain.Partners;

/// <summary>
/// The partner directory the application starts with, embedded as <c>Partners/Data/partners.json</c>: the national
/// numbers and, for the demo départements, a victim-support association and a social worker each.
/// </summary>
public static class PartnerDirectorySeed
{
    public const string FileName = "partners.json";

    /// <summary>
    /// New, unsaved partners from the shipped seed. Each call builds new objects, so that a context can track them
    /// without meeting instances another context already saw.
    /// </summary>
    public static IReadOnlyList<Partner> Load() => Parse(EmbeddedData.ReadText(FileName), FileName);

    /// <summary>Reads a seed; every problem is reported at once with its place.</summary>
    /// <exception cref="DataFileException">The JSON is malformed, or an entry is incomplete or invalid.</exception>
    public static IReadOnlyList<Partner> Parse(string json, string source)
    {
        var file = EmbeddedData.Deserialize<SeedFile>(json, source);
        var problems = new List<string>();
        var partners = new List<Partner>();
        if (file.National is not { Count: > 0 })
        {
            problems.Add("national: the national partners are missing");
        }

        partners.AddRange(Read(file.National, null, "national", problems));
        foreach (var (departement, entries) in file.Departements ?? [])
        {
            partners.AddRange(Read(entries, departement, $"departements.{departement}", problems));
        }

        if (problems.Count > 0)
        {
            throw new DataFileException(source, problems);
        }

        return partners;
    }

    private static List<Partner> Read(List<EntryDto?>? entries, string? departement, string where, List<string> problems) =>
        DataChecks.Each<EntryDto, Partner>(entries, where, e => e.Name is { Length: > 0 } name ? $"\"{name}\"" : null, (entry, at, _) =>
        {
            if (DataNames.Parse<PartnerKind>(entry.Kind, $"{at}.kind", problems) is not { } kind)
            {
                return null;
            }

            try
            {
                return new Partner(departement, kind, entry.Name ?? "", entry.Phone ?? "", entry.Email, entry.Address, entry.Notes);
            }
            catch (ArgumentException e)
            {
                problems.Add($"{at}: {e.Message}");
                return null;
            }
        }, problems);

    private sealed class SeedFile
    {
        public List<EntryDto?>? National { get; set; }
        public Dictionary<string, List<EntryDto?>?>? Departements { get; set; }
    }

    private sealed class EntryDto
    {
        public string? Kind { get; set; }
        public string? Name { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Address { get; set; }
        public string? Notes { get; set; }
    }
}
