namespace Callback.Domain.Workflow;

/// <summary>No case with this id.</summary>
public sealed class CaseNotFoundException(Guid caseId) : Exception($"Case {caseId} does not exist.")
{
    public Guid CaseId { get; } = caseId;
}
