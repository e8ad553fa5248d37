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
}
