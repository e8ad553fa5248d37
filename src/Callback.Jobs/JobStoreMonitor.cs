using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs;

/// <summary>
/// Asks the job store, every few seconds, to write a heartbeat and to list its servers, and tells <see cref="JobStoreStatus"/>
/// (which /health and the supervisors' banner read) whether it answered in time. Without it a store that stalls while no
/// alarm is being scheduled would go unnoticed: the sweep keeps firing deadlines, so nothing else would look wrong. A call
/// still hanging from the last round is not repeated, so a locked store does not pile up blocked threads.
/// </summary>
public sealed partial class JobStoreMonitor(JobStorage storage, JobStoreStatus status, TimeProvider clock, JobsSettings settings, ILogger<JobStoreMonitor> logger)
    : BackgroundService
{
    /// <summary>How long the store may take to answer before it counts as stalled.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task<int>? _pending;
    private bool? _healthy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await ProbeAsync(stoppingToken);
            await Task.Delay(settings.HealthProbeInterval, clock, stoppingToken);
        }
    }

    /// <summary>One probe: the number of job servers, or null (and the store reported failing) when it does not answer.</summary>
    public async Task<int?> ProbeAsync(CancellationToken cancellationToken)
    {
        Task<int> probe;
        lock (_gate)
        {
            if (_pending is null || _pending.IsCompleted)
            {
                _pending = Task.Run(Touch, CancellationToken.None);
            }

            probe = _pending;
        }

        var finished = await Task.WhenAny(probe, Task.Delay(AnswerWithin, clock, cancellationToken));
        if (finished == probe && probe.IsCompletedSuccessfully)
        {
            status.ReportSuccess();
            Record(healthy: true, null);
            return probe.Result;
        }

        var error = finished != probe
            ? new TimeoutException($"the job store did not answer within {AnswerWithin.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s")
            : probe.Exception?.InnerException ?? probe.Exception!;
        status.ReportFailure(error);
        Record(healthy: false, error);
        return null;
    }

    /// <summary>A write and a read, as the alarms need: a read-only or locked store fails here.</summary>
    private int Touch()
    {
        using (var connection = storage.GetConnection())
        {
            connection.SetRangeInHash("callback:health", [new("probedAt", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))]);
        }

        return LiveServers(storage.GetMonitoringApi().Servers(), clock.GetUtcNow().UtcDateTime, HeartbeatTolerance);
    }

    /// <summary>
    /// How old a server's last heartbeat may be for it to count as alive: three of Hangfire's 30 s heartbeats. A killed
    /// server stays listed until Hangfire's 5 min server timeout removes it; it must not count as alive meanwhile.
    /// </summary>
    public static readonly TimeSpan HeartbeatTolerance = TimeSpan.FromSeconds(90);

    /// <summary>The servers whose last heartbeat (UTC) is at most <paramref name="tolerance"/> old at <paramref name="nowUtc"/>.</summary>
    public static int LiveServers(IEnumerable<Hangfire.Storage.Monitoring.ServerDto> servers, DateTime nowUtc, TimeSpan tolerance) =>
        servers.Count(s => s.Heartbeat is { } beat && nowUtc - DateTime.SpecifyKind(beat, DateTimeKind.Utc) <= tolerance);

    private void Record(bool healthy, Exception? error)
    {
        bool? before;
        lock (_gate)
        {
            before = _healthy;
            _healthy = healthy;
        }

        if (before == healthy)
        {
            return;
        }

        if (!healthy)
        {
            // The exception's type and message only: they name files and timeouts, never a case or a person.
            LogStalled(logger, error?.GetType().Name ?? "", error?.Message ?? "");
        }
        else if (before is false)
        {
            LogRecovered(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The job store is failing ({ErrorType}: {Error}); deadlines are fired by the sweep alone until it answers again")]
    private static partial void LogStalled(ILogger logger, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The job store answers again")]
    private static partial void LogRecovered(ILogger logger);
}
