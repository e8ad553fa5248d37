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
    public void Publish_AfterUnsubscribing_ReachesNobody()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var broadcaster = new CaseChangeBroadcaster(factory.CreateLogger<CaseChangeBroadcaster>());
        var heard = 0;
        var subscription = broadcaster.Subscribe(_ => { heard++; return Task.CompletedTask; });

        broadcaster.Publish(Change);
        subscription.Dispose();
        broadcaster.Publish(Change);

        Assert.Equal(1, heard);
    }
}
