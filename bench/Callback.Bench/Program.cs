using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callback.Bench;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

// The benchmark prints every figure beside a baseline measured in the same run. Sizes are options, so CI runs a short form.
if (args is ["circuit-client", ..])
{
    return await CircuitClient.RunChildAsync(args);
}

var options = BenchOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var rows = new List<BenchRow>();
Console.Error.WriteLine($"Callback benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, sizes {options}");

if (options.Runs("transitions"))
{
    rows.AddRange(await BenchRow.GuardAsync("transitions", () => Scenarios.TransitionsAsync(options.Transitions, options.Postgres)));
}

if (options.Runs("lateness"))
{
    rows.AddRange(await BenchRow.GuardAsync("lateness", () => Scenarios.LatenessAsync(options.LatenessCount, options.LatenessWindow, options.Postgres)));
}

if (options.Runs("burst"))
{
    rows.AddRange(await BenchRow.GuardAsync("burst", () => Scenarios.BurstAsync(options.BurstCount, options.BurstRounds, options.Postgres)));
}

if (options.Runs("import"))
{
    rows.AddRange(await BenchRow.GuardAsync("import", () => ImportScenario.RunAsync(options.ImportCount, options.Postgres)));
}

if (options.Runs("queue"))
{
    rows.AddRange(await BenchRow.GuardAsync("queue", () => QueueScenario.RunAsync(options.QueueCases)));
}

if (options.Runs("search"))
{
    rows.AddRange(await BenchRow.GuardAsync("search", () => SearchScenario.RunAsync(options.SearchCases)));
}

if (options.Runs("alerts"))
{
    rows.AddRange(await BenchRow.GuardAsync("alerts", () => BrowserScenarios.AlertLatencyAsync(options.Alerts)));
}

if (options.Runs("circuits"))
{
    rows.AddRange(await BenchRow.GuardAsync("circuits", () => BrowserScenarios.CircuitMemoryAsync(options.Circuits, browserCircuits: Math.Min(20, options.Circuits))));
}

if (options.Runs("latency"))
{
    rows.AddRange(await BenchRow.GuardAsync("latency", () => BrowserScenarios.ActionLatencyAsync(options.LatencyCircuits, options.Actions)));
}

var markdown = BenchRow.Markdown(rows);
Console.WriteLine(markdown);
var json = JsonSerializer.Serialize(new { machine = new { cores = Environment.ProcessorCount, dotnet = Environment.Version.ToString() }, options = options.ToString(), rows },
    new JsonSerializerOptions { WriteIndented = true });
if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, json);
    Console.Error.WriteLine($"wrote {path}");
}
else
{
    Console.WriteLine(json);
}

// 2: a scenario broke (CI fails on it); 1: every scenario ran, some goal is not met (said in the table); 0: all met.
return BenchRow.BrokenScenarios > 0 ? 2 : rows.All(r => r.Ok) ? 0 : 1;

