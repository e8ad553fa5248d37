using Npgsql;

namespace Callback.Testing;

/// <summary>
/// The PostgreSQL server the tests use: <c>CALLBACK_TEST_POSTGRES</c> (a connection string without a database), or the
/// role .ci/run creates. Each caller gets a database of its own, dropped when it is done. Where the server cannot be
/// reached a test skips with a message on a developer's machine, and fails under <c>CI=true</c>.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "CALLBACK_TEST_POSTGRES";
    private const string Fallback = "Host=127.0.0.1;Username=callback;Password=callback-test";
    private static readonly Lazy<Task<string?>> Reachable = new(ProbeAsync);

    public static string ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Fallback;

    /// <summary>Skips (or fails under CI) unless the server answers.</summary>
    public static async Task RequireAsync()
    {
        if (await Reachable.Value is { } error)
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            Assert.False(ci, $"CI=true but PostgreSQL is unreachable ({error}): .ci/run must install and start it and set {Variable}.");
            Assert.Skip($"PostgreSQL tests need a server: set {Variable} (e.g. \"{Fallback}\"), or run .ci/run once. ({error})");
        }
    }

    /// <summary>Creates an empty database and returns its connection string; <see cref="DropAsync"/> removes it.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        await RequireAsync();
        var name = $"callback_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        // A small pool per node, as in production (docs/deploy.md): tests that run two nodes flat out stay under the
        // server's max_connections, and the surplus waits for a connection instead of failing.
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>Runs <paramref name="test"/> on a database of its own, dropped after, whatever happens.</summary>
    public static async Task WithDatabaseAsync(Func<string, Task> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var connectionString = await CreateDatabaseAsync();
        try
        {
            await test(connectionString);
        }
        finally
        {
            await DropAsync(connectionString);
        }
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // Seen once under load: a server process of another role was still attached to the test's database while
                // it closed, and FORCE may not terminate another role's process. Wait for it to go, as a person would.
                await Task.Delay(250);
            }
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ProbeAsync()
    {
        try
        {
            var probe = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false, Timeout = 3 };
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
