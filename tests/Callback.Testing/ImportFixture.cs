using System.Text;
using Callback.Domain.Intake;

namespace Callback.Testing;

/// <summary>Import files written to disk as spreadsheets write them, and imported through the real importer.</summary>
internal static class ImportFixture
{
    public const string Header = "reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_adresse;auteur_nom;cohabitation;reponse_penale;enfants;notes";

    public static readonly Encoding Utf8WithoutBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    public static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>
    /// A good row of unit CTC-62 from 2020, with any value replaced; values are quoted as RFC 4180 asks. Each reference is
    /// its own victim (her phone and house number come from it, as <see cref="Harness.Facts"/>): rows of one victim are
    /// linked at import and raise each other's danger (issue 19).
    /// </summary>
    public static string Row(
        string reference,
        string unit = "CTC-62",
        string at = "04/01/2020 22:40",
        string offence = "VIOLENCES_CONJUGALES",
        string lastName = "Lefèvre",
        string firstName = "Hélène",
        string? phone = null,
        string? address = null,
        string perpetrator = "Didier Lefèvre",
        string cohabitation = "oui",
        string penal = "non",
        string children = "inconnu",
        string notes = "",
        char separator = ';') =>
        string.Join(separator, new[] { reference, unit, at, offence, lastName, firstName, phone ?? PhoneOf(reference), address ?? $"{Harness.VictimNumber(reference)} rue des Tilleuls, 62000 Arras", perpetrator, cohabitation, penal, children, notes }
            .Select(v => v.AsSpan().IndexOfAny($"{separator}\"\r\n") >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v));

    /// <summary>The phone of the victim of <paramref name="reference"/>'s row, as a spreadsheet writes it.</summary>
    public static string PhoneOf(string reference)
    {
        var n = Harness.VictimNumber(reference);
        return $"06 12 {n / 10_000:00} {n / 100 % 100:00} {n % 100:00}";
    }

    /// <summary>A perpetrator's name of letters only, different for every <paramref name="i"/>: no two rows are linked as one person.</summary>
    public static string DistinctPerpetrator(int i)
    {
        var name = "";
        for (var n = i + (26 * 27); n > 0; n /= 26)
        {
            name = (char)('a' + (n % 26)) + name;
        }

        return "Auteur " + char.ToUpperInvariant(name[0]) + name[1..];
    }

    public static string File(params string[] rows) => string.Join('\n', [Header, .. rows]) + "\n";

    public static async Task<string> WriteAsync(Harness h, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(h.Folder, $"import-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(path, text, encoding ?? Utf8WithoutBom);
        return path;
    }

    public static async Task<ImportReport> ImportAsync(
        this Harness h, string text, Encoding? encoding = null, string campaign = "Réexamen 2020", string? defaultUnit = null, IProgress<ImportProgress>? progress = null)
    {
        await using var stream = System.IO.File.OpenRead(await WriteAsync(h, text, encoding));
        return await h.Importer.ImportAsync(stream, new ImportRequest(campaign, Harness.Admin, defaultUnit), progress, TestContext.Current.CancellationToken);
    }

    public static async Task<ImportReport> DryRunAsync(this Harness h, string text, string campaign = "Réexamen 2020")
    {
        await using var stream = System.IO.File.OpenRead(await WriteAsync(h, text));
        return await h.Importer.DryRunAsync(stream, new ImportRequest(campaign, Harness.Admin), null, TestContext.Current.CancellationToken);
    }

    /// <summary>Reports kept in order, on the caller's thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
    public sealed class RecordingProgress : IProgress<ImportProgress>
    {
        public List<ImportProgress> Reports { get; } = [];

        public void Report(ImportProgress value) => Reports.Add(value);
    }
}
