namespace Callback.Domain.Cases;

public enum PatrolOutcome
{
    VictimSafeAndSeen = 0,
    VictimNotFound = 1,
    InterventionNeeded = 2,
    Other = 3,
}
