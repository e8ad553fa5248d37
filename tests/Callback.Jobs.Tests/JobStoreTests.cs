using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs.Tests;

public class JobStoreTests
{
    [Fact]
    public void SecondJobServer_OnTheSameSqliteStore_RefusesToStartWithAClearMessage()
    {
        var folder = Directory.CreateTempSubdirectory("callback-lock-").FullName;
        var store = Path.Combine(folder, "hangfire.db");
        using var first = new JobStoreLock(store);
        first.Acquire();
        using var second = new JobStoreLock(store);

        var error = Assert.Throws<InvalidOperationException>(second.Acquire);

        Assert.Contains("Another Callback process already runs the job server", error.Message);
        Assert.Contains(store, error.Message);
    }

    [Fact]
    public void JobStoreLock_IsFreeAgainOnceItsHolderIsGone()
    {
        var store = Path.Combine(Directory.CreateTempSubdirectory("callback-lock-").FullName, "hangfire.db");
        new JobStoreLock(store).Also(l => l.Acquire()).Dispose();

        using var next = new JobStoreLock(store);
        next.Acquire();
    }

    /// <summary>
    /// Real Hangfire on its SQLite store, real time, short durations: an alarm scheduled by one host fires in the next
    /// one, and the case changes once.
    /// </summary>
    [Fact]
    public async Task PendingDeadline_FiresAfterTheHostRestarts_FromTheJobStore()
    {
        var folder = Directory.CreateTempSubdirectory("callback-restart-").FullName;
        var ct = TestContext.Current.CancellationToken;
        Guid id;
        DateTime due;
        using (var first = BuildHost(folder, horizon: TimeSpan.FromMinutes(10)))
        {
            await first.StartAsync(ct);
            var workflow = first.Services.GetRequiredService<CaseWorkflowService>();
            var officer = Actor.User("officer-a", 1, "62", Roles.Officer);
            id = await workflow.OpenAsync("CTC-62", Facts(), officer, ct);
            var version = (await workflow.GetAsync(id, officer, ct)).Version;
            var reviewed = await workflow.ReviewAsync(id, version, Findings(DangerLevel.High), officer, ct);
            due = reviewed.DueAtUtc!.Value;
            await WaitUntilAsync(() => JobStorage(first).GetMonitoringApi().ScheduledCount() >= 1, TimeSpan.FromSeconds(10));
            await first.StopAsync(ct);
        }

        Assert.True(TimeProvider.System.GetUtcNow().UtcDateTime < due, "the first host must stop before the deadline, or this test proves nothing");
        // The second host hands nothing over itself (tiny horizon), sweeps once an hour and gives the job store an hour of
        // grace: only the stored job can fire it.
        using var second = BuildHost(folder, horizon: TimeSpan.FromMilliseconds(1));
        await second.StartAsync(ct);
        var databases = second.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        await WaitForPatrolRequestedAsync(databases, id, ct);

        await using (var db = await databases.CreateDbContextAsync(ct))
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.ContactDeadlineElapsed), ct));
        }

        // The job is marked succeeded just after it changed the case.
        await WaitUntilAsync(() => JobStorage(second).GetMonitoringApi().SucceededListCount() >= 1, TimeSpan.FromSeconds(10));
        await second.StopAsync(ct);
    }

    /// <summary>Waits (a minute at most) for the second host's stored job to have requested the patrol.</summary>
    private static Task WaitForPatrolRequestedAsync(IDbContextFactory<CallbackDbContext> databases, Guid id, CancellationToken ct) =>
        WaitUntilAsync(async () =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.Cases.AnyAsync(c => c.Id == id && c.State == CaseState.PatrolRequested, ct);
        }, TimeSpan.FromSeconds(60));

    private static JobStorage JobStorage(IHost host) => host.Services.GetRequiredService<JobStorage>();

    private static NewCase Facts() =>
        new("62-2026-000042", TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-1), OffenceCategory.ConjugalViolence, new Victim("Léa", "Petit", "0611223344", null), new Perpetrator(null, TriState.Unknown));

    private static ReviewFindings Findings(DangerLevel danger) =>
        new(TriState.Yes, false, false, false, true, TriState.Yes, ProtectionMeasures.None, danger, false);

    /// <summary>
    /// Issue 17: a check-in's alarm is stored like any other. A high-danger victim under follow-up, her first check-in due
    /// while the host is down: the next host fires it from the job store, once, and sends the patrol.
    /// </summary>
    [Fact]
    public async Task PendingCheckIn_FiresAfterTheHostRestarts_FromTheJobStore_Once()
    {
        var folder = Directory.CreateTempSubdirectory("callback-restart-").FullName;
        var ct = TestContext.Current.CancellationToken;
        void ShortPlan(WorkflowOptions o)
        {
            o.FollowUpHighDanger = [TimeSpan.FromSeconds(2)];
            o.HighDangerCheckInDeadline = TimeSpan.FromSeconds(12);
        }

        Guid id;
        DateTime due;
        using (var first = BuildHost(folder, horizon: TimeSpan.FromMinutes(10), ShortPlan))
        {
            await first.StartAsync(ct);
            var workflow = first.Services.GetRequiredService<CaseWorkflowService>();
            var officer = Actor.User("officer-a", 1, "62", Roles.Officer);
            id = await workflow.OpenAsync("CTC-62", Facts(), officer, ct);
            var reviewed = await workflow.ReviewAsync(id, (await workflow.GetAsync(id, officer, ct)).Version, Findings(DangerLevel.High), officer, ct);
            var followed = await workflow.RecordContactAsync(id, reviewed.Version, new ContactReport(true, DangerLevel.High, false, "{}") { Then = AfterContact.FollowUp }, officer, ct);
            Assert.Equal(CaseState.FollowUp, followed.State);
            due = followed.DueAtUtc!.Value;
            await WaitUntilAsync(() => JobStorage(first).GetMonitoringApi().ScheduledCount() >= 1, TimeSpan.FromSeconds(10));
            await first.StopAsync(ct);
        }

        Assert.True(TimeProvider.System.GetUtcNow().UtcDateTime < due, "the first host must stop before the check-in's deadline, or this test proves nothing");
        using var second = BuildHost(folder, horizon: TimeSpan.FromMilliseconds(1), ShortPlan);
        await second.StartAsync(ct);
        var databases = second.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        await WaitForPatrolRequestedAsync(databases, id, ct);

        // Long enough for a repeated or late run to show itself.
        await WaitUntilAsync(() => JobStorage(second).GetMonitoringApi().SucceededListCount() >= 1, TimeSpan.FromSeconds(10));
        await using (var db = await databases.CreateDbContextAsync(ct))
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.CheckInDeadlineElapsed), ct));
        }

        await second.StopAsync(ct);
    }

    private static IHost BuildHost(string folder, TimeSpan horizon, Action<WorkflowOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Configure(o =>
        {
            o.HighDangerContactDeadline = TimeSpan.FromSeconds(20);
            o.AlarmHorizon = horizon;
            o.SweepInterval = TimeSpan.FromHours(1);
            o.SweepGrace = TimeSpan.FromHours(1);
            configure?.Invoke(o);
        });
        services.AddCallbackDatabase(new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")}" }, folder);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<ICaseChangeNotifier, NoNotifications>();
        services.AddSingleton<CaseWorkflowService>();
        services.AddHostedService<MigrateAndSeed>();
        services.AddCallbackJobs(new JobsSettings { Storage = JobStoreKind.Sqlite, SqlitePath = Path.Combine(folder, "hangfire.db") });
        return builder.Build();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) =>
        await WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < timeout, $"condition not met within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Migrates before the sweep and the job server start: hosted services start in registration order.</summary>
    private sealed class MigrateAndSeed(DatabaseMigrator migrator, IDbContextFactory<CallbackDbContext> databases) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await migrator.MigrateAsync(cancellationToken);
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            if (!await db.Units.AnyAsync(cancellationToken))
            {
                db.Units.Add(new Unit("CTC-62", "Cellule 62", "62", "Europe/Paris"));
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal static class Fluent
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
