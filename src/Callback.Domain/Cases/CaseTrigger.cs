namespace Callback.Domain.Cases;

/// <summary>What may happen to a case. Names are stable: they are written into the audit log.</summary>
public enum CaseTrigger
{
    Review,
    RecordAttempt,
    RecordContact,
    ScheduleFollowUp,
    RequestPatrol,
    ContactDeadlineElapsed,
    MaxAttemptsReached,
    Dispatch,
    ReportOutcome,
    Close,
    Reopen,
}
