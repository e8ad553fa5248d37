using System.Diagnostics;
using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.People;
using Callback.Domain.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Bench;

/// <summary>
/// Finding a victim (issue 19) on a database of N cases, each with its own victim (a phone, a name of some 3,200
/// surnames and 40 first names, an address) and her search keys as intake writes them. Measured through the real
/// <see cref="CaseSearch"/> (key lookup, scope split, summaries, and the audit entry every search writes) beside a
/// hand-written SQL query that returns the same files from the same index, without the audit entry.
/// </summary>
/// <remarks>
/// Units as in <see cref="QueueScenario"/>: the officer belongs to the busiest unit (one case in fifty). A phone search
/// is for one of her unit's victims, written as a caller says it (06 12 34 56 78); a name search is first and last
/// name of one of her victims: the surname alone is shared by some 300 files across the units, so the lookup reads
/// every one of them before keeping those whose first name agrees.
/// </remarks>
internal static class SearchScenario
{
    private static readonly string[] PeopleColumns = ["$n", "$id", "$first", "$last", "$phone", "$address", "$unit"];
    private static readonly string[] KeyColumns = ["$case", "$role", "$kind", "$value"];
    private static readonly string[] Syllables = ["ma", "ru", "lo", "be", "ca", "di", "fa", "ge", "ja", "ki", "le", "mo", "no", "pa", "ri", "sa", "to", "va", "vi", "zo"];
    private static readonly string[] Endings = ["t", "rd", "ux", "nd", "l", "s", "x", "n"];
    private static readonly string[] FirstNames = ["Nadia", "Émilie", "Sophie", "Chantal", "Julie", "Camille", "Laetitia", "Aurélie", "Inès", "Josiane",
        "Manon", "Léa", "Chloé", "Sarah", "Océane", "Marine", "Pauline", "Justine", "Mélanie", "Audrey", "Céline", "Karine", "Sandrine", "Nathalie",
        "Isabelle", "Valérie", "Sylvie", "Martine", "Monique", "Brigitte", "Fatima", "Samira", "Yasmine", "Leïla", "Amandine", "Élodie", "Coralie",
        "Virginie", "Stéphanie", "Delphine"];

    public static async Task<IEnumerable<BenchRow>> RunAsync(int count)
    {
        Console.Error.WriteLine($"search: phone and name searches at {count} cases");
        await using var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: false);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var firstOther = await QueueScenario.AddUnitsAsync(host);
        await host.CreateContactCasesAsync([now.AddHours(30)]);
        var fill = Stopwatch.StartNew();
        var keys = await FillAsync(host.DatabaseFile, count, host.UnitId, firstOther);
        Console.Error.WriteLine($"  {count} cases and {keys} search keys written in {fill.Elapsed.TotalSeconds:0.0} s");

        var search = new CaseSearch(host.Databases, TimeProvider.System, NullLogger<CaseSearch>.Instance);
        var officer = Actor.User("bench-officer", host.UnitId, "62", Roles.Officer);
        string connectionString;
        await using (var db = await host.Databases.CreateDbContextAsync())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        var rows = new List<BenchRow>();
        // Victims of the officer's unit (n % 50 == 0), a different one each run.
        foreach (var kind in new[] { "phone", "name" })
        {
            var random = new Random(11);
            int Next() => 50 * random.Next(1, count / 50);
            var app = await QueueScenario.TimeAsync(async () =>
            {
                var n = Next();
                var found = await search.SearchAsync(kind == "phone" ? SpokenPhone(n) : $"{First(n)} {Last(n)}", "bench", officer);
                return found.Hits.Count;
            });
            random = new Random(11);
            var hand = await QueueScenario.TimeAsync(() => HandWrittenAsync(connectionString, kind, Next(), officer.UnitId!.Value));
            if (app.Rows != hand.Rows)
            {
                throw new InvalidOperationException($"{kind}: the search found {app.Rows} files in scope, the hand-written query {hand.Rows}");
            }

            Console.Error.WriteLine($"  {kind}: {app.Rows} hits in scope (last run), CaseSearch p50 {app.P50:0.00} ms p95 {app.P95:0.00} ms; hand SQL p50 {hand.P50:0.00} ms p95 {hand.P95:0.00} ms");
            rows.Add(new BenchRow($"search by {kind} at {count:N0} cases, officer of the busiest unit: p95 (ms)", $"{app.P95:0.00}",
                "hand-written SQL, same files, same index, no audit entry", $"{hand.P95:0.00}", $"{app.P95 / hand.P95:0.00}", "p95 <= 50 ms", app.P95 <= 50));
            rows.Add(new BenchRow("  same, p50 (ms)", $"{app.P50:0.00}", "hand-written SQL", $"{hand.P50:0.00}", $"{app.P50 / hand.P50:0.00}", "", true));
        }

