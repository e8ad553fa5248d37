using Callback.Domain.Retention;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs;

/// <summary>
/// The daily retention run. It takes no arguments at all: which cases are due is read from the database each time, so
/// a missed day is caught up the next. Type and method names are stable (the recurring job refers to them).
/// </summary>
public sealed class RetentionJob(RetentionService retention)
{
    public const string RecurringId = "retention-anonymise-closed-cases";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [Queue(JobQueues.Default)]
    public Task RunAsync(CancellationToken cancellationToken) => retention.AnonymiseDueAsync(cancellationToken);
}

/// <summary>
/// Declares the daily retention run (03:00 UTC, outside the call cells' busy hours) once the host has started. It runs
/// beside the start-up, never in it: a locked or broken job store would otherwise keep the whole app, and so the sweep
/// that fires deadlines without the job store, from starting. Until the store answers it tries again every minute.
/// </summary>
internal sealed partial class RetentionSchedule(IRecurringJobManager recurring, TimeProvider clock, ILogger<RetentionSchedule> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // On a thread of its own: the storage call is synchronous and may wait for the store's lock for minutes.
                await Task.Run(() => recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron.Daily(3)), stoppingToken);
                return;
            }
#pragma warning disable CA1031 // The job store failing is reported by /health; the retention run is declared when it answers again.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogDeclareFailed(logger, ex.GetType().Name);
            }

            await Task.Delay(RetryAfter, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare the daily retention run in the job store ({ErrorType}); trying again in a minute")]
    private static partial void LogDeclareFailed(ILogger logger, string errorType);
}
