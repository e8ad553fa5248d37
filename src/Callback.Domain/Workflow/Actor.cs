using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Units;

namespace Callback.Domain.Workflow;

/// <summary>Who acts: a signed-in user with roles and a unit, or the system (deadlines).</summary>
public sealed record Actor(string Id, IReadOnlySet<string> Roles, int? UnitId, string? Departement)
{
    /// <summary>The deadlines' actor: sees every case and may fire every trigger.</summary>
    public static Actor System { get; } = new(AuditEntry.SystemActor, new HashSet<string>(), null, null);

    /// <summary>Whether this is <see cref="System"/>.</summary>
    public bool IsSystem => Id == AuditEntry.SystemActor;

    /// <summary>Whether the actor holds <paramref name="role"/>.</summary>
    public bool IsIn(string role) => Roles.Contains(role);

    /// <summary>Whether the actor holds one of <paramref name="roles"/>; the system always does.</summary>
    public bool IsAnyOf(params string[] roles) => IsSystem || roles.Any(Roles.Contains);

    /// <summary>Whether the permission map lets the actor's roles perform <paramref name="action"/>.</summary>
    public bool May(CaseAction action) => IsSystem || Permissions.Allows(action, Roles);

    /// <summary>Whether the permission map opens <paramref name="feature"/> to the actor's roles.</summary>
    public bool May(Feature feature) => IsSystem || Permissions.Allows(feature, Roles);

    /// <summary>The scope rule (<see cref="CaseScope"/>), in memory: whether the actor sees the cases of <paramref name="unit"/>.</summary>
    public bool CanSee(Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return CaseScope.Allows(this, unit.Id, unit.Departement);
    }

    /// <summary>The same rule for a change notification, which carries only the unit id and its département.</summary>
    public bool CanSeeUnit(int unitId, string departement) => CaseScope.Allows(this, unitId, departement);

    /// <summary>A signed-in user.</summary>
    public static Actor User(string id, int? unitId, string? departement, params string[] roles) =>
        new(id, roles.ToHashSet(StringComparer.Ordinal), unitId, departement);
}
