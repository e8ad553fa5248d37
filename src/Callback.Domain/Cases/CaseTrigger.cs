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

    /// <summary>After a contact: the victim is followed under a plan of check-ins ("mise sous suivi").</summary>
    StartFollowUp,

    /// <summary>A check-in of the plan reached the victim.</summary>
    RecordCheckIn,

    /// <summary>Fired by the clock: a check-in was not made in time.</summary>
    CheckInDeadlineElapsed,

    /// <summary>A dispatcher has seen the request (stops its acknowledgement alert); sending a crew is <see cref="Dispatch"/>.</summary>
    Acknowledge,

    /// <summary>A patrol request is called off with a reason (the victim called back, she was reached another way).</summary>
    CallOffPatrol,

    /// <summary>A supervisor confirms a patrol the governor held back: it goes to the dispatch board.</summary>
    ConfirmPatrol,

    /// <summary>A supervisor declines a patrol the governor held back, with a reason: the cell keeps calling.</summary>
    DeclinePatrol,
}
