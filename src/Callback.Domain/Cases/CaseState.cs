namespace Callback.Domain.Cases;

/// <summary>Where a follow-up case stands in its lifecycle. "Overdue" is not a state: it is computed from <see cref="Case.DueAtUtc"/>.</summary>
public enum CaseState
{
    AwaitingReview = 0,
    AwaitingContact = 1,
    PatrolRequested = 2,
    PatrolDispatched = 3,
    Closed = 4,
}

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
