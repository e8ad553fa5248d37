using System.Diagnostics;
using System.Text.Json;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Callback.Web.Tests.Hosting;

/// <summary>
/// The real host with its job store made unusable: another writer holds an exclusive lock on Hangfire's SQLite file. The
/// sweep reads the database, not the job store, so a deadline still fires; /health, the log and the banner say so.
/// </summary>
public class StalledJobStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task JobStoreLockedByAnotherWriter_ADueDeadlineStillFiresWithinAMinute_AndHealthAndLogSaySo()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new CapturingLoggerProvider();
        await using var factory = new CallbackFactory(configure: b =>
        {
            b.UseSetting("Workflow:HighDangerContactDeadline", "00:00:03");
            b.UseSetting("Workflow:SweepInterval", "00:00:05");
            b.UseSetting("Jobs:HealthProbeInterval", "00:00:01");
            FixedRemoteAddress.From(b, System.Net.IPAddress.Loopback);
            b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
        });
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", await JobStoreHealthAsync(client, ct));
        var locking = Stopwatch.StartNew();
        using var storeLock = await LockAsync(Path.Combine(factory.Folder, "hangfire.db"), ct);
        output.WriteLine($"job store locked in {locking.Elapsed.TotalSeconds:0.0} s");
        var (id, due) = await OpenCaseDueSoonAsync(factory.Services, ct);
        var firedAt = await WaitForFiringAsync(factory.Services, id, ct);

        var health = await JobStoreHealthAsync(client, ct);
        var text = logs.Text();
        output.WriteLine($"deadline due {due:O}, fired {firedAt:O}: {(firedAt - due)?.TotalSeconds:0.0} s late with the job store locked; /health jobStore: {health}");
        Assert.NotNull(firedAt);
        Assert.True(firedAt - due < TimeSpan.FromMinutes(1), $"fired {(firedAt - due)?.TotalSeconds:0.0} s late");
        Assert.Equal("Unhealthy", health);
        Assert.Contains("Error Callback.Jobs.JobStoreMonitor: The job store is failing", text, StringComparison.Ordinal);
        foreach (var personal in new[] { "Camille", "Martin", "0612345678", "Lilas", "Durand" })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A restart while the store is locked: the app must still start, so that its sweep fires what falls due.</summary>
    [Fact]
    public async Task JobStoreLockedAtStartUp_TheAppStillStarts_AndADueDeadlineFires()
    {
        var ct = TestContext.Current.CancellationToken;
        Guid id;
        DateTime due;
        string folder;
        await using (var first = new CallbackFactory(configure: b => b.UseSetting("Workflow:HighDangerContactDeadline", "00:00:08")))
        {
            folder = first.Folder;
            using var client = first.CreateClient();
            (id, due) = await OpenCaseDueSoonAsync(first.Services, ct);
        }

        using var storeLock = await LockAsync(Path.Combine(folder, "hangfire.db"), ct);
        var starting = Stopwatch.StartNew();
        await using var second = new CallbackFactory(folder, b =>
        {
            b.UseSetting("Workflow:HighDangerContactDeadline", "00:00:08");
            b.UseSetting("Jobs:HealthProbeInterval", "00:00:01");
            FixedRemoteAddress.From(b, System.Net.IPAddress.Loopback);
        });
        using var secondClient = second.CreateClient();
        output.WriteLine($"started in {starting.Elapsed.TotalSeconds:0.0} s with the job store locked");
        var firedAt = await WaitForFiringAsync(second.Services, id, ct);
        output.WriteLine($"deadline due {due:O}, fired {firedAt:O}: {(firedAt - due)?.TotalSeconds:0.0} s late");
        Assert.NotNull(firedAt);
        Assert.True(firedAt - due < TimeSpan.FromMinutes(1), $"fired {(firedAt - due)?.TotalSeconds:0.0} s late");
        Assert.Equal("Unhealthy", await JobStoreHealthAsync(secondClient, ct));
        // Unlocked before the host stops: Hangfire's server waits for its blocked workers when it shuts down.
        storeLock.Close();
    }

    /// <summary>A unit and a high-danger case reviewed now: its contact deadline falls due in HighDangerContactDeadline.</summary>
    private static async Task<(Guid Id, DateTime Due)> OpenCaseDueSoonAsync(IServiceProvider services, CancellationToken ct)
    {
        int unitId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(ct))
        {
            var unit = new Unit("CTC-62", "Cellule 62", "62", "Europe/Paris");
            db.Units.Add(unit);
            await db.SaveChangesAsync(ct);
            unitId = unit.Id;
        }

        var workflow = services.GetRequiredService<CaseWorkflowService>();
        var officer = Actor.User("officer-a", unitId, "62", Roles.Officer);
        var facts = new NewCase("62-2026-000001", TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-1), OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes));
        var id = await workflow.OpenAsync("CTC-62", facts, officer, ct);
        var version = (await workflow.GetAsync(id, officer, ct)).Version;
        return (id, (await workflow.ReviewAsync(id, version, Harness.Findings(DangerLevel.High), officer, ct)).DueAtUtc!.Value);
    }

    /// <summary>When the contact deadline of the case fired (the case then asks for a patrol), or null after 70 s.</summary>
    private static async Task<DateTime?> WaitForFiringAsync(IServiceProvider services, Guid id, CancellationToken ct)
    {
        var databases = services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(70))
        {
            await Task.Delay(250, ct);
            await using var db = await databases.CreateDbContextAsync(ct);
            if (await db.Cases.AsNoTracking().AnyAsync(c => c.Id == id && c.State == CaseState.PatrolRequested, ct))
            {
                return await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == id && e.Action == nameof(CaseTrigger.ContactDeadlineElapsed))
                    .Select(e => (DateTime?)e.AtUtc).SingleAsync(ct);
            }
        }

        return null;
    }

    private static async Task<string?> JobStoreHealthAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("checks").GetProperty("jobStore").GetProperty("status").GetString();
    }

    /// <summary>
    /// The write lock of the job store's file, held until disposed: an open write transaction. Hangfire's SQLite store
    /// runs in WAL mode, where this stops every other writer (scheduling, fetching, heartbeats, the monitor's probe).
    /// </summary>
    private static async Task<SqliteConnection> LockAsync(string file, CancellationToken ct)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        var mode = await command.ExecuteScalarAsync(ct);
        command.CommandText = "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS callback_lock (x); INSERT INTO callback_lock VALUES (1);";
        await command.ExecuteNonQueryAsync(ct);
        Assert.Equal("wal", mode as string, ignoreCase: true);
        return connection;
    }
}
