using Callback.Domain.Workflow;

namespace Callback.Web.Live;

/// <summary>
/// Fans committed case changes out to the live pages of this process. Subscribers get identifiers only and reload what
/// their user may see. A failing subscriber never stops the others, nor the transition that raised the change.
/// </summary>
public sealed partial class CaseChangeBroadcaster(ILogger<CaseChangeBroadcaster> logger) : ICaseChangeNotifier
{
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = ImmutableSubscribers.Empty;
    private long _generation;

    /// <summary>
    /// How many changes this process has heard of, counted before they reach the pages: a read that notes it before it starts
    /// and finds it unchanged later knows that nothing it heard of was committed in between (QueueService shares reads so).
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    public IDisposable Subscribe(Func<CaseChanged, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _subscribers = _subscribers.Add(handler);
        }

        return new Subscription(this, handler);
    }

    /// <summary>
    /// Hands the change to every subscriber on the thread pool and returns at once. Not inline: a page's
    /// <c>InvokeAsync</c> runs its read on the caller's thread when its circuit is idle, and SQLite reads synchronously,
    /// so 200 officers' queues read again one after another on the thread of the transaction that raised the change,
    /// and the officer who acted waited for all of them (1.1 s at p50; docs/performance.md, issue 20.5).
    /// </summary>
    public void Publish(CaseChanged change)
    {
        Interlocked.Increment(ref _generation);
        foreach (var handler in _subscribers.Items)
        {
            _ = Task.Run(() => InvokeAsync(handler, change));
        }
    }

    private async Task InvokeAsync(Func<CaseChanged, Task> handler, CaseChanged change)
    {
        try
        {
            await handler(change);
        }
#pragma warning disable CA1031 // One broken page must not keep the others from hearing of the change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Pages report their own failures to their error boundary (LivePage); what reaches here escaped one, and is
            // logged loudly but with identifiers only: an exception's message can quote a case, the log must not.
            LogSubscriberFailed(logger, change.CaseId, handler.Target?.GetType().Name ?? handler.Method.Name, ex.GetType().FullName, ex.StackTrace);
        }
    }

    private void Unsubscribe(Func<CaseChanged, Task> handler)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(handler);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscriber {Subscriber} failed to handle the change of case {CaseId} with {ExceptionType} at {StackTrace}")]
    private static partial void LogSubscriberFailed(ILogger logger, Guid caseId, string subscriber, string? exceptionType, string? stackTrace);

    private sealed class Subscription(CaseChangeBroadcaster owner, Func<CaseChanged, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }

    private sealed record ImmutableSubscribers(Func<CaseChanged, Task>[] Items)
    {
        public static ImmutableSubscribers Empty { get; } = new([]);

        public ImmutableSubscribers Add(Func<CaseChanged, Task> handler) => new([.. Items, handler]);

        public ImmutableSubscribers Remove(Func<CaseChanged, Task> handler) => new(Items.Where(h => h != handler).ToArray());
    }
}
