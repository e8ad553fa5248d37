using Callback.Domain.Audit;
using Callback.Domain.Localization;
using Callback.Domain.Units;

namespace Callback.Domain.Workflow;

/// <summary>Who acts: a signed-in user with roles and a unit, or the system (deadlines).</summary>
public sealed record Actor(string Id, IReadOnlySet<string> Roles, int? UnitId, string? Departement)
{
    public static Actor System { get; } = new(AuditEntry.SystemActor, new HashSet<string>(), null, null);

    public bool IsSystem => Id == AuditEntry.SystemActor;

    public bool IsIn(string role) => Roles.Contains(role);

    public bool IsAnyOf(params string[] roles) => IsSystem || roles.Any(Roles.Contains);

    /// <summary>
    /// The scope rule, on the server: an Officer sees the cases of their unit, a Supervisor or Dispatcher those of
    /// their département, an Admin and the system all.
    /// </summary>
    public bool CanSee(Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return CanSeeUnit(unit.Id, unit.Departement);
    }

    /// <summary>The same rule for a change notification, which carries only the unit id and its département.</summary>
    public bool CanSeeUnit(int unitId, string departement)
    {
        if (IsSystem || IsIn(Identity.Roles.Admin))
        {
            return true;
        }

        if ((IsIn(Identity.Roles.Supervisor) || IsIn(Identity.Roles.Dispatcher)) && Departement == departement)
        {
            return true;
        }

        return IsIn(Identity.Roles.Officer) && UnitId == unitId;
    }

    public static Actor User(string id, int? unitId, string? departement, params string[] roles) =>
        new(id, roles.ToHashSet(StringComparer.Ordinal), unitId, departement);
}

/// <summary>The actor may not see this case; the attempt was audited.</summary>
public sealed class CaseAccessDeniedException(Guid caseId)
    : Exception(DomainText.Format("Forbidden.CaseOutOfScope", caseId))
{
    public Guid CaseId { get; } = caseId;
}

/// <summary>The actor's role does not allow this action.</summary>
public sealed class ActionForbiddenException(string message) : Exception(message);

/// <summary>No case with this id.</summary>
public sealed class CaseNotFoundException(Guid caseId) : Exception($"Case {caseId} does not exist.")
{
    public Guid CaseId { get; } = caseId;
}
