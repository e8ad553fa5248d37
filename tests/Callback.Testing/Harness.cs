using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Jobs;
using Callback.Web.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Testing;

/// <summary>
/// A real SQLite file in a fresh folder, migrated, with two units; the workflow service on a fake clock, with alarms and
/// notifications recorded instead of sent.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 20, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private bool _ownsDatabase;

    private Harness(string folder, ServiceProvider services, FakeTimeProvider clock, RecordingAlarms alarms, RecordingNotifier notifier, DatabaseSettings database)
    {
        Folder = folder;
        Database = database;
        _services = services;
        Clock = clock;
        Alarms = alarms;
        Notifier = notifier;
    }

    public string Folder { get; }
    public DatabaseSettings Database { get; }
    public DatabaseProvider Provider => Database.Provider;
    public FakeTimeProvider Clock { get; }
    public RecordingAlarms Alarms { get; }
    public RecordingNotifier Notifier { get; }
    public IServiceProvider Services => _services;
    public CaseWorkflowService Workflow => _services.GetRequiredService<CaseWorkflowService>();
    public IDbContextFactory<CallbackDbContext> Databases => _services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
    public WorkflowOptions Options => _services.GetRequiredService<IOptions<WorkflowOptions>>().Value;
    public string DatabaseFile => Path.Combine(Folder, "callback.db");
    public string ConnectionString => Provider == DatabaseProvider.Postgres ? Database.ConnectionString : $"Data Source={DatabaseFile};Default Timeout=30;Pooling=False";

    /// <summary>The providers the key integration tests run on: theory data for <c>[MemberData]</c>.</summary>
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    public int UnitA { get; private set; }
    public int UnitB { get; private set; }

    public Actor OfficerA => Actor.User("officer-a", UnitA, "62", Roles.Officer);
    public Actor OfficerA2 => Actor.User("officer-a2", UnitA, "62", Roles.Officer);
    public Actor OfficerB => Actor.User("officer-b", UnitB, "59", Roles.Officer);
    public Actor Dispatcher => Actor.User("dispatcher-62", UnitA, "62", Roles.Dispatcher);
    public Actor Supervisor => Actor.User("supervisor-62", UnitA, "62", Roles.Supervisor);
    public static Actor Admin => Actor.User("admin-1", null, null, Roles.Admin);
    public CaseImporter Importer => _services.GetRequiredService<CaseImporter>();

    public static Task<Harness> CreateAsync(
        Action<WorkflowOptions>? configure = null, Action<DbContextOptionsBuilder>? database = null, Action<ImportOptions>? import = null) =>
        CreateAsync(DatabaseProvider.Sqlite, configure, database, import);

    /// <summary>On PostgreSQL the harness gets a database of its own, dropped with it.</summary>
    public static async Task<Harness> CreateAsync(
        DatabaseProvider provider, Action<WorkflowOptions>? configure = null, Action<DbContextOptionsBuilder>? database = null, Action<ImportOptions>? import = null)
    {
        var settings = provider == DatabaseProvider.Postgres
            ? new DatabaseSettings { Provider = provider, ConnectionString = await TestPostgres.CreateDatabaseAsync() }
            : null;
        return await CreateAsync(settings, configure, database, import);
    }

    /// <summary>A second node on the same database: its own services, clock and recorders.</summary>
    public Task<Harness> SecondNodeAsync(Action<WorkflowOptions>? configure = null) =>
        CreateAsync(Database, configure, database: null, import: null, migrate: false);

    private static async Task<Harness> CreateAsync(
        DatabaseSettings? settings, Action<WorkflowOptions>? configure, Action<DbContextOptionsBuilder>? database, Action<ImportOptions>? import, bool migrate = true)
    {
        var folder = Directory.CreateTempSubdirectory("callback-test-").FullName;
        settings ??= new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")};Pooling=False" };
        var clock = new FakeTimeProvider(Start);
        var alarms = new RecordingAlarms();
        var notifier = new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddOptions<WorkflowOptions>().Configure(o => configure?.Invoke(o));
        services.AddCallbackDatabase(settings, folder, o =>
        {
            DatabaseRegistration.StrictQueries(o);
            database?.Invoke(o);
        });
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IDeadlineAlarms>(alarms);
        services.AddSingleton<ICaseChangeNotifier>(notifier);
        services.AddSingleton<CaseWorkflowService>();
        services.AddOptions<ImportOptions>().Configure(o => import?.Invoke(o));
        services.AddSingleton<CaseImporter>();
        services.AddSingleton<Callback.Jobs.SweepSignal>();
        services.AddSingleton<DeadlineSweeper>();
        var provider = services.BuildServiceProvider();
        var harness = new Harness(folder, provider, clock, alarms, notifier, settings) { _ownsDatabase = migrate };
        if (migrate)
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            await harness.AddUnitsAsync();
        }
        else
        {
            await using var db = await harness.Databases.CreateDbContextAsync();
            harness.UnitA = await db.Units.Where(u => u.Code == "CTC-62").Select(u => u.Id).SingleAsync();
            harness.UnitB = await db.Units.Where(u => u.Code == "CTC-59").Select(u => u.Id).SingleAsync();
        }

        return harness;
    }

    /// <summary>
    /// For <c>database:</c>: commits are not flushed to disk. Locking still decides every race; durability is not under
    /// test, and a thousand fsyncs would make a test a minute slower.
    /// </summary>
    public static void NoFsync(DbContextOptionsBuilder options) => options.AddInterceptors(new NoFsyncPragma());

    private sealed class NoFsyncPragma : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection,
            Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = OFF;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public DeadlineSweeper Sweeper => _services.GetRequiredService<DeadlineSweeper>();

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Opens a case in unit A and reviews it, as its officer would: AwaitingContact, deadline at intervention + 48 h.</summary>
    public async Task<Guid> CaseAwaitingContactAsync(string reference = "62-2026-000001", DangerLevel danger = DangerLevel.Moderate)
    {
        var id = await Workflow.OpenAsync("CTC-62", Facts(reference), OfficerA);
        await Workflow.ReviewAsync(id, await VersionAsync(id), Findings(danger), OfficerA);
        return id;
    }

    /// <summary>
    /// A file of its own victim: her phone (06 12 …) and house number in the rue des Lilas come from the reference, so
    /// two references are two women. Files of one victim are linked, and raise the open one's danger (issue 19).
    /// </summary>
    public NewCase Facts(string reference)
    {
        var n = VictimNumber(reference);
        return new(reference, Now.AddHours(-1), OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", $"0612{n:000000}", $"{n} rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes));
    }

    /// <summary>A number of 1 to 999,999 that depends only on <paramref name="reference"/> (string hashes change per process).</summary>
    public static int VictimNumber(string reference)
    {
        var n = 17;
        foreach (var ch in reference)
        {
            n = unchecked((n * 31) + ch) & 0x7fffffff;
        }

        return (n % 999_999) + 1;
    }

    public static ReviewFindings Findings(DangerLevel danger = DangerLevel.Moderate, bool immediate = false) =>
        new(TriState.No, false, false, false, false, TriState.Unknown, ProtectionMeasures.None, danger, immediate);

    public async Task<int> VersionAsync(Guid id)
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync();
    }

    public async Task<Case> LoadAsync(Guid id)
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.Cases.AsNoTracking().Include(c => c.Attempts).SingleAsync(c => c.Id == id);
    }

    public async Task<List<Domain.Audit.AuditEntry>> AuditAsync(Guid? caseId = null)
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => caseId == null || e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async Task ExecuteSqlAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = Provider == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task AddUnitsAsync()
    {
        await using var db = await Databases.CreateDbContextAsync();
        var a = new Unit("CTC-62", "Cellule 62", "62", "Europe/Paris");
        var b = new Unit("CTC-59", "Cellule 59", "59", "Europe/Paris");
        db.Units.AddRange(a, b);
        await db.SaveChangesAsync();
        UnitA = a.Id;
        UnitB = b.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Provider == DatabaseProvider.Postgres && _ownsDatabase)
        {
            await TestPostgres.DropAsync(ConnectionString);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying handle: the temp folder is cleaned by the OS.
        }
    }
}

public sealed class RecordingAlarms : IDeadlineAlarms
{
    private readonly List<CaseAlarm> _armed = [];

    public IReadOnlyList<CaseAlarm> Armed
    {
        get
        {
            lock (_armed)
            {
                return _armed.ToList();
            }
        }
    }

    public void Arm(CaseAlarm alarm)
    {
        lock (_armed)
        {
            _armed.Add(alarm);
        }
    }
}

public sealed class RecordingNotifier : ICaseChangeNotifier
{
    private readonly List<CaseChanged> _changes = [];

    public IReadOnlyList<CaseChanged> Changes
    {
        get
        {
            lock (_changes)
            {
                return _changes.ToList();
            }
        }
    }

    public void Publish(CaseChanged change)
    {
        lock (_changes)
        {
            _changes.Add(change);
        }
    }
}
