using System.Collections.Concurrent;
using Callback.Domain.Cases;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs;

/// <summary>
/// Rings the deadlines of the next minutes at their instant, in this process (issue 16.7). The job store keeps due times
/// in whole seconds and is polled, so a patrol alert reached the board up to a second and a half late; a timer in memory
/// rings on time. It is only the fastest of three: the database holds the deadline, the job store's job and the sweep
/// still ring it after a restart or on another node, and the workflow's alarm version lets only the first ring change
/// the case. Alarms beyond <see cref="MaxPending"/> waiting timers are left to those two.
/// </summary>
public sealed partial class InstantAlarms(TimeProvider clock, Func<CaseAlarm, CancellationToken, Task<DeadlineFiring>> ring, ILogger<InstantAlarms> logger)
    : IDisposable
{
    public const int MaxPending = 5_000;

    /// <summary>A timer may ring a few milliseconds before the database's clock says due: it asks again this often.</summary>
    private static readonly TimeSpan EarlyRetry = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<(Guid CaseId, int Version), ITimer> _pending = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Timers waiting to ring.</summary>
    public int Pending => _pending.Count;

    public void Schedule(CaseAlarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var key = (alarm.CaseId, alarm.Version);
        if (_stop.IsCancellationRequested || _pending.Count >= MaxPending || _pending.ContainsKey(key))
        {
            return;
        }

        // Made stopped, registered, then started: a timer due at once cannot ring before it can be found and removed.
        var timer = clock.CreateTimer(static state =>
        {
            var (owner, due) = ((InstantAlarms, CaseAlarm))state!;
            _ = owner.RingAsync(due);
        }, (this, alarm), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!_pending.TryAdd(key, timer))
        {
            timer.Dispose();
            return;
        }

        var delay = alarm.DueUtc - clock.GetUtcNow().UtcDateTime;
        timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private async Task RingAsync(CaseAlarm alarm)
    {
        try
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                if (await ring(alarm, _stop.Token) != DeadlineFiring.NotDueYet)
                {
                    return;
                }

                await Task.Delay(EarlyRetry, clock, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: the job store and the sweep ring it after the restart.
        }
#pragma warning disable CA1031 // A failed ring is the job store's and the sweep's to repeat; it must not be lost in a timer thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRingFailed(logger, ex, alarm.CaseId);
        }
        finally
        {
            if (_pending.TryRemove((alarm.CaseId, alarm.Version), out var timer))
            {
                await timer.DisposeAsync();
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var timer in _pending.Values)
        {
            timer.Dispose();
        }

        _pending.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The instant alarm of case {CaseId} failed; the job store and the sweep will ring it")]
    private static partial void LogRingFailed(ILogger logger, Exception exception, Guid caseId);
}
