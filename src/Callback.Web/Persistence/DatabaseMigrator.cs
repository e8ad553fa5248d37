using Callback.Domain.People;
using Callback.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Persistence;

/// <summary>
/// Applies migrations at start-up. EF Core takes a lock row in <c>__EFMigrationsLock</c> while it migrates a SQLite file,
/// and a process killed mid-migration leaves that row behind, so the next start would wait on it forever. Callback first
/// takes an operating-system lock on a file beside the database (dropped by the OS when a process dies); whoever holds
/// it is the only migrator alive, so any EF lock row it finds is stale and is removed. PostgreSQL needs none of this:
/// Npgsql's migration lock is a table lock inside the migrating transaction, which the server drops with a dead session,
/// so nodes starting together migrate one after the other and a crash leaves nothing behind.
/// Once the schema is current, cases made before the search keys existed are given theirs (<see cref="PersonKeyBackfill"/>).
/// </summary>
public sealed partial class DatabaseMigrator(IDbContextFactory<CallbackDbContext> databases, DatabaseLocation location, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await ApplyAsync(cancellationToken);
        var given = await PersonKeyBackfill.RunAsync(databases, cancellationToken);
        if (given > 0)
        {
            LogBackfilled(logger, given);
        }
    }

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (!location.MigrateOnStart)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Database:MigrateOnStart is off and {pending.Count} migration(s) are pending ({string.Join(", ", pending)}): " +
                    "apply them with the migration role first (docs/deploy.md).");
            }

            return;
        }

        if (location.Provider == DatabaseProvider.Postgres)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await MigrateSqliteAsync(cancellationToken);
    }

    private async Task MigrateSqliteAsync(CancellationToken cancellationToken)
    {
        var file = new SqliteConnectionStringBuilder(location.ConnectionString).DataSource;
        using var migrationLock = await AcquireAsync(file + ".migrate.lock", cancellationToken);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using (var connection = new SqliteConnection(location.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // WAL sticks to the file: readers never wait for the writer, and commits stay cheap.
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock';";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                command.CommandText = "DELETE FROM \"__EFMigrationsLock\";";
                var stale = await command.ExecuteNonQueryAsync(cancellationToken);
                if (stale > 0)
                {
                    LogStaleLock(logger, stale);
                }
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task<FileStream> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                // Another process is migrating right now: it finishes in seconds.
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search keys written for {Count} case(s) made before they existed")]
    private static partial void LogBackfilled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} stale EF Core migration lock row(s) left by a process that died while migrating")]
    private static partial void LogStaleLock(ILogger logger, int count);
}
