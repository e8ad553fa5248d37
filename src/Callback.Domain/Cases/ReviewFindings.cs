namespace Callback.Domain.Cases;

/// <summary>What the review of a file found.</summary>
public sealed record ReviewFindings(
    TriState Cohabiting,
    bool PerpetratorInCustody,
    bool PerpetratorEvicted,
    bool ProtectionOrder,
    bool WeaponsKnown,
    TriState ChildrenPresent,
    ProtectionMeasures ProtectionMeasures,
    DangerLevel Danger,
    bool ImmediateDanger,
    SafeContact? SafeContact = null,
    string? Note = null,
    string? DangerGridJson = null);
