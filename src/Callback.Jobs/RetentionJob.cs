using Callback.Domain.Retention;
using Hangfire;
using Microsoft.Extensions.Hosting;

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

/// <summary>Declares the daily retention run (03:00 UTC, outside the call cells' busy hours) when the host starts.</summary>
internal sealed class RetentionSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron.Daily(3));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
