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
}
