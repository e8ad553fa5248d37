namespace Callback.Domain.Cases;

public enum ClosureReason
{
    ContactMade = 0,
    PatrolFoundVictimSafe = 1,
    PatrolIntervened = 2,
    VictimDeclinedFollowUp = 3,
    NotApplicable = 4,
    Duplicate = 5,
    Other = 6,

    /// <summary>The last check-in of the follow-up plan was made ("suivi terminé").</summary>
    FollowUpCompleted = 7,
}
