using System.Data.Common;
using System.Runtime.CompilerServices;
using Callback.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Callback.Web.Persistence;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{CallbackDbContext}"/> for the configured provider. Components and services
    /// ask for the provider-neutral factory; only this method knows which subclass stands behind it.
    /// </summary>
    public static IServiceCollection AddCallbackDatabase(
        this IServiceCollection services, DatabaseSettings settings, string contentRoot, Action<DbContextOptionsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string connectionString;
        // Pooled: a transition creates one context, and a fresh one costs more than the work it does.
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            connectionString = settings.ConnectionString;
            services.AddPooledDbContextFactory<PostgresCallbackDbContext>(o => o
                .UseNpgsql(connectionString)
                .Also(configure));
            services.AddSingleton<IDbContextFactory<CallbackDbContext>, NeutralFactory<PostgresCallbackDbContext>>();
        }
        else
        {
            connectionString = SqliteConnectionStrings.Resolve(settings.ConnectionString, contentRoot);
            services.AddPooledDbContextFactory<SqliteCallbackDbContext>(o => o
                .UseSqlite(connectionString)
                .AddInterceptors(SqlitePragmas.Instance)
                .Also(configure));
            services.AddSingleton<IDbContextFactory<CallbackDbContext>, NeutralFactory<SqliteCallbackDbContext>>();
        }

        services.AddSingleton(new DatabaseLocation(settings.Provider, connectionString, settings.MigrateOnStart));
        return services;
    }

    /// <summary>
    /// For tests: EF Core's warning that a query limits rows (Take, Skip, First) with no order, so that the rows it returns
    /// depend on the database's mood, is thrown instead of logged.
    /// </summary>
    public static void StrictQueries(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    private sealed class NeutralFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CallbackDbContext>
        where TContext : CallbackDbContext
    {
        public CallbackDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<CallbackDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

internal static class OptionsBuilderExtensions
{
    public static DbContextOptionsBuilder Also(this DbContextOptionsBuilder builder, Action<DbContextOptionsBuilder>? configure)
    {
        configure?.Invoke(builder);
        return builder;
    }
}

public sealed record DatabaseLocation(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStart = true);

public static class SqliteConnectionStrings
{
    /// <summary>Makes a relative SQLite file path absolute against the content root and creates its folder.</summary>
    public static string Resolve(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, file));
        }

        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            Security.PrivateFiles.NarrowDatabase(builder.DataSource);
        }

        return builder.ToString();
    }
}

/// <summary>
/// Per-connection settings SQLite does not keep in the file: full fsync at each commit (a committed transition survives
/// a power cut) and a busy timeout so concurrent writers wait instead of failing. Set once per physical connection: a
/// pooled connection keeps its native handle, and its settings, from one context to the next, and setting them again
/// at every open cost each query two statements more than it asked for.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    private const string Pragmas = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";

    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Whether this open is the first of its native connection (a handle not seen before).</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
}
