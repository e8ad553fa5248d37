using Hangfire.Server;
using Hangfire.Storage.Monitoring;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Jobs.Tests;

/// <summary>
/// A killed job server stays listed in the store until Hangfire's 5 min server timeout removes it; /health counted it
/// as alive meanwhile. Only a server whose heartbeat is recent counts.
/// </summary>
public class JobServerCountTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void LiveServers_CountsOnlyRecentHeartbeats()
    {
        ServerDto[] servers =
        [
            new() { Name = "alive", Heartbeat = Now.AddSeconds(-20) },
            new() { Name = "just-in-time", Heartbeat = Now - JobStoreMonitor.HeartbeatTolerance },
            new() { Name = "killed", Heartbeat = Now.AddMinutes(-4) },
            new() { Name = "never-beat", Heartbeat = null },
        ];

        Assert.Equal(2, JobStoreMonitor.LiveServers(servers, Now, JobStoreMonitor.HeartbeatTolerance));
    }

    [Fact]
    public async Task Probe_DoesNotCountAServerWhoseHeartbeatStopped()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("callback-servers-").FullName;
        // Hangfire's log provider is a static, left by the last test host pointing at its disposed LoggerFactory: a
        // storage made outside a host would log through it and throw (seen once in CI, depending on test order).
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentLogs());
        var storage = new SQLiteStorage(Path.Combine(folder, "hangfire.db"), new SQLiteStorageOptions());
        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("killed-node", new ServerContext { Queues = ["default"], WorkerCount = 1 });
        }

        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var monitor = new JobStoreMonitor(storage, new JobStoreStatus(clock), clock, new JobsSettings(), NullLogger<JobStoreMonitor>.Instance);
        Assert.Equal(1, await monitor.ProbeAsync(ct));

        // Killed: no heartbeat for four minutes, still listed by the store.
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await monitor.ProbeAsync(ct));
    }

    private sealed class SilentLogs : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
