using System.Diagnostics;
using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Features.Queue;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Callback.Bench;

/// <summary>
/// The officer's queue, first page, on a database of N cases (1,000,000 in the full form): the page the officers open
/// all day. Measured through the real <see cref="QueueService"/> beside a hand-written SQL query that returns the same
/// rows on the same index, over the same pooled connection string.
/// </summary>
/// <remarks>
/// The cases are spread over 500 units, as four years of a large region would be: 95 % closed. The officer measured
/// belongs to the busiest unit, which holds one case in fifty (20,000 of a million) and has a re-examination campaign
/// open, so a quarter of its cases are open (5,000): the queue has to order all of them to show the first 200. A typical
/// unit's officer (about 2,000 cases, 5 % open) is measured too.
/// </remarks>
internal static class QueueScenario
{
    private const int OtherUnits = 499;
    private const int Warmup = 30;
    private const int Runs = 300;

    /// <summary>The queue's pages take under a millisecond for a typical unit: more runs, so that the machine's noise averages out.</summary>
    private const int QueueRuns = 1000;

    public static async Task<IEnumerable<BenchRow>> RunAsync(int count)
    {
        Console.Error.WriteLine($"queue: first page of the officer queue at {count} cases");
        await using var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: false);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var firstOther = await AddUnitsAsync(host);
        await host.CreateContactCasesAsync([now.AddHours(30)]);
        var fill = Stopwatch.StartNew();
        await FillAsync(host.DatabaseFile, count - 1, host.UnitId, firstOther, now);
        Console.Error.WriteLine($"  {count} cases written in {fill.Elapsed.TotalSeconds:0.0} s");

        var queue = new QueueService(host.Databases, TimeProvider.System);
        var connectionString = await ConnectionStringAsync(host);
        var rows = new List<BenchRow>();
        foreach (var (label, unitId) in new[] { ("busiest unit, 5,000 open of 20,000", host.UnitId), ("typical unit, ~100 open of ~2,000", firstOther + 7) })
        {
            var officer = Actor.User("bench-officer", unitId, "62", Roles.Officer);
            // Taken in turn, run after run, so that the machine's drift weighs on the three alike. The third is the same view
            // composed on the fly, as a filtered view is: what compiling the default view saves.
            var timings = await TimeInTurnAsync(QueueRuns,
                async () => (await queue.LoadAsync(officer, new QueueFilter())).Rows.Count,
                () => HandWrittenAsync(connectionString, unitId),
                async () => (await queue.LoadAsync(officer, new QueueFilter(), 0, compileDefaultView: false, default)).Rows.Count);
            var (app, hand, composed) = (timings[0], timings[1], timings[2]);
            if (app.Rows != hand.Rows)
            {
                throw new InvalidOperationException($"the queue returned {app.Rows} rows, the hand-written query {hand.Rows}");
            }

            Console.Error.WriteLine($"  {label}: {app.Rows} rows, QueueService p50 {app.P50:0.00} ms p95 {app.P95:0.00} ms; hand SQL p50 {hand.P50:0.00} ms p95 {hand.P95:0.00} ms");
            var ratio = app.P50 / hand.P50;
            rows.Add(new BenchRow($"officer queue first page at {count:N0} cases, {label}: p50 (ms)", $"{app.P50:0.00}",
                "hand-written SQL, same rows, same index", $"{hand.P50:0.00}", $"{ratio:0.00}", "<= 20 ms and <= 1.5 x", app.P50 <= 20 && ratio <= 1.5));
            rows.Add(new BenchRow("  same, p95 (ms)", $"{app.P95:0.00}", "hand-written SQL", $"{hand.P95:0.00}", $"{app.P95 / hand.P95:0.00}", "", true));
            rows.Add(new BenchRow("  same, p50 (ms)", $"{app.P50:0.00}", "the same view composed on the fly (not compiled)", $"{composed.P50:0.00}", $"{app.P50 / composed.P50:0.00}", "", true));
        }

