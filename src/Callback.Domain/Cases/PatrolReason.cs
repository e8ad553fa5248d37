namespace Callback.Domain.Cases;

/// <summary>
/// Why a patrol was requested, as a code: pages render it in the reader's language, and whatever a person typed is kept
/// beside it (<see cref="PatrolRequest.ReasonNote"/>). Stored as its number: never renumber.
/// </summary>
public enum PatrolReason
{
    /// <summary>The review of the file found immediate danger.</summary>
    DangerAtReview = 0,

    /// <summary>The victim was reached and the call revealed danger.</summary>
    DangerDuringCall = 1,

    /// <summary>The maximum of unanswered calls was reached.</summary>
    MaxAttemptsReached = 2,

    /// <summary>The contact deadline passed without the victim being reached.</summary>
    ContactDeadlineElapsed = 3,

    /// <summary>An officer asked for a patrol; the officer's words are the note.</summary>
    RequestedByOfficer = 4,

    /// <summary>A high-danger follow-up check-in was not made in time.</summary>
    CheckInDeadlineElapsed = 5,
}

/// <summary>Why a patrol request was called off. Stored as its number: never renumber.</summary>
public enum PatrolCallOff
{
    /// <summary>The victim called the cell back.</summary>
    VictimCalledBack = 0,

    /// <summary>She was reached another way (a partner, a relative, at the station).</summary>
    ReachedAnotherWay = 1,

    /// <summary>Another reason, in the caller's words.</summary>
    Other = 2,
}