namespace Callback.Bench
{
    internal sealed record BenchOptions(int Transitions, int LatenessCount, TimeSpan LatenessWindow, int BurstCount, int BurstRounds, int ImportCount, int QueueCases, int SearchCases, int Alerts, int Circuits,
        int LatencyCircuits, int Actions, string[] Only, string? JsonPath, bool Help, string? Postgres)
    {
        public const string Usage = """
            dotnet run -c Release --project bench/Callback.Bench -- [options]
              --short                 CI form: 1,000 transitions, 300 deadlines over 20 s, a burst of 2,000, an import of 10,000 rows, a queue and a search over 100,000 cases, 5 alerts, 20 circuits,
                                      10 actions beside 20 live queues
              --transitions N         transitions to time (default 5000)
              --lateness N            deadlines falling due over the window (default 10000)
              --window SECONDS        the window of the lateness run (default 600)
              --burst N               deadlines falling due in the same second (default 10000)
              --burst-rounds N        bursts per job store, taken in turn, their medians compared (default 3; --short: 1)
              --import N              rows of the CSV import (default 100000)
              --queue N               cases in the database under the officer queue (default 1000000)
              --search N              cases in the database under the search (default 1000000)
              --alerts N              deadlines whose patrol alert is timed to the dispatch board in Chromium (default 100)
              --circuits N            officer queue pages held open at once to weigh a circuit (default 500)
              --latency-circuits N    live queues held open while an officer's actions are timed (default 200)
              --actions N             no-answers timed in Chromium, alone and beside those queues (default 40)
              --only a,b              transitions, lateness, burst, import, queue, search, alerts, circuits, latency
              --json FILE             write the JSON there instead of standard output
              --postgres CONNSTRING   also run each figure on PostgreSQL (a server, no database: the bench makes its own);
                                      default: the CALLBACK_TEST_POSTGRES environment variable, if set
            """;

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions(5_000, 10_000, TimeSpan.FromSeconds(600), 10_000, 3, 100_000, 1_000_000, 1_000_000, 100, 500, 200, 40, [], null, false,
                Environment.GetEnvironmentVariable("CALLBACK_TEST_POSTGRES") is { Length: > 0 } server ? server : null);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--short" => o with { Transitions = 1_000, LatenessCount = 300, LatenessWindow = TimeSpan.FromSeconds(20), BurstCount = 2_000, BurstRounds = 1, ImportCount = 10_000, QueueCases = 100_000, SearchCases = 100_000, Alerts = 5, Circuits = 20, LatencyCircuits = 20, Actions = 10 },
                    "--transitions" => o with { Transitions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--lateness" => o with { LatenessCount = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--window" => o with { LatenessWindow = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--burst" => o with { BurstCount = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--burst-rounds" => o with { BurstRounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--import" => o with { ImportCount = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--queue" => o with { QueueCases = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--search" => o with { SearchCases = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--alerts" => o with { Alerts = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--circuits" => o with { Circuits = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--latency-circuits" => o with { LatencyCircuits = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--actions" => o with { Actions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--only" => o with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    "--json" => o with { JsonPath = Next() },
                    "--postgres" => o with { Postgres = Next() },
                    "--help" or "-h" => o with { Help = true },
                    _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
                };
            }

            return o;
        }

        public bool Runs(string scenario) => Only.Length == 0 || Only.Contains(scenario, StringComparer.OrdinalIgnoreCase);

        public override string ToString() =>
            $"transitions={Transitions} lateness={LatenessCount}/{LatenessWindow.TotalSeconds:0}s burst={BurstCount}x{BurstRounds} import={ImportCount} queue={QueueCases} search={SearchCases} alerts={Alerts} circuits={Circuits} latency={Actions} actions beside {LatencyCircuits} queues postgres={(Postgres is null ? "no" : "yes")}";
    }

    internal sealed record BenchRow(string Figure, string Value, string Baseline, string BaselineValue, string Ratio, string Goal, bool Ok)
    {
        /// <summary>
        /// Runs one scenario; its rows are printed as soon as it ends, and a scenario that crashes becomes a failed row, so
        /// one failure late in a long run does not take the other figures with it.
        /// </summary>
        /// <summary>Scenarios that threw instead of measuring: the run's exit code says so apart from goals not met.</summary>
        public static int BrokenScenarios { get; private set; }

        public static async Task<IEnumerable<BenchRow>> GuardAsync(string scenario, Func<Task<IEnumerable<BenchRow>>> run)
        {
            List<BenchRow> rows;
            try
            {
                rows = (await run()).ToList();
            }
#pragma warning disable CA1031 // The failure is reported as a row and the run's exit code; the other scenarios still run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"{scenario} failed: {e}");
                BrokenScenarios++;
                rows = [new BenchRow($"{scenario}: FAILED ({e.GetType().Name}: {e.Message.Split('\n')[0]})", "", "", "", "", "", false)];
            }

            Console.Error.WriteLine(Markdown(rows));
            return rows;
        }

        public static string Markdown(IEnumerable<BenchRow> rows)
        {
            var lines = new List<string>
            {
                "| figure | Callback | baseline | baseline value | ratio | goal | met |",
                "|---|---:|---|---:|---:|---|---|",
            };
            lines.AddRange(rows.Select(r => $"| {r.Figure} | {r.Value} | {r.Baseline} | {r.BaselineValue} | {r.Ratio} | {r.Goal} | {(r.Ok ? "yes" : "NO")} |"));
            return string.Join('\n', lines);
        }
    }

    internal static class Scenarios
    {
        /// <summary>Unanswered-call transitions through the workflow service, each in its own transaction with its audit entry.</summary>
        public static async Task<IEnumerable<BenchRow>> TransitionsAsync(int count, string? postgres)
        {
            Console.Error.WriteLine($"transitions: {count} through the workflow, then the same rows as raw inserts");
            double workflowRate, baselineRate;
            await using (var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: false, o => o.MaxAttempts = 1_000_000))
            {
                workflowRate = await WorkflowRateAsync(host, count);
                baselineRate = await RawInsertsAsync(host.DatabaseFile, count, Warmup(count));
            }

            var rows = new List<BenchRow>
            {
                new("transitions/s with audit (SQLite, 1 transaction each)", $"{workflowRate:0}", "raw Microsoft.Data.Sqlite inserts of the same rows", $"{baselineRate:0}",
                    $"{workflowRate / baselineRate:0.00}", ">= 2,000/s", workflowRate >= 2_000),
            };
            if (postgres is not null)
            {
                Console.Error.WriteLine($"transitions: {count} through the workflow on PostgreSQL");
                await using var host = await BenchHost.StartAsync(BenchJobStore.InMemory, runJobs: false, o => o.MaxAttempts = 1_000_000, postgres);
                var rate = await WorkflowRateAsync(host, count);
                rows.Add(new("transitions/s with audit (PostgreSQL, 1 transaction each)", $"{rate:0}", "the same on SQLite (above)", $"{workflowRate:0}",
                    $"{rate / workflowRate:0.00}", "", true));
            }

            return rows;
        }

        /// <summary>The first transitions pay for JIT and caches; neither side counts them.</summary>
        private static int Warmup(int count) => Math.Min(500, count / 5);

        private static async Task<double> WorkflowRateAsync(BenchHost host, int count)
        {
            var cases = await host.CreateContactCasesAsync(Enumerable.Range(0, count).Select(_ => TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(2)).ToList());
            var officer = Actor.User("bench-officer", host.UnitId, "62", Callback.Domain.Identity.Roles.Officer);
            var versions = new Dictionary<Guid, int>();
            await using (var db = await host.Databases.CreateDbContextAsync())
            {
                foreach (var row in await db.Cases.Select(c => new { c.Id, c.Version }).ToListAsync())
                {
                    versions[row.Id] = row.Version;
                }
            }

            var warmup = Warmup(count);
            var watch = new Stopwatch();
            for (var i = 0; i < cases.Count; i++)
            {
                if (i == warmup)
                {
                    watch.Start();
                }

                await host.Workflow.RecordAttemptAsync(cases[i].Id, versions[cases[i].Id], AttemptOutcome.NoAnswer, true, null, officer);
            }

            var rate = (count - warmup) / watch.Elapsed.TotalSeconds;
            await using (var db = await host.Databases.CreateDbContextAsync())
            {
                var verified = await Callback.Domain.Audit.AuditWriter.VerifyAsync(db, CancellationToken.None);
                if (!verified.IsIntact)
                {
                    throw new InvalidOperationException(verified.Message);
                }
            }

            return rate;
        }

        /// <summary>
        /// What one transition writes, by hand: in one transaction, update the case row, insert the call attempt and the
        /// audit entry into the same tables (same indexes), and move the audit head. Same file, same pragmas (WAL,
        /// synchronous=FULL). No reading, no hashing, no rules: the floor under the workflow.
        /// </summary>
        private static async Task<double> RawInsertsAsync(string databaseFile, int count, int warmup)
        {
            await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = FULL;";
                await pragma.ExecuteNonQueryAsync();
            }

            long sequence;
            await using (var head = connection.CreateCommand())
            {
                head.CommandText = "SELECT LastSequence FROM AuditHeads WHERE Id = 1";
                sequence = (long)(await head.ExecuteScalarAsync())!;
            }

            var ids = new List<string>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT Id FROM Cases";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            var watch = new Stopwatch();
            for (var i = 0; i < count; i++)
            {
                if (i == warmup)
                {
                    watch.Start();
                }

                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    UPDATE Cases SET AttemptCount = AttemptCount + 1, NextAttemptAtUtc = $now, Version = Version + 1 WHERE Id = $id;
                    INSERT INTO CallAttempts (CaseId, AtUtc, ActorId, Outcome, ToSafeNumber) VALUES ($id, $now, 'bench-officer', 1, 1);
                    INSERT INTO AuditEntries (Sequence, AtUtc, Actor, CaseId, Action, FromState, ToState, Reason, PreviousHash, Hash)
                    VALUES ($seq, $now, 'bench-officer', $id, 'RecordAttempt', 'AwaitingContact', 'AwaitingContact', 'NoAnswer', $hash, $hash);
                    UPDATE AuditHeads SET LastSequence = $seq, LastHash = $hash WHERE Id = 1;
                    """;
                command.Parameters.AddWithValue("$id", ids[i % ids.Count]);
                command.Parameters.AddWithValue("$seq", sequence + i + 1);
                command.Parameters.AddWithValue("$now", TimeProvider.System.GetUtcNow().UtcDateTime);
                command.Parameters.AddWithValue("$hash", "0000000000000000000000000000000000000000000000000000000000000000");
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            return (count - warmup) / watch.Elapsed.TotalSeconds;
        }

        public static async Task<IEnumerable<BenchRow>> LatenessAsync(int count, TimeSpan window, string? postgres)
        {
            var sqlite = await LatenessRunAsync(BenchJobStore.Sqlite, count, window);
            var memory = await LatenessRunAsync(BenchJobStore.InMemory, count, window);
            var lost = sqlite.Lost + memory.Lost;
            var rows = new List<BenchRow>
            {
                new BenchRow($"deadline lateness p50, {count} over {window.TotalSeconds:0} s (s)", F(sqlite.P50), "same with Hangfire.InMemory", F(memory.P50), Ratio(sqlite.P50, memory.P50), "", true),
                new BenchRow("deadline lateness p99 (s)", F(sqlite.P99), "same with Hangfire.InMemory", F(memory.P99), Ratio(sqlite.P99, memory.P99), "<= 2 s", sqlite.P99 <= 2),
                new BenchRow("deadline lateness max (s)", F(sqlite.Max), "same with Hangfire.InMemory", F(memory.Max), Ratio(sqlite.Max, memory.Max), "<= 5 s", sqlite.Max <= 5),
                new BenchRow("deadlines lost / applied twice", $"{sqlite.Lost} / {sqlite.Twice}", "same with Hangfire.InMemory", $"{memory.Lost} / {memory.Twice}", "", "0 / 0", lost == 0 && sqlite.Twice + memory.Twice == 0),
            };
            if (postgres is not null)
            {
                var pg = await LatenessRunAsync(BenchJobStore.Postgres, count, window, postgres);
                rows.AddRange(
                [
                    new BenchRow("PostgreSQL (cases and Hangfire): lateness p50 / p99 / max (s)", $"{F(pg.P50)} / {F(pg.P99)} / {F(pg.Max)}", "the same on SQLite (above)",
                        $"{F(sqlite.P50)} / {F(sqlite.P99)} / {F(sqlite.Max)}", Ratio(pg.P99, sqlite.P99), "p99 <= 2 s", pg.P99 <= 2),
                    new BenchRow("PostgreSQL: deadlines lost / applied twice", $"{pg.Lost} / {pg.Twice}", "the same on SQLite (above)", $"{sqlite.Lost} / {sqlite.Twice}", "", "0 / 0", pg.Lost + pg.Twice == 0),
                ]);
            }

            return rows;
        }

        /// <summary>
        /// A burst's last lateness depends on where the sweep's rounds fall in that second, and moved by 2 x from one run
        /// to the next on an idle machine: the job stores take turns for <paramref name="rounds"/> bursts each, and their
        /// medians are compared, each round's figure shown beside.
        /// </summary>
        public static async Task<IEnumerable<BenchRow>> BurstAsync(int count, int rounds, string? postgres)
        {
            List<Lateness> sqlite = [], memory = [], pg = [];
            for (var round = 0; round < rounds; round++)
            {
                sqlite.Add(await LatenessRunAsync(BenchJobStore.Sqlite, count, TimeSpan.Zero));
                memory.Add(await LatenessRunAsync(BenchJobStore.InMemory, count, TimeSpan.Zero));
                if (postgres is not null)
                {
                    pg.Add(await LatenessRunAsync(BenchJobStore.Postgres, count, TimeSpan.Zero, postgres));
                }
            }

            var (sqliteMax, memoryMax) = (Median(sqlite, l => l.Max), Median(memory, l => l.Max));
            var median = rounds > 1 ? $", median of {rounds}" : "";
            var rows = new List<BenchRow>
            {
                new BenchRow($"burst of {count} due in one second: last handled after (s){median}", Rounds(sqlite, sqliteMax), "same with Hangfire.InMemory",
                    Rounds(memory, memoryMax), Ratio(sqliteMax, memoryMax), "no crash, none lost, none twice", sqlite.All(l => l.Lost == 0 && l.Twice == 0)),
                new BenchRow($"burst: lost / applied twice / p50 (s){median}", $"{sqlite.Sum(l => l.Lost)} / {sqlite.Sum(l => l.Twice)} / {F(Median(sqlite, l => l.P50))}",
                    "same with Hangfire.InMemory", $"{memory.Sum(l => l.Lost)} / {memory.Sum(l => l.Twice)} / {F(Median(memory, l => l.P50))}", "", "0 / 0",
                    memory.All(l => l.Lost == 0 && l.Twice == 0)),
            };
            if (pg.Count > 0)
            {
                var pgMax = Median(pg, l => l.Max);
                rows.Add(new BenchRow($"PostgreSQL burst of {count}: last handled after (s){median}; lost / twice", $"{Rounds(pg, pgMax)}; {pg.Sum(l => l.Lost)} / {pg.Sum(l => l.Twice)}",
                    "the same on SQLite (above)", $"{Rounds(sqlite, sqliteMax)}; {sqlite.Sum(l => l.Lost)} / {sqlite.Sum(l => l.Twice)}", Ratio(pgMax, sqliteMax),
                    "<= 1.5 x SQLite, none lost, none twice", pgMax <= 1.5 * sqliteMax && pg.All(l => l.Lost == 0 && l.Twice == 0)));
            }

            return rows;
        }

        private static double Median(List<Lateness> runs, Func<Lateness, double> figure)
        {
            var sorted = runs.Select(figure).Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        /// <summary>"1.083 (1.278 / 1.083 / 1.035)": the median, then each round's figure, when there were several.</summary>
        private static string Rounds(List<Lateness> runs, double median) =>
            runs.Count == 1 ? F(median) : $"{F(median)} ({string.Join(" / ", runs.Select(l => F(l.Max)))})";

        private sealed record Lateness(double P50, double P99, double Max, int Lost, int Twice);

        /// <summary>
        /// Places <paramref name="count"/> contact deadlines uniformly over <paramref name="window"/> (zero: all in one
        /// second), lets the real job server and sweep handle them, and reads lateness back from the audit log.
        /// </summary>
        private static async Task<Lateness> LatenessRunAsync(BenchJobStore store, int count, TimeSpan window, string? postgres = null)
        {
            Console.Error.WriteLine($"deadlines: {count} over {window.TotalSeconds:0} s on {store}");
            await using var host = await BenchHost.StartAsync(store, runJobs: true, postgres: postgres);
            // Creating the cases must end before the first falls due, or its lateness would measure the set-up.
            var setup = TimeSpan.FromSeconds(20 + count * 0.003);
            var first = TimeProvider.System.GetUtcNow().UtcDateTime + setup;
            var random = new Random(42);
            var due = Enumerable.Range(0, count)
                .Select(_ => window == TimeSpan.Zero ? first.AddMilliseconds(random.Next(0, 1_000)) : first + window * random.NextDouble())
                .ToList();
            var cases = await host.CreateContactCasesAsync(due);
            if (TimeProvider.System.GetUtcNow().UtcDateTime > first)
            {
                Console.Error.WriteLine("  warning: setup overran the first deadline; early lateness includes setup");
            }

            var dueById = cases.ToDictionary(c => c.Id, c => c.DueUtc);
            var deadline = first + window + TimeSpan.FromSeconds(120);
            while (TimeProvider.System.GetUtcNow().UtcDateTime < deadline)
            {
                await Task.Delay(1_000);
                await using var db = await host.Databases.CreateDbContextAsync();
                if (TimeProvider.System.GetUtcNow().UtcDateTime > first + window && !await db.Cases.AnyAsync(c => c.State == CaseState.AwaitingContact))
                {
                    break;
                }
            }

            await using var read = await host.Databases.CreateDbContextAsync();
            var fired = await read.AuditEntries.AsNoTracking()
                .Where(e => e.Action == nameof(CaseTrigger.ContactDeadlineElapsed))
                .Select(e => new { e.CaseId, e.AtUtc })
                .ToListAsync();
            var perCase = fired.GroupBy(f => f.CaseId!.Value).ToDictionary(g => g.Key, g => g.ToList());
            var late = perCase.Select(p => (p.Value.Min(x => x.AtUtc) - dueById[p.Key]).TotalSeconds).Order().ToList();
            var lost = dueById.Keys.Count(id => !perCase.ContainsKey(id));
            var twice = perCase.Count(p => p.Value.Count > 1);
            double Pct(double q) => late.Count == 0 ? double.NaN : late[Math.Min(late.Count - 1, (int)Math.Ceiling(q * late.Count) - 1)];
            var result = new Lateness(Pct(0.50), Pct(0.99), late.Count == 0 ? double.NaN : late[^1], lost, twice);
            Console.Error.WriteLine($"  p50 {F(result.P50)} s, p99 {F(result.P99)} s, max {F(result.Max)} s, lost {lost}, twice {twice}");
            return result;
        }

        private static string F(double seconds) => double.IsNaN(seconds) ? "n/a" : seconds.ToString("0.000", CultureInfo.InvariantCulture);

        private static string Ratio(double value, double baseline) =>
            baseline > 0 && !double.IsNaN(value) ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
    }
}
