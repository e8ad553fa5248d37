namespace Callback.Domain.Cases;

/// <summary>Someone else changed the case first: the caller must reload it and decide again.</summary>
public sealed class CaseConflictException : Exception
{
    public CaseConflictException(Guid caseId)
        : base($"Case {caseId} was changed by someone else in the meantime. Reload it and try again.")
    {
        CaseId = caseId;
    }

    public CaseConflictException(Guid caseId, Exception inner)
        : base($"Case {caseId} was changed by someone else in the meantime. Reload it and try again.", inner)
    {
        CaseId = caseId;
    }

    public Guid CaseId { get; }
}
