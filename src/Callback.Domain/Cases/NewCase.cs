namespace Callback.Domain.Cases;

/// <summary>The facts of a new file.</summary>
public sealed record NewCase(
    string FileReference,
    DateTime InterventionAtUtc,
    OffenceCategory Offence,
    Victim Victim,
    Perpetrator Perpetrator,
    TriState ChildrenPresent = TriState.Unknown,
    bool? PenalResponse = null,
    ProtectionMeasures ProtectionMeasures = ProtectionMeasures.None,
    string? FileNotes = null);