        return rows;
    }

    private static string Last(int n) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Syllables[n % 20] + Syllables[n / 20 % 20] + Endings[n / 400 % 8]);

    private static string First(int n) => FirstNames[n / 3_200 % FirstNames.Length];

    private static string Phone(int n) => $"+336{10_000_000 + n:D8}";

    private static string SpokenPhone(int n)
    {
        var national = $"0{Phone(n)[3..]}";
        return string.Join(' ', national.Chunk(2).Select(d => new string(d)));
    }

    private static string Address(int n) => $"{n % 300 + 1} {ImportScenario.Streets[n / 300 % ImportScenario.Streets.Length]}, Commune {n / 3_000}";

    private static int UnitOf(int n, int busyUnit, int firstOther) => n % 50 == 0 ? busyUnit : firstOther + (n % 499);

    /// <summary>
    /// Copies the one case the workflow created N times, each with a victim of its own, and writes each case's keys
    /// exactly as <see cref="PersonKey.Of(Guid, NewCase)"/> makes them. Plain SQL: it only sets the scene.
    /// </summary>
    private static async Task<long> FillAsync(string databaseFile, int count, int busyUnit, int firstOther)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        var columns = await SceneSql.CaseColumnsAsync(connection);

        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TEMP TABLE People (N INTEGER PRIMARY KEY, Id TEXT, First TEXT, Last TEXT, Phone TEXT, Address TEXT, Unit INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        var ids = new string[count + 1];
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using (var person = connection.CreateCommand())
        {
            person.Transaction = transaction;
            person.CommandText = "INSERT INTO People VALUES ($n, $id, $first, $last, $phone, $address, $unit)";
            var p = PeopleColumns.Select(name => person.Parameters.Add(new SqliteParameter(name, null))).ToArray();
            person.Prepare();
            for (var n = 1; n <= count; n++)
            {
                ids[n] = Guid.NewGuid().ToString().ToUpperInvariant();
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value, p[6].Value) =
                    (n, ids[n], First(n), Last(n), Phone(n), Address(n), UnitOf(n, busyUnit, firstOther));
                await person.ExecuteNonQueryAsync();
            }
        }

        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = "p.Id",
            ["FileReference"] = "'Q-' || p.N",
            ["UnitId"] = "p.Unit",
            ["Victim_FirstName"] = "p.First",
            ["Victim_LastName"] = "p.Last",
            ["Victim_Phone"] = "p.Phone",
            ["Victim_Address"] = "p.Address",
            ["State"] = "CASE WHEN p.N % 20 = 1 THEN 1 ELSE 4 END",
            ["AlarmDueUtc"] = "NULL",
            ["Danger"] = "p.N % 4",
            ["ClaimedBy"] = "NULL",
            ["ClaimExpiresAtUtc"] = "NULL",
        };
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandTimeout = 0;
            insert.CommandText = $"""
                INSERT INTO Cases ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
                SELECT {string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var expression) ? expression : $"t.\"{c}\""))}
                FROM People AS p, (SELECT * FROM Cases LIMIT 1) AS t
                """;
            await insert.ExecuteNonQueryAsync();
        }

        long keys = 0;
        await using (var key = connection.CreateCommand())
        {
            key.Transaction = transaction;
            key.CommandText = "INSERT INTO \"PersonKeys\" (\"CaseId\", \"Role\", \"Kind\", \"Value\") VALUES ($case, $role, $kind, $value)";
            var k = KeyColumns.Select(name => key.Parameters.Add(new SqliteParameter(name, null))).ToArray();
            key.Prepare();
            for (var n = 1; n <= count; n++)
            {
                var facts = new NewCase($"Q-{n}", DateTime.UnixEpoch, OffenceCategory.Threats, new Victim(First(n), Last(n), Phone(n), Address(n)),
                    new Perpetrator($"{Last(n + 7)} Marc", TriState.Unknown));
                foreach (var pk in PersonKey.Of(Guid.Parse(ids[n]), facts))
                {
                    (k[0].Value, k[1].Value, k[2].Value, k[3].Value) = (ids[n], (int)pk.Role, (int)pk.Kind, pk.Value);
                    await key.ExecuteNonQueryAsync();
                    keys++;
                }
            }
        }

        await transaction.CommitAsync();
        await using (var analyse = connection.CreateCommand())
        {
            analyse.CommandText = "ANALYZE;";
            await analyse.ExecuteNonQueryAsync();
        }

        return keys;
    }

    /// <summary>
    /// The same search by hand: the number read to E.164, or the sounds of both words of the name as keys of the same person, the
    /// files read with their unit, those in the officer's unit kept and the others counted. No audit entry.
    /// </summary>
    private static async Task<int> HandWrittenAsync(string connectionString, string kind, int n, int unitId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var match = kind == "phone"
            ? "SELECT CaseId FROM PersonKeys WHERE Value = $phone AND Kind = 1"
            : """
              SELECT a.CaseId FROM PersonKeys AS a JOIN PersonKeys AS b ON b.Value = $first AND b.Kind = 3 AND b.CaseId = a.CaseId AND b.Role = a.Role
              WHERE a.Value = $last AND a.Kind = 3
              """;
        command.CommandText = $"""
            SELECT c.Id, c.FileReference, u.Code, c.UnitId, c.State, c.DueAtUtc, c.Danger, c.Tier, c.Victim_FirstName, c.Victim_LastName, c.CreatedAtUtc
            FROM Cases AS c JOIN Units AS u ON u.Id = c.UnitId
            WHERE c.Id IN ({match})
            """;
        command.Parameters.AddWithValue("$phone", Phone(n));
        // Both words by their sound, as the search does (a word's own spelling has its sound too).
        command.Parameters.AddWithValue("$first", PersonNames.Phonetic(PersonNames.Normalise(First(n))));
        command.Parameters.AddWithValue("$last", PersonNames.Phonetic(PersonNames.Normalise(Last(n))));
        await using var reader = await command.ExecuteReaderAsync();
        var inScope = new List<(Guid, string, string, int, DateTime?, int, int, string, string, DateTime)>();
        var outside = 0;
        while (await reader.ReadAsync())
        {
            if (reader.GetInt32(3) != unitId)
            {
                outside++;
                continue;
            }

            inScope.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDateTime(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetString(8), reader.GetString(9), reader.GetDateTime(10)));
        }

        return outside >= 0 ? inScope.Count : 0;
    }
}
