namespace Callback.Jobs;

/// <summary>
/// Asks the sweep to run early. When a burst of deadlines exceeds what the job store is given, a wake-up at the end of
/// each second of the burst replaces thousands of jobs: the sweep then fires that second's deadlines from the database
/// in batches.
/// </summary>
public sealed class SweepSignal
{
    private readonly Lock _gate = new();
    private readonly SortedSet<DateTime> _wakes = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the sweep once everything due in the same second as <paramref name="dueUtc"/> has fallen due.</summary>
    public void WakeAt(DateTime dueUtc)
    {
        var endOfSecond = new DateTime((dueUtc.Ticks / TimeSpan.TicksPerSecond + 1) * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            var earlier = _wakes.Count == 0 || endOfSecond < _wakes.Min;
            if (_wakes.Add(endOfSecond) && earlier)
            {
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        changed?.TrySetResult();
    }

    /// <summary>The earliest requested wake-up, and a task that completes when an earlier one is requested.</summary>
    internal (DateTime? EarliestUtc, Task Changed) Peek()
    {
        lock (_gate)
        {
            return (_wakes.Count == 0 ? null : _wakes.Min, _changed.Task);
        }
    }

    /// <summary>Forgets the wake-ups at or before <paramref name="sweptAtUtc"/>: that sweep covered them.</summary>
    internal void Covered(DateTime sweptAtUtc)
    {
        lock (_gate)
        {
            _wakes.RemoveWhere(w => w <= sweptAtUtc);
        }
    }
}
