using System.Collections.Concurrent;
using System.Diagnostics;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Callback.Web.Tests.Live;

/// <summary>Two nodes' relays on one PostgreSQL database: what one publishes, the other's pages hear, once.</summary>
public class PostgresCaseChangeRelayTests
{
    [Fact]
    public async Task ChangeOnNodeA_ReachesNodeBsPagesWithinASecond_AndNodeAsOwnPagesOnce()
    {
        await TestPostgres.WithDatabaseAsync(async connectionString =>
        {
            await using var a = await Node.StartAsync(connectionString);
            await using var b = await Node.StartAsync(connectionString);
            var change = new CaseChanged(Guid.NewGuid(), 7, "62", CaseState.PatrolRequested, nameof(CaseTrigger.ContactDeadlineElapsed), TimeProvider.System.GetUtcNow().UtcDateTime);

            var watch = Stopwatch.StartNew();
            a.Relay.Publish(change);
            var heard = await b.NextAsync(TimeSpan.FromSeconds(5));
            var latency = watch.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine($"node A -> node B: {latency.TotalMilliseconds:0} ms");
            await Task.Delay(300, TestContext.Current.CancellationToken);

            Assert.Equal(change, heard);
            Assert.True(latency < TimeSpan.FromSeconds(1), $"took {latency}");
            Assert.Equal([change], a.Heard);
            Assert.Equal([change], b.Heard);
        });
    }

    [Fact]
    public async Task BurstOfChangesOnNodeA_AllReachNodeB_InFewNotifications()
    {
        await TestPostgres.WithDatabaseAsync(async connectionString =>
        {
            await using var a = await Node.StartAsync(connectionString);
            await using var b = await Node.StartAsync(connectionString);
            var changes = Enumerable.Range(0, 500)
                .Select(i => new CaseChanged(Guid.NewGuid(), i, "974", CaseState.PatrolRequested, "ContactDeadlineElapsed", TimeProvider.System.GetUtcNow().UtcDateTime)).ToList();

            foreach (var change in changes)
            {
                a.Relay.Publish(change);
            }

            var waited = Stopwatch.StartNew();
            while (b.Heard.Count < changes.Count && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            Assert.Equal(changes.Select(c => c.CaseId).Order(), b.Heard.Select(c => c.CaseId).Order());
        });
    }

    [Fact]
    public async Task ListenerWhoseConnectionIsKilled_Reconnects_AndHearsTheNextChange()
    {
        await TestPostgres.WithDatabaseAsync(async connectionString =>
        {
            await using var a = await Node.StartAsync(connectionString);
            await using var b = await Node.StartAsync(connectionString);
            await using (var admin = new NpgsqlConnection(connectionString))
            {
                await admin.OpenAsync(TestContext.Current.CancellationToken);
                // What a database restart or a network cut does to the listening connections.
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", admin);
                Assert.True((long)(await kill.ExecuteScalarAsync(TestContext.Current.CancellationToken))! >= 1);
            }

            var change = new CaseChanged(Guid.NewGuid(), 3, "31", CaseState.PatrolRequested, "RequestPatrol", TimeProvider.System.GetUtcNow().UtcDateTime);
            var waited = Stopwatch.StartNew();
            while (!b.Heard.Contains(change) && waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                // Published again until heard: a notification sent while B was reconnecting is lost by design.
                a.Relay.Publish(change);
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }

            Assert.Contains(change, b.Heard);
        });
    }

    private sealed class Node : IAsyncDisposable
    {
        private readonly ConcurrentQueue<CaseChanged> _heard = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly NpgsqlDataSource _database;
        private readonly IDisposable _subscription;

        private Node(string connectionString)
        {
            _database = NpgsqlDataSource.Create(connectionString);
            var broadcaster = new CaseChangeBroadcaster(NullLogger<CaseChangeBroadcaster>.Instance);
            Relay = new PostgresCaseChangeRelay(broadcaster, _database, TimeProvider.System, NullLogger<PostgresCaseChangeRelay>.Instance);
            _subscription = broadcaster.Subscribe(c =>
            {
                _heard.Enqueue(c);
                _arrived.Release();
                return Task.CompletedTask;
            });
        }

        public PostgresCaseChangeRelay Relay { get; }

        public List<CaseChanged> Heard => [.. _heard];

        public static async Task<Node> StartAsync(string connectionString)
        {
            var node = new Node(connectionString);
            await node.Relay.StartAsync(CancellationToken.None);
            await node.Relay.Listening.WaitAsync(TimeSpan.FromSeconds(10));
            return node;
        }

        public async Task<CaseChanged> NextAsync(TimeSpan timeout)
        {
            Assert.True(await _arrived.WaitAsync(timeout), "nothing arrived");
            return _heard.Last();
        }

        public async ValueTask DisposeAsync()
        {
            await Relay.StopAsync(CancellationToken.None);
            Relay.Dispose();
            _subscription.Dispose();
            _arrived.Dispose();
            await _database.DisposeAsync();
        }
    }
}
