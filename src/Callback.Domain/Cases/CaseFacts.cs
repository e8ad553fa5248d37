namespace Callback.Domain.Cases;

/// <summary>Offence categories as the records system and the import name them.</summary>
public enum OffenceCategory
{
    ConjugalViolence = 0,
    IntrafamilyViolence = 1,
    Rape = 2,
    SexualAssault = 3,
    Harassment = 4,
    Threats = 5,
    Other = 6,
}

/// <summary>The Le Mans two-colour board: orange cases need a stated reason before the victim's identity is shown.</summary>
public enum ConfidentialityTier
{
    Blue = 0,
    Orange = 1,
}

public static class Confidentiality
{
    /// <summary>Orange for rape, sexual assault, conjugal or intrafamily violence; blue for the rest.</summary>
    public static ConfidentialityTier TierOf(OffenceCategory offence) => offence switch
    {
        OffenceCategory.ConjugalViolence or OffenceCategory.IntrafamilyViolence
            or OffenceCategory.Rape or OffenceCategory.SexualAssault => ConfidentialityTier.Orange,
        _ => ConfidentialityTier.Blue,
    };
}

/// <summary>Yes, no, or not known: cohabitation and children are often unknown when a file arrives.</summary>
public enum TriState
{
    Unknown = 0,
    Yes = 1,
    No = 2,
}

/// <summary>Danger levels, ordered: a higher value is more dangerous.</summary>
public enum DangerLevel
{
    NotAssessed = 0,
    Low = 1,
    Moderate = 2,
    High = 3,
    Severe = 4,
}

[Flags]
public enum ProtectionMeasures
{
    None = 0,
    /// <summary>Téléphone grave danger.</summary>
    SeriousDangerPhone = 1,
    /// <summary>Bracelet anti-rapprochement.</summary>
    AntiApproachBracelet = 2,
    ProtectionOrder = 4,
}

public enum ContactChannel
{
    Phone = 0,
    Sms = 1,
    InPerson = 2,
}

public enum ClosureReason
{
    ContactMade = 0,
    PatrolFoundVictimSafe = 1,
    PatrolIntervened = 2,
    VictimDeclinedFollowUp = 3,
    NotApplicable = 4,
    Duplicate = 5,
    Other = 6,
}

public enum PatrolOutcome
{
    VictimSafeAndSeen = 0,
    VictimNotFound = 1,
    InterventionNeeded = 2,
    Other = 3,
}
