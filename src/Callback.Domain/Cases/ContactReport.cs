namespace Callback.Domain.Cases;

/// <summary>A call that reached the victim.</summary>
public sealed record ContactReport(bool ToSafeNumber, DangerLevel Danger, bool PatrolNeeded, string? QuestionnaireJson, string? Note = null);
