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
