using Callback.Domain.Audit;

namespace Callback.Domain.Cases;

/// <summary>Something that happened to a case, waiting to be written to the audit log.</summary>
public sealed record CaseEvent(string Action, CaseState? From, CaseState To, string? Reason, DateTime AtUtc)
{
    /// <summary>The audit line for this event on case <paramref name="caseId"/>, done by <paramref name="actorId"/>.</summary>
    public AuditRecord ToAuditRecord(Guid caseId, string actorId) =>
        new(AtUtc, actorId, caseId, Action, From?.ToString(), To.ToString(), Reason);
}
