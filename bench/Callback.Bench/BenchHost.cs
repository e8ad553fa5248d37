using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Jobs;
using Callback.Web.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Bench;

/// <summary>
/// The job stores the bench compares. The memory store is the bench's own (Hangfire.InMemory is referenced here, not by
/// Callback.Jobs): it is the floor the real stores are measured against, never a choice for an installation.
/// </summary>
public enum BenchJobStore
{
    Sqlite,
    InMemory,
    Postgres,
}

/// <summary>
/// The application's own services on a fresh SQLite file, or a fresh PostgreSQL database when a server is given (made by
/// the migration, dropped at the end), real clock, with the chosen job store.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(string folder, IHost host, bool postgres)
    {
        Folder = folder;
        Host = host;
        IsPostgres = postgres;
    }

    public bool IsPostgres { get; }

    public string Folder { get; }
    public IHost Host { get; }
    public IServiceProvider Services => Host.Services;
    public IDbContextFactory<CallbackDbContext> Databases => Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
    public CaseWorkflowService Workflow => Services.GetRequiredService<CaseWorkflowService>();
    public string DatabaseFile => Path.Combine(Folder, "callback.db");
    public int UnitId { get; private set; }

    /// <summary>With <c>postgres</c> (a server's connection string, no database) the bench gets a database of its own there.</summary>
    public static async Task<BenchHost> StartAsync(BenchJobStore jobStore, bool runJobs, Action<WorkflowOptions>? configure = null, string? postgres = null)
    {
        var folder = Directory.CreateTempSubdirectory("callback-bench-").FullName;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Configure(o =>
        {
            // Lets the benchmark place each contact deadline exactly where it wants it (the floor after a review).
            o.HighDangerContactDeadline = TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        });
        var database = postgres is null
            ? new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")}" }
            : new DatabaseSettings
            {
                Provider = DatabaseProvider.Postgres,
                ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = $"callback_bench_{Guid.NewGuid():N}", MaxPoolSize = 30 }.ConnectionString,
            };
        services.AddCallbackDatabase(database, folder);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<ICaseChangeNotifier, NoNotifications>();
        services.AddSingleton<CaseWorkflowService>();
        services.AddOptions<ImportOptions>();
        services.AddSingleton<CaseImporter>();
        if (runJobs)
        {
            var settings = new JobsSettings
            {
                Storage = jobStore == BenchJobStore.Postgres ? JobStoreKind.Postgres : JobStoreKind.Sqlite,
                SqlitePath = Path.Combine(folder, "hangfire.db"),
                PostgresConnectionString = database.ConnectionString,
            };
            services.AddCallbackJobs(settings, jobStore == BenchJobStore.InMemory ? c => c.UseInMemoryStorage() : null);
        }
        else
        {
            services.AddSingleton<IDeadlineAlarms, NoAlarms>();
        }

        var host = builder.Build();
        var bench = new BenchHost(folder, host, postgres is not null);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using (var db = await bench.Databases.CreateDbContextAsync())
        {
            var unit = new Unit("BENCH", "Unité de mesure", "62", "Europe/Paris");
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            bench.UnitId = unit.Id;
        }

        await host.StartAsync();
        return bench;
    }

    /// <summary>
    /// Creates reviewed cases awaiting contact whose deadlines fall at the given instants, a thousand per transaction,
    /// with their audit entries, and arms their alarms as the workflow would after each commit.
    /// </summary>
    public async Task<List<(Guid Id, DateTime DueUtc)>> CreateContactCasesAsync(IReadOnlyList<DateTime> dueUtc)
    {
        var policy = Workflow.Policy;
        var alarms = Services.GetRequiredService<IDeadlineAlarms>();
        var created = new List<(Guid, DateTime)>(dueUtc.Count);
        for (var start = 0; start < dueUtc.Count; start += 1_000)
        {
            var batch = new List<Case>();
            await using var db = await Databases.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var unit = await db.Units.SingleAsync(u => u.Id == UnitId);
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            for (var i = start; i < Math.Min(start + 1_000, dueUtc.Count); i++)
            {
                var facts = new NewCase($"B-{i:D7}", dueUtc[i] - policy.Options.ContactDeadlineAfter, OffenceCategory.ConjugalViolence,
                    new Victim("Prénom", "Nom", "0600000000", null), new Perpetrator(null, TriState.Unknown));
                var c = Case.Open(facts, unit, now, policy);
                c.Review(new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), now, policy);
                batch.Add(c);
            }

            db.Cases.AddRange(batch);
            await AuditWriter.AppendAsync(db, batch.SelectMany(c => c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, "bench"))), CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            foreach (var c in batch)
            {
                alarms.Arm(c.Alarm!);
                created.Add((c.Id, c.DueUtcOrThrow()));
            }
        }

        return created;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        if (IsPostgres)
        {
            await using var db = await Databases.CreateDbContextAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
            // After a large write, autovacuum (the server's own role) may be working in the database, and the bench's role
            // may not end it: wait for it a little, then leave the database behind rather than lose the figures.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await db.Database.EnsureDeletedAsync();
                    break;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == "42501" && attempt < 10)
                {
                    await Task.Delay(TimeSpan.FromSeconds(3));
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == "42501")
                {
                    Console.Error.WriteLine($"  warning: could not drop the bench database ({e.MessageText}); drop it by hand");
                    break;
                }
            }
        }

        Host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("CALLBACK_BENCH_KEEP") == "1")
        {
            Console.Error.WriteLine($"  kept {Folder}");
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class CaseExtensions
{
    public static DateTime DueUtcOrThrow(this Case c) => c.DueAtUtc ?? throw new InvalidOperationException("case without deadline");
}
