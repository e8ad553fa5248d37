namespace Callback.Domain.Cases;

/// <summary>An alarm as the job store sees it: identifiers only, never personal data.</summary>
public sealed record CaseAlarm(Guid CaseId, int Version, DeadlineKind Kind, DateTime DueUtc);
