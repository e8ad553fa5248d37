using System.Threading.Channels;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Jobs;

/// <summary>
/// Hands alarms to Hangfire away from the caller. A request that commits a transition only drops the alarm into a
/// bounded in-memory queue; a slow or broken job store stalls this pump, never an officer's page. Alarms beyond the
/// horizon are not handed over at all: the sweep hands them over as their time approaches, so the job store holds
/// only the near future and a mass of deadlines stays in the database, where the sweep fires it.
/// </summary>
public sealed partial class AlarmPump(
    IBackgroundJobClient jobs,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    JobStoreStatus status,
    SweepSignal sweep,
    ILogger<AlarmPump> logger,
    InstantAlarms? instant = null) : BackgroundService, IDeadlineAlarms
{
    private readonly Dictionary<long, int> _armedPerSecond = [];
    private readonly Lock _gate = new();
    private readonly Channel<CaseAlarm> _queue = Channel.CreateBounded<CaseAlarm>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Arm(CaseAlarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var now = clock.GetUtcNow().UtcDateTime;
        if (alarm.DueUtc > now + options.Value.AlarmHorizon)
        {
            // Beyond the horizon: the sweep hands it over when its time approaches.
            return;
        }

        if (!TakeSlot(alarm.DueUtc, now))
        {
            // One more in a burst: the database keeps the deadline, and the sweep wakes at its instant to fire them all.
            sweep.WakeAt(alarm.DueUtc);
            return;
        }

        // Rung on time by this process; the job store's copy is the backstop for a restart or another node.
        instant?.Schedule(alarm);
        if (!_queue.Writer.TryWrite(alarm))
        {
            LogDropped(logger, alarm.CaseId);
        }
    }

    /// <summary>Alarms waiting to be handed to the job store.</summary>
    public int Backlog => _queue.Reader.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var alarm in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var due = new DateTimeOffset(DateTime.SpecifyKind(alarm.DueUtc, DateTimeKind.Utc));
                jobs.Schedule<DeadlineAlarmJob>(j => j.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, CancellationToken.None), due);
                status.ReportSuccess();
            }
#pragma warning disable CA1031 // The job store failing must not stop the pump; the sweep fires what was not scheduled.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                status.ReportFailure(ex);
                LogScheduleFailed(logger, ex, alarm.CaseId);
            }
        }
    }

    private bool TakeSlot(DateTime dueUtc, DateTime nowUtc)
    {
        var second = dueUtc.Ticks / TimeSpan.TicksPerSecond;
        lock (_gate)
        {
            if (_armedPerSecond.Count > 4_096)
            {
                var past = nowUtc.Ticks / TimeSpan.TicksPerSecond;
                foreach (var key in _armedPerSecond.Keys.Where(k => k < past).ToList())
                {
                    _armedPerSecond.Remove(key);
                }
            }

            _armedPerSecond.TryGetValue(second, out var count);
            if (count >= options.Value.MaxAlarmsPerSecond)
            {
                return false;
            }

            _armedPerSecond[second] = count + 1;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm queue full; the sweep will fire the deadline of case {CaseId}")]
    private static partial void LogDropped(ILogger logger, Guid caseId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The job store refused the alarm of case {CaseId}; the sweep will fire it")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, Guid caseId);
}

/// <summary>What the app last saw of its job store, for /health and the supervisors' banner.</summary>
public sealed class JobStoreStatus(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTime? _lastFailureUtc;
    private DateTime? _lastSuccessUtc;
    private string? _lastError;

    /// <summary>Raised when the store turns healthy or unhealthy (on the reporting thread): live pages redraw.</summary>
    public event EventHandler? Changed;

    public bool IsHealthy => Snapshot().Healthy;

    public void ReportSuccess() => Report(() => _lastSuccessUtc = clock.GetUtcNow().UtcDateTime);

    public void ReportFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Report(() =>
        {
            _lastFailureUtc = clock.GetUtcNow().UtcDateTime;
            _lastError = error.GetType().Name;
        });
    }

    /// <summary>Unhealthy when the last contact with the job store failed.</summary>
    public (bool Healthy, string Description) Snapshot()
    {
        lock (_gate)
        {
            if (!HealthyLocked())
            {
                return (false, $"job store failing since {_lastFailureUtc:O} ({_lastError})");
            }

            return (true, _lastSuccessUtc is { } ok ? $"job store answered at {ok:O}" : "job store not used yet");
        }
    }

    private void Report(Action record)
    {
        bool before, after;
        lock (_gate)
        {
            before = HealthyLocked();
            record();
            after = HealthyLocked();
        }

        if (before != after)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private bool HealthyLocked() => _lastFailureUtc is not { } failed || (_lastSuccessUtc is { } ok && ok >= failed);
}
