using Callback.Domain.Localization;

namespace Callback.Domain.Workflow;

/// <summary>The actor may not see this case; the attempt was audited.</summary>
public sealed class CaseAccessDeniedException(Guid caseId)
    : Exception(DomainText.Format("Forbidden.CaseOutOfScope", caseId))
{
    public Guid CaseId { get; } = caseId;
}
