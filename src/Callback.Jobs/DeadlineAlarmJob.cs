using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Hangfire;

namespace Callback.Jobs;

/// <summary>
/// The alarm clock of one deadline. It carries identifiers only, and it decides nothing: the workflow re-reads the case
/// and acts only if this alarm is still the case's alarm and really due. Type and method names are stable, since
/// renaming them would orphan the jobs already scheduled.
/// </summary>
public sealed class DeadlineAlarmJob(CaseWorkflowService workflow, IDeadlineAlarms alarms, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(JobQueues.Deadlines)]
    public async Task RingAsync(Guid caseId, int version, DeadlineKind kind, CancellationToken cancellationToken)
    {
        // Hangfire keeps due times in whole seconds, so a job may start up to a second early: wait it out, briefly.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await workflow.FireDeadlineAsync(caseId, version, kind, cancellationToken) != DeadlineFiring.NotDueYet)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        }

        // Far too early (the clock moved, or the store misread the time): set the alarm again from the database.
        if (await workflow.GetAlarmAsync(caseId, cancellationToken) is { } alarm && alarm.Version == version)
        {
            alarms.Arm(alarm);
        }
    }
}

public static class JobQueues
{
    public const string Deadlines = "deadlines";
    public const string Default = "default";
}
