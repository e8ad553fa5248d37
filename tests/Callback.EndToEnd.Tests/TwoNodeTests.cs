using System.Diagnostics;
using System.Globalization;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Jobs;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Two real app processes on one PostgreSQL database on loopback, both running a Hangfire server and the sweep. A
/// dispatcher's board open on node B follows a crew sent from node A and the patrol alerts of deadlines that either node
/// handled; 1,000 deadlines falling due over 20 s while both run each fire exactly once; the audit chain verifies.
/// </summary>
public sealed class TwoNodeTests
{
    private const int Deadlines = 1000;
    private const int WatchedOnTheBoard = 5;
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TwoNodes_FireEachDeadlineOnce_AndNodeBsBoardSeesWhatNodeADid()
    {
        LiveApp.RequireChromium();
        // The database goes with the test whatever happens, a node that never started included.
        await TestPostgres.WithDatabaseAsync(RunAsync);
    }

    private static async Task RunAsync(string connectionString)
    {
        var keys = Directory.CreateTempSubdirectory("callback-keys-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            // A pool per node well under the server's max_connections, as docs/deploy.md says.
            ["ConnectionStrings__Callback"] = connectionString + ";Maximum Pool Size=30",
            // Both nodes sign cookies with one key ring, as behind a load balancer.
            ["DataProtection__KeysPath"] = keys,
            // The patrol-acknowledgement alarm that follows each escalation stays out of the count.
            ["Workflow__DispatchAcknowledgementDeadline"] = "01:00:00",
        };
        using var a = await NodeProcess.StartAsync("A", environment, TimeSpan.FromSeconds(120));
        using var b = await NodeProcess.StartAsync("B", new Dictionary<string, string>(environment) { ["Demo__SeedOnStart"] = "false" }, TimeSpan.FromSeconds(120));
        await using var services = Services(connectionString);
        var pump = services.GetRequiredService<AlarmPump>();
        await pump.StartAsync(CancellationToken.None);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LiveApp.LaunchAsync(playwright);
            var options = new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } };
            await using var onA = await browser.NewContextAsync(options);
            await using var onB = await browser.NewContextAsync(options);
            var boardA = await LiveApp.SignInAsync(onA, a.BaseUrl, "dispatch.62@demo.callback", "/dispatch");
            var boardB = await LiveApp.SignInAsync(onB, b.BaseUrl, "dispatch.62@demo.callback", "/dispatch");
            await boardA.WaitForSelectorAsync("[data-testid=dispatch-board]");
            await boardB.WaitForSelectorAsync("[data-testid=dispatch-board]");

            // A user on node A sends a crew; node B's open board shows it, pushed through LISTEN/NOTIFY.
            var (onNodeA, onNodeB) = await CrewSentOnAShowsOnBAsync(boardA, boardB);
            Report($"crew sent on node A: shown on node A's board after {onNodeA.TotalMilliseconds:0} ms, on node B's after {onNodeB.TotalMilliseconds:0} ms");
            Assert.True(onNodeB - onNodeA < TimeSpan.FromSeconds(1), $"node B's board showed it {onNodeB - onNodeA} after node A's (its own reload runs every 30 s)");
            await LiveApp.ScreenshotAsync(boardB, "20-two-nodes-board-b-crew");

            // 1,000 deadlines (and a few in the dispatcher's unit, to watch on node B's board) fall due over 20 s.
            var firstDue = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(50);
            var (cases, watched) = await OpenDeadlinesAsync(services, firstDue);
            Report($"{cases.Count} cases opened, first due {firstDue:O}");

            foreach (var reference in watched)
            {
                await boardB.WaitForSelectorAsync($"[data-testid=briefing][data-reference='{reference}']", new() { Timeout = 120_000 });
            }

            await LiveApp.ScreenshotAsync(boardB, "21-two-nodes-board-b-alerts");
            await WaitUntilAllEscalatedAsync(services, cases, firstDue + Spread + TimeSpan.FromSeconds(60));

            await using var db = await services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
            var escalations = await db.AuditEntries.Where(e => e.Action == nameof(CaseTrigger.ContactDeadlineElapsed) && cases.Contains(e.CaseId!.Value))
                .GroupBy(e => e.CaseId).Select(g => new { Case = g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(cases.Count, escalations.Count);
            Assert.All(escalations, e => Assert.Equal(1, e.Count));
            var verification = await AuditWriter.VerifyAsync(db, CancellationToken.None);
            Assert.True(verification.IsIntact, verification.Message);
            Report($"each of {cases.Count} deadlines escalated exactly once; audit chain intact ({verification.EntriesChecked} entries); " +
                $"sweep fired A {a.SweepFired()} / B {b.SweepFired()}; alarm jobs run {await JobsPerNodeAsync(connectionString, a, b)}");
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Both boards are watched from the click: the difference is what crossing nodes costs.</summary>
    private static async Task<(TimeSpan OnA, TimeSpan OnB)> CrewSentOnAShowsOnBAsync(IPage boardA, IPage boardB)
    {
        var first = boardA.Locator("[data-testid=briefing]:has([data-testid=dispatch])").First;
        await first.WaitForAsync(new() { Timeout = 30_000 });
        var reference = await first.GetAttributeAsync("data-reference");
        var row = $"[data-testid=briefing][data-reference='{reference}']";
        await boardB.WaitForSelectorAsync(row);
        await boardA.FillAsync($"{row} input[data-testid=crew], {row} [data-testid=crew] input", "PS-2N");
        var watch = Stopwatch.StartNew();
        async Task<TimeSpan> ShownAsync(IPage board)
        {
            await board.WaitForSelectorAsync($"{row} [data-testid=briefing-crew]:has-text('PS-2N')", new() { Timeout = 35_000 });
            return watch.Elapsed;
        }

        var shownOnA = ShownAsync(boardA);
        var shownOnB = ShownAsync(boardB);
        await boardA.ClickAsync($"{row} [data-testid=dispatch]");
        return (await shownOnA, await shownOnB);
    }

    /// <summary>
    /// Opens and reviews the cases from the test itself, setting each alarm in the shared job store as a node would: the
    /// nodes' Hangfire workers ring them, and the sweeps ring what the workers have not after the grace. The contact deadline is intervention + 10 min, so an
    /// intervention 10 min before the wanted instant spreads the deadlines evenly.
    /// </summary>
    private static async Task<(List<Guid> Cases, List<string> Watched)> OpenDeadlinesAsync(ServiceProvider services, DateTime firstDue)
    {
        var workflow = services.GetRequiredService<CaseWorkflowService>();
        var admin = Actor.User("two-node-test", null, null, Roles.Admin);
        var ids = new Guid[Deadlines + WatchedOnTheBoard];
        var references = new string[ids.Length];
        var next = -1;
        async Task OpenAsync()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < ids.Length;)
            {
                var watched = i >= Deadlines;
                references[i] = string.Create(CultureInfo.InvariantCulture, $"{(watched ? "62" : "31")}-2N-{i:D5}");
                var due = firstDue + (Spread * i / ids.Length);
                var facts = new NewCase(references[i], due - TimeSpan.FromMinutes(10), OffenceCategory.ConjugalViolence,
                    // Each file its own victim: files of one victim are linked and raise each other's danger (issue 19).
                    new Victim("Test", "Deux-Noeuds", string.Create(CultureInfo.InvariantCulture, $"06000{i:D5}"), string.Create(CultureInfo.InvariantCulture, $"{i} rue du Test")),
                    new Perpetrator("Inconnu", TriState.No));
                ids[i] = await workflow.OpenAsync(watched ? "CTC-62" : "CTC-31", facts, admin);
                await workflow.ReviewAsync(ids[i], expectedVersion: 0, new ReviewFindings(TriState.No, false, false, false, false, TriState.Unknown,
                    ProtectionMeasures.None, DangerLevel.Moderate, false), admin);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));
        return ([.. ids], references[Deadlines..].ToList());
    }

    private static async Task WaitUntilAllEscalatedAsync(ServiceProvider services, List<Guid> cases, DateTime deadline)
    {
        var databases = services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        while (true)
        {
            await using var db = await databases.CreateDbContextAsync();
            var escalated = await db.Cases.CountAsync(c => cases.Contains(c.Id) && c.State == CaseState.PatrolRequested);
            if (escalated == cases.Count)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetUtcNow().UtcDateTime < deadline, $"{cases.Count - escalated} of {cases.Count} deadlines not fired by {deadline:O}");
            await Task.Delay(1000);
        }
    }

    /// <summary>How many alarm jobs each node's Hangfire server took (its server id carries the process id).</summary>
    private static async Task<string> JobsPerNodeAsync(string connectionString, NodeProcess a, NodeProcess b)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT s.data::jsonb ->> 'ServerId' FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid " +
            "WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%DeadlineAlarmJob%'", connection);
        var servers = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                servers.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
            }
        }

        int On(NodeProcess node) => servers.Count(s => s.Contains($":{node.ProcessId}:", StringComparison.Ordinal));
        return $"A {On(a)} / B {On(b)} of {servers.Count}";
    }

    private static ServiceProvider Services(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Configure(o =>
        {
            o.ContactWindowOpensAfter = TimeSpan.FromMinutes(1);
            o.ContactDeadlineAfter = TimeSpan.FromMinutes(10);
            o.HighDangerContactDeadline = TimeSpan.FromSeconds(1);
        });
        services.AddCallbackDatabase(new DatabaseSettings { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString + ";Maximum Pool Size=10" }, Path.GetTempPath());
        // Alarms go to the nodes' shared job store, as from any node (no job server here): both nodes' workers take them.
        services.AddCallbackJobs(new JobsSettings { Storage = JobStoreKind.Postgres, PostgresConnectionString = connectionString + ";Maximum Pool Size=10", RunServer = false });
        services.AddSingleton<ICaseChangeNotifier, NoNotifications>();
        services.AddSingleton<CaseWorkflowService>();
        return services.BuildServiceProvider();
    }

    private static void Report(string line)
    {
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        File.AppendAllText(Path.Combine(LiveApp.Artifacts, "two-nodes.txt"), $"{TimeProvider.System.GetUtcNow().UtcDateTime:O} {line}{Environment.NewLine}");
    }
}
