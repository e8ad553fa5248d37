using System.Diagnostics;
using System.Globalization;
using System.Text;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Bench;

/// <summary>
/// A re-examination campaign: N generated rows imported into a fresh database through the real importer (read,
/// checked, deduplicated, cases opened with campaign deadlines, one chained audit entry each, alarms armed), beside the
/// floor under it: the very case rows it wrote, inserted again by hand into another fresh database.
/// </summary>
internal static class ImportScenario
{
    private const string Header = "reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_adresse;auteur_nom;cohabitation;reponse_penale;enfants;notes";
    private static readonly string[] Offences = ["VIOLENCES_CONJUGALES", "VIOLENCES_INTRAFAMILIALES", "VIOL", "AGRESSION_SEXUELLE", "HARCELEMENT", "MENACES", "AUTRE"];
    private static readonly string[] LastNames = ["Lefebvre", "Caron", "Duhamel", "Lemaire", "Vasseur", "Dupuis", "Fournier", "Mercier", "Roussel", "Payet"];
    private static readonly string[] FirstNames = ["Nadia", "Émilie", "Sophie", "Chantal", "Julie", "Camille", "Laetitia", "Aurélie", "Inès", "Josiane"];
    private static readonly string[] Answers = ["oui", "non", "inconnu"];
    internal static readonly string[] Streets = ["rue des Lilas", "avenue Foch", "boulevard de la République", "rue Victor Hugo", "place du Marché",
        "rue de la Gare", "chemin des Prés", "rue Pasteur", "allée des Tilleuls", "rue Jean Jaurès"];

    public static async Task<IEnumerable<BenchRow>> RunAsync(int count, string? postgres)
    {
        Console.Error.WriteLine($"import: {count} rows as one campaign, then the same case rows as raw inserts");
        double seconds, baseline;
        int repeats;
        await using (var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: true))
        {
            (seconds, var campaignId, repeats) = await ImportAsync(host, count);
            baseline = await RawInsertsAsync(host.DatabaseFile, campaignId);
            Console.Error.WriteLine($"  raw inserts {baseline:0.00} s");
        }

