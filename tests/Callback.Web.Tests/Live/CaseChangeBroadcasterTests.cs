using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Live;
using Microsoft.Extensions.Logging;

namespace Callback.Web.Tests.Live;

/// <summary>The in-process fan-out: one broken page neither silences the others nor disappears without a trace.</summary>
public class CaseChangeBroadcasterTests
{
    private static readonly CaseChanged Change =
        new(Guid.NewGuid(), 7, "62", CaseState.PatrolRequested, nameof(CaseTrigger.RequestPatrol), new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc));

    [Fact]
    public async Task Publish_WhenOneSubscriberThrows_TheOthersStillHear_AndTheFailureIsLoggedWithIdentifiersOnly()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var broadcaster = new CaseChangeBroadcaster(factory.CreateLogger<CaseChangeBroadcaster>());
        var before = new TaskCompletionSource<CaseChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new TaskCompletionSource<CaseChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = broadcaster.Subscribe(c => { before.TrySetResult(c); return Task.CompletedTask; });
        // Throws synchronously, before any await: the harshest case for a fan-out loop.
        using var broken = broadcaster.Subscribe(_ => throw new InvalidOperationException("Camille Martin 0612345678"));
        using var faulted = broadcaster.Subscribe(async _ =>
        {
            await Task.Yield();
            throw new TimeoutException("3 rue des Lilas");
        });
        using var last = broadcaster.Subscribe(c => { after.TrySetResult(c); return Task.CompletedTask; });

        broadcaster.Publish(Change);

        var timeout = TimeSpan.FromSeconds(5);
        Assert.Equal(Change, await before.Task.WaitAsync(timeout, TestContext.Current.CancellationToken));
        Assert.Equal(Change, await after.Task.WaitAsync(timeout, TestContext.Current.CancellationToken));
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!logs.Text().Contains(nameof(TimeoutException), StringComparison.Ordinal) && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var text = logs.Text();
        Assert.Contains($"Error {typeof(CaseChangeBroadcaster).FullName}", text, StringComparison.Ordinal);
        Assert.Contains(Change.CaseId.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(typeof(InvalidOperationException).FullName!, text, StringComparison.Ordinal);
        Assert.Contains(typeof(TimeoutException).FullName!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Camille", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Lilas", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AfterUnsubscribing_ReachesNobody()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var broadcaster = new CaseChangeBroadcaster(factory.CreateLogger<CaseChangeBroadcaster>());
        var heard = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = broadcaster.Subscribe(_ => { Interlocked.Increment(ref heard); first.TrySetResult(); return Task.CompletedTask; });
        broadcaster.Publish(Change);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        subscription.Dispose();
        var other = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stays = broadcaster.Subscribe(_ => { other.TrySetResult(); return Task.CompletedTask; });
        broadcaster.Publish(Change);
        await other.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(1, Volatile.Read(ref heard));
    }

    /// <summary>
    /// Issue 20.5: a page reads again on the thread it is called on when its circuit is idle, and SQLite reads
    /// synchronously. The transaction that raised the change must not wait for 200 pages' reads: a subscriber that blocks
    /// its thread does not hold the publisher.
    /// </summary>
    [Fact]
    public async Task Publish_ReturnsBeforeASubscriberThatBlocksItsThread_HasDoneItsWork()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var broadcaster = new CaseChangeBroadcaster(factory.CreateLogger<CaseChangeBroadcaster>());
        using var release = new ManualResetEventSlim();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var blocking = broadcaster.Subscribe(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            done.TrySetResult();
            return Task.CompletedTask;
        });

        broadcaster.Publish(Change);

        Assert.False(done.Task.IsCompleted);
        release.Set();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }
}
