using Callback.Web.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Persistence;

public class MigrationTests
{
    private static async Task<(string Folder, ServiceProvider Services)> FreshDatabaseWithStaleLockAsync()
    {
        var folder = Directory.CreateTempSubdirectory("callback-migrate-").FullName;
        var connectionString = $"Data Source={Path.Combine(folder, "callback.db")};Pooling=False";
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // What a process killed in the middle of Migrate() leaves behind.
            command.CommandText = """
                CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-11-26 03:00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        var services = new ServiceCollection().AddLogging()
            .AddCallbackDatabase(new DatabaseSettings { ConnectionString = connectionString }, folder)
            .AddSingleton<DatabaseMigrator>()
            .BuildServiceProvider();
        return (folder, services);
    }

    [Fact]
    public async Task PlainMigrate_HangsOnALockLeftByADeadProcess_WhichIsWhyTheMigratorClearsIt()
    {
        var (_, services) = await FreshDatabaseWithStaleLockAsync();
        await using var _s = services;
        await using var db = await services.GetRequiredService<IDbContextFactory<Domain.Persistence.CallbackDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Database.MigrateAsync(timeout.Token));
    }

    [Fact]
    public async Task Migrator_WithAStaleLock_StillMigratesAtStartUp()
    {
        var (_, services) = await FreshDatabaseWithStaleLockAsync();
        await using var _s = services;
        var migrating = services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        var finished = await Task.WhenAny(migrating, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));

        Assert.Same(migrating, finished);
        await migrating;
        await using var db = await services.GetRequiredService<IDbContextFactory<Domain.Persistence.CallbackDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.AuditHeads.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Migrator_SetsWal_AndEveryConnectionUsesFullSyncAndABusyTimeout()
    {
        await using var h = await Harness.CreateAsync();
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var connection = db.Database.GetDbConnection();

        async Task<string?> Pragma(string name)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal("wal", await Pragma("journal_mode"));
        Assert.Equal("2", await Pragma("synchronous"));
        Assert.Equal("30000", await Pragma("busy_timeout"));
    }

    /// <summary>
    /// The settings are made once per native connection, not at every open: a pooled connection brought back by the
    /// next context is the same handle, and still has them (the default connection string pools).
    /// </summary>
    [Fact]
    public async Task APooledConnectionReusedByTheNextContext_KeepsFullSyncAndTheBusyTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("callback-pragmas-").FullName;
        await using var services = new ServiceCollection().AddLogging()
            .AddCallbackDatabase(new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")}" }, folder)
            .BuildServiceProvider();
        var databases = services.GetRequiredService<IDbContextFactory<Domain.Persistence.CallbackDbContext>>();

        var seen = new List<(object Handle, string? Synchronous, string? BusyTimeout)>();
        for (var open = 0; open < 3; open++)
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();

            async Task<string?> Pragma(string name)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA {name};";
                return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }

            seen.Add((connection.Handle!, await Pragma("synchronous"), await Pragma("busy_timeout")));
            await db.Database.CloseConnectionAsync();
        }

        Assert.All(seen, s => Assert.Equal(("2", "30000"), (s.Synchronous, s.BusyTimeout)));
        // The pool gave the same native connection back each time: the path where the settings are not made again.
        Assert.Single(seen.Select(s => s.Handle).Distinct());
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