        var goal = 10.0 * count / 100_000;
        var rows = new List<BenchRow>
        {
            new($"import of {count} rows as a campaign, matching each victim and perpetrator ({repeats} repeat files linked) (s)", F(seconds), "raw Microsoft.Data.Sqlite inserts of the same case rows (1 transaction)", F(baseline),
                (seconds / baseline).ToString("0.00", CultureInfo.InvariantCulture), "<= 10 s for 100,000 rows", seconds <= goal),
        };
        if (postgres is not null)
        {
            Console.Error.WriteLine($"import: {count} rows as one campaign on PostgreSQL");
            await using var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: true, postgres: postgres);
            var (pg, _, _) = await ImportAsync(host, count);
            rows.Add(new($"import of {count} rows as a campaign on PostgreSQL (s)", F(pg), "the same on SQLite (above)", F(seconds),
                (pg / seconds).ToString("0.00", CultureInfo.InvariantCulture), "", true));
        }

        return rows;
    }

    /// <summary>Times one import through the real importer (after an untimed warm-up) and checks the audit chain.</summary>
    private static async Task<(double Seconds, int CampaignId, int Repeats)> ImportAsync(BenchHost host, int count)
    {
        var admin = Actor.User("bench-admin", null, null, Roles.Admin);
        var importer = host.Services.GetRequiredService<CaseImporter>();
        // The first import pays for JIT and caches; it is not timed, and its 300 cases barely change the database.
        await importer.ImportAsync(new MemoryStream(Csv(300, "W", firstPerson: 500_000)), new ImportRequest("warm-up", admin));

        var file = Csv(count, "62-2020");
        var watch = Stopwatch.StartNew();
        var report = await importer.ImportAsync(new MemoryStream(file), new ImportRequest("Réexamen bench", admin));
        watch.Stop();
        if (report.IsRefused || report.Created.Count != count)
        {
            throw new InvalidOperationException($"the import created {report.Created.Count} of {count} cases: {report.Refusal ?? string.Join("; ", report.Rejections.Take(5))}");
        }

        await using (var db = await host.Databases.CreateDbContextAsync())
        {
            var verified = await AuditWriter.VerifyAsync(db, CancellationToken.None);
            if (!verified.IsIntact)
            {
                throw new InvalidOperationException(verified.Message);
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var repeats = report.Created.Count(r => r.IsRepeat);
        Console.Error.WriteLine($"  import {seconds:0.00} s ({count / seconds:0} rows/s, file {file.Length / 1024 / 1024.0:0.0} MB), {repeats} repeat files linked and raised");
        return (seconds, report.CampaignId!.Value, repeats);
    }

    /// <summary>
    /// The floor: the campaign's case rows, read back from the imported database, inserted into the Cases table of a
    /// fresh one (same schema and indexes, same pragmas) with one prepared INSERT per row in one transaction. No
    /// parsing, no checks, no audit, no hashing.
    /// </summary>
    private static async Task<double> RawInsertsAsync(string importedFile, int campaignId)
    {
        var rows = new List<object[]>();
        string[] columns;
        await using (var source = new SqliteConnection($"Data Source={importedFile};Pooling=False"))
        {
            await source.OpenAsync();
            await using var read = source.CreateCommand();
            read.CommandText = "SELECT * FROM \"Cases\" WHERE \"CampaignId\" = $campaign";
            read.Parameters.AddWithValue("$campaign", campaignId);
            await using var reader = await read.ExecuteReaderAsync();
            columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            while (await reader.ReadAsync())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(values);
            }
        }

        await using var fresh = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: false);
        await using var connection = new SqliteConnection($"Data Source={fresh.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using (var copy = connection.CreateCommand())
        {
            // The cases refer to their campaign: the same row goes first, untimed.
            copy.CommandText = "ATTACH DATABASE $file AS source; INSERT INTO \"Campaigns\" SELECT * FROM source.\"Campaigns\" WHERE \"Id\" = $campaign; DETACH DATABASE source;";
            copy.Parameters.AddWithValue("$file", importedFile);
            copy.Parameters.AddWithValue("$campaign", campaignId);
            await copy.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"Cases\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        insert.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i];
            }

            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A campaign file as a records system exports it: French dates, varied phone writings, some multi-line notes. Its
    /// victims are people <paramref name="firstPerson"/> onwards, each with her own phone and address (under a million).
    /// </summary>
    private static byte[] Csv(int count, string prefix, int firstPerson = 0)
    {
        var random = new Random(7);
        var csv = new StringBuilder(count * 220).Append(Header).Append('\n');
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < count; i++)
        {
            // Daytime hours only: a night-time instant could fall in the hour the clocks skip in March.
            var at = start.AddDays(random.Next(0, 700)).AddHours(random.Next(8, 23)).AddMinutes(random.Next(0, 60));
            // Each row its own victim, but one in twenty a woman of a row a thousand earlier (repeat victimisation).
            var p = firstPerson + (i % 20 == 19 && i >= 1_000 ? i - 997 : i);
            var (d1, d2, d3) = (p / 10_000 % 100, p / 100 % 100, p % 100);
            var phone = (p % 3) switch
            {
                0 => $"06 12 {d1:D2} {d2:D2} {d3:D2}",
                1 => $"+33 7 81 {d1:D2} {d2:D2} {d3:D2}",
                _ => $"06.45.{d1:D2}.{d2:D2}.{d3:D2}",
            };
            var notes = (i % 10) switch
            {
                0 => "\"Appel des voisins ; cris entendus.\nPlainte déposée le lendemain.\"",
                5 => "Suivi France Victimes proposé",
                _ => "",
            };
            csv.Append(CultureInfo.InvariantCulture, $"{prefix}-{i:D6};BENCH;{at.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)};{Offences[i % Offences.Length]};")
                .Append(CultureInfo.InvariantCulture, $"{LastNames[p % LastNames.Length]};{FirstNames[(p / 10) % FirstNames.Length]};{phone};")
                .Append(CultureInfo.InvariantCulture, $"{p % 300 + 1} {Streets[p / 300 % Streets.Length]}, Commune {p / 3_000};{LastNames[(p + 3) % LastNames.Length]} Marc;")
                .Append(CultureInfo.InvariantCulture, $"{Answers[i % 3]};{(i % 2 == 0 ? "oui" : "non")};{Answers[(i / 3) % 3]};{notes}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static string F(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