        return rows;
    }

    internal static async Task<int> AddUnitsAsync(BenchHost host)
    {
        await using var db = await host.Databases.CreateDbContextAsync();
        var units = Enumerable.Range(0, OtherUnits).Select(i => new Unit($"U{i:D3}", $"Brigade {i}", "62", "Europe/Paris")).ToList();
        db.Units.AddRange(units);
        await db.SaveChangesAsync();
        var ids = units.Select(u => u.Id).Order().ToList();
        if (ids[^1] - ids[0] != OtherUnits - 1)
        {
            throw new InvalidOperationException("the bench expects consecutive unit ids");
        }

        return ids[0];
    }

    /// <summary>Copies the one case the workflow created, N times, varying what the queue reads. Plain SQL: it only sets the scene.</summary>
    private static async Task FillAsync(string databaseFile, int count, int busyUnit, int firstOther, DateTime now)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        var columns = await SceneSql.CaseColumnsAsync(connection);

        // n = 1..count. One case in fifty belongs to the busiest unit; a quarter of those are open (a campaign), 5 % elsewhere.
        const string open = "((n % 50 = 0 AND n % 200 = 0) OR (n % 50 <> 0 AND n % 20 = 1))";
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = "upper(substr(h,1,8)||'-'||substr(h,9,4)||'-'||substr(h,13,4)||'-'||substr(h,17,4)||'-'||substr(h,21,12))",
            ["FileReference"] = "'Q-' || n",
            ["UnitId"] = $"CASE WHEN n % 50 = 0 THEN {busyUnit} ELSE {firstOther} + (n % {OtherUnits}) END",
            ["State"] = $"CASE WHEN {open} THEN (n / 7) % 2 ELSE 4 END",
            ["DueAtUtc"] = $"CASE WHEN {open} THEN strftime('%Y-%m-%d %H:%M:%S', $now, '+' || ((n * 7919) % 172800 - 3600) || ' seconds') ELSE NULL END",
            ["AlarmDueUtc"] = "NULL",
            ["NextAttemptAtUtc"] = "NULL",
            ["ClosedAtUtc"] = $"CASE WHEN {open} THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', $now, '-' || (n % 1400) || ' days') END",
            ["Danger"] = "n % 4",
            ["ClaimedBy"] = "NULL",
            ["ClaimExpiresAtUtc"] = "NULL",
            ["CampaignId"] = "NULL",
        };
        var select = string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var expression) ? expression : $"t.\"{c}\""));
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandTimeout = 0;
        insert.CommandText = $"""
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $count)
            INSERT INTO Cases ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
            SELECT {select} FROM (SELECT n, hex(randomblob(16)) AS h FROM seq), (SELECT * FROM Cases LIMIT 1) AS t
            """;
        insert.Parameters.AddWithValue("$count", count);
        insert.Parameters.AddWithValue("$now", now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static async Task<string> ConnectionStringAsync(BenchHost host)
    {
        await using var db = await host.Databases.CreateDbContextAsync();
        return db.Database.GetConnectionString()!;
    }

    internal sealed record Timing(int Rows, double P50, double P95);

    /// <summary>
    /// p50 and p95 of each of <paramref name="pages"/> over <paramref name="runs"/> runs after 30 untimed ones, each run
    /// timing every page once, in turn; and the rows of each page's last run.
    /// </summary>
    internal static async Task<Timing[]> TimeInTurnAsync(int runs, params Func<Task<int>>[] pages)
    {
        for (var i = 0; i < Warmup; i++)
        {
            foreach (var page in pages)
            {
                await page();
            }
        }

        var rows = new int[pages.Length];
        var samples = pages.Select(_ => new List<double>(runs)).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var p = 0; p < pages.Length; p++)
            {
                var watch = Stopwatch.StartNew();
                rows[p] = await pages[p]();
                samples[p].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return [.. samples.Select((s, p) =>
        {
            s.Sort();
            return new Timing(rows[p], s[runs / 2], s[(int)(runs * 0.95)]);
        })];
    }

    /// <summary>p50 and p95 of <paramref name="page"/> over <paramref name="runs"/> runs (300 by default) after 30 untimed ones, and the rows of the last.</summary>
    internal static async Task<Timing> TimeAsync(Func<Task<int>> page, int runs = Runs)
    {
        var rows = 0;
        for (var i = 0; i < Warmup; i++)
        {
            rows = await page();
        }

        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            rows = await page();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return new Timing(rows, samples[runs / 2], samples[(int)(runs * 0.95)]);
    }

    /// <summary>
    /// The same page by hand: its first page with the same filter, order, columns and masking, and the queue's length in the
    /// same statement, read with a plain data reader.
    /// </summary>
    private static async Task<int> HandWrittenAsync(string connectionString, int unitId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var nowText = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.Id, c.Version, c.Tier, c.FileReference, u.Code, u.TimeZoneId, c.InterventionAtUtc, c.State, c.DueAtUtc,
                   c.NextAttemptAtUtc, c.AttemptCount, c.Danger, c.ClaimedBy, c.ClaimExpiresAtUtc,
                   c.Victim_FirstName, c.Victim_LastName, c.Victim_Phone, c.Perpetrator_Cohabiting,
                   (SELECT COUNT(*) FROM Cases AS q WHERE q.UnitId = $unit AND q.State IN (0, 1, 5) AND (q.State <> 5 OR q.ContactWindowOpensAtUtc <= $now)) AS Total
            FROM Cases AS c JOIN Units AS u ON u.Id = c.UnitId
            WHERE c.UnitId = $unit AND c.State IN (0, 1, 5) AND (c.State <> 5 OR c.ContactWindowOpensAtUtc <= $now)
            ORDER BY CASE WHEN c.ClaimedBy = 'bench-officer' AND c.ClaimExpiresAtUtc = '9999-12-31 00:00:00' THEN 0 ELSE 1 END,
                     CASE WHEN c.DueAtUtc <= $now THEN 0 WHEN c.State = 0 OR c.NextAttemptAtUtc <= $now THEN 1 ELSE 2 END, c.DueAtUtc,
                     CASE WHEN c.Perpetrator_Cohabiting = 1 THEN 0 ELSE 1 END, c.Danger DESC, c.Id
            LIMIT 50
            """;
        command.Parameters.AddWithValue("$unit", unitId);
        command.Parameters.AddWithValue("$now", nowText);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<QueueRow>();
        var total = 0;
        DateTime? At(int i) => reader.IsDBNull(i) ? null : DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc);
        while (await reader.ReadAsync())
        {
            var claimed = At(13) > now ? reader.GetString(12) : null;
            rows.Add(new QueueRow(reader.GetGuid(0), reader.GetInt32(1), (ConfidentialityTier)reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), At(6)!.Value, (CaseState)reader.GetInt32(7), At(8), At(9), reader.GetInt32(10), (DangerLevel)reader.GetInt32(11), claimed, null,
                Mask.Initials(reader.GetString(14), reader.GetString(15)), Mask.PhoneTail(reader.IsDBNull(16) ? null : reader.GetString(16)),
                claimed is not null && At(13) == CaseClaim.Indefinite, (TriState)reader.GetInt32(17)));
            total = reader.GetInt32(18);
        }

        return total < rows.Count ? throw new InvalidOperationException("the queue's length is shorter than its page") : rows.Count;
    }
}
