namespace Callback.Domain.Cases;

/// <summary>Where a follow-up case stands in its lifecycle. "Overdue" is not a state: it is computed from <see cref="Case.DueAtUtc"/>.</summary>
public enum CaseState
{
    AwaitingReview = 0,
    AwaitingContact = 1,
    PatrolRequested = 2,
    PatrolDispatched = 3,
    Closed = 4,

    /// <summary>"Suivi": the victim was reached and is followed over weeks by check-ins set by her danger level and measures.</summary>
    FollowUp = 5,

    /// <summary>
    /// "Patrouille proposée": an automatic patrol request of a campaign case held back by the patrol governor (issue 18),
    /// waiting for a supervisor to confirm it (it goes to dispatch) or decline it (the cell keeps calling).
    /// </summary>
    PatrolProposed = 6,
}
