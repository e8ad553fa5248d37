using Callback.Domain.Workflow;
using static Callback.Domain.Identity.Roles;

namespace Callback.Domain.Access;

/// <summary>
/// How far an actor sees, reduced to data: everything, a département, a unit, or a département and a unit (someone who
/// holds two roles). The roles decide the breadth; the actor's unit and its département fill it in.
/// </summary>
/// <param name="Everything">An Admin, or the system: no filter at all.</param>
/// <param name="Departement">A Supervisor or Dispatcher: every unit of this département.</param>
/// <param name="UnitId">An Officer: this unit.</param>
public sealed record ScopeGrant(bool Everything, string? Departement, int? UnitId)
{
    /// <summary>The grant of <paramref name="actor"/>.</summary>
    public static ScopeGrant Of(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(
            actor.IsSystem || actor.IsIn(Admin),
            actor.IsIn(Supervisor) || actor.IsIn(Dispatcher) ? actor.Departement : null,
            actor.IsIn(Officer) ? actor.UnitId : null);
    }

    /// <summary>
    /// A stand-in for every grant of this one's shape: the same decisions (everything or not, a département or not, a unit
    /// or not), with placeholder values. Two grants of one shape share a compiled query (<see cref="CaseScope.ForShapeOf"/>).
    /// A method, not a property: a record prints its properties, and the shape's own shape would print forever.
    /// </summary>
    public ScopeGrant Shape() => new(Everything, Departement is null ? null : "", UnitId is null ? null : 0);
}
