namespace Callback.Domain.Cases;

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
