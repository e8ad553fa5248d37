using System.Collections.Frozen;
using Callback.Domain.Cases;
using static Callback.Domain.Identity.Roles;

namespace Callback.Domain.Access;

/// <summary>
/// Who may do what: the one map from a case action or a feature to the roles allowed. The workflow checks it before it
/// acts, the web host builds its policies from it, the case page shows buttons from it, and the authorization tests
/// read it. A new action or feature is declared here and nowhere else.
/// </summary>
public static class Permissions
{
    // The three desks of PRODUCT.md. An Admin may do everything a desk does; a Supervisor backs up both desks.
    private static readonly string[] CallCell = [Officer, Supervisor, Admin];
    private static readonly string[] DispatchDesk = [Dispatcher, Supervisor, Admin];
    private static readonly string[] Supervisors = [Supervisor, Admin];
    private static readonly string[] EitherDesk = [Officer, Dispatcher, Supervisor, Admin];
    private static readonly string[] Admins = [Admin];

    // No role: only the system (deadlines) may, and Actor.IsAnyOf lets the system through.
    private static readonly string[] SystemOnly = [];

    private static readonly FrozenDictionary<CaseAction, string[]> ByAction = new Dictionary<CaseAction, string[]>
    {
        [CaseAction.Open] = CallCell,
        [CaseAction.Review] = CallCell,
        [CaseAction.RecordAttempt] = CallCell,
        [CaseAction.RecordContact] = CallCell,
        [CaseAction.ScheduleFollowUp] = CallCell,
        [CaseAction.RequestPatrol] = CallCell,
        [CaseAction.ContactDeadlineElapsed] = SystemOnly,
        [CaseAction.MaxAttemptsReached] = SystemOnly,
        [CaseAction.Dispatch] = DispatchDesk,
        [CaseAction.ReportOutcome] = DispatchDesk,
        [CaseAction.Close] = CallCell,
        [CaseAction.Reopen] = Supervisors,
        [CaseAction.RaiseDanger] = CallCell,
        [CaseAction.LowerDanger] = Supervisors,
        [CaseAction.Claim] = CallCell,
        [CaseAction.Release] = CallCell,
        [CaseAction.ReleaseOthersClaim] = Supervisors,
        [CaseAction.Reassign] = Supervisors,
        [CaseAction.AddNote] = CallCell,
        [CaseAction.Refer] = CallCell,
        [CaseAction.UpdateSafeContact] = CallCell,
        [CaseAction.UpdateReferralStatus] = CallCell,
        [CaseAction.StartFollowUp] = CallCell,
        [CaseAction.RecordCheckIn] = CallCell,
        [CaseAction.CheckInDeadlineElapsed] = SystemOnly,
        [CaseAction.Acknowledge] = DispatchDesk,
        [CaseAction.CallOffPatrol] = EitherDesk,
        [CaseAction.ConfirmPatrol] = Supervisors,
        [CaseAction.DeclinePatrol] = Supervisors,
        [CaseAction.UpdateMeasures] = CallCell,
        [CaseAction.CloseDeclinedHighDanger] = Supervisors,
        [CaseAction.DecideMatch] = CallCell,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<Feature, string[]> ByFeature = new Dictionary<Feature, string[]>
    {
        [Feature.Queue] = CallCell,
        [Feature.NewCase] = CallCell,
        [Feature.NeutralCard] = CallCell,
        [Feature.Dispatch] = DispatchDesk,
        [Feature.Supervision] = Supervisors,
        [Feature.Import] = Supervisors,
        [Feature.ApiKeys] = Admins,
        [Feature.Audit] = Supervisors,
        [Feature.Users] = Supervisors,
        [Feature.Partners] = Admins,
        [Feature.JobDashboard] = Admins,
        [Feature.Units] = Admins,
        [Feature.Search] = CallCell,
    }.ToFrozenDictionary();

    /// <summary>The roles that may perform <paramref name="action"/> on a case in their scope.</summary>
    public static IReadOnlyList<string> RolesFor(CaseAction action) =>
        ByAction.TryGetValue(action, out var roles) ? roles.AsReadOnly() : throw Undeclared(action);

    /// <summary>The roles that may use <paramref name="feature"/>.</summary>
    public static IReadOnlyList<string> RolesFor(Feature feature) =>
        ByFeature.TryGetValue(feature, out var roles) ? roles.AsReadOnly() : throw Undeclared(feature);

    /// <summary>Whether one of <paramref name="held"/> may perform <paramref name="action"/>; asked on every transition, so it allocates nothing.</summary>
    public static bool Allows(CaseAction action, IReadOnlySet<string> held) =>
        ByAction.TryGetValue(action, out var roles) ? AnyHeld(roles, held) : throw Undeclared(action);

    /// <summary>Whether one of <paramref name="held"/> may use <paramref name="feature"/>.</summary>
    public static bool Allows(Feature feature, IReadOnlySet<string> held) =>
        ByFeature.TryGetValue(feature, out var roles) ? AnyHeld(roles, held) : throw Undeclared(feature);

    /// <summary>The action a lifecycle trigger is, so that the buttons of the case page ask the same question as the workflow.</summary>
    public static CaseAction ActionOf(CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.Review => CaseAction.Review,
        CaseTrigger.RecordAttempt => CaseAction.RecordAttempt,
        CaseTrigger.RecordContact => CaseAction.RecordContact,
        CaseTrigger.ScheduleFollowUp => CaseAction.ScheduleFollowUp,
        CaseTrigger.RequestPatrol => CaseAction.RequestPatrol,
        CaseTrigger.ContactDeadlineElapsed => CaseAction.ContactDeadlineElapsed,
        CaseTrigger.MaxAttemptsReached => CaseAction.MaxAttemptsReached,
        CaseTrigger.Dispatch => CaseAction.Dispatch,
        CaseTrigger.ReportOutcome => CaseAction.ReportOutcome,
        CaseTrigger.Close => CaseAction.Close,
        CaseTrigger.Reopen => CaseAction.Reopen,
        CaseTrigger.StartFollowUp => CaseAction.StartFollowUp,
        CaseTrigger.RecordCheckIn => CaseAction.RecordCheckIn,
        CaseTrigger.CheckInDeadlineElapsed => CaseAction.CheckInDeadlineElapsed,
        CaseTrigger.Acknowledge => CaseAction.Acknowledge,
        CaseTrigger.CallOffPatrol => CaseAction.CallOffPatrol,
        CaseTrigger.ConfirmPatrol => CaseAction.ConfirmPatrol,
        CaseTrigger.DeclinePatrol => CaseAction.DeclinePatrol,
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "This trigger has no action in the permission map."),
    };

    private static bool AnyHeld(string[] roles, IReadOnlySet<string> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        foreach (var role in roles)
        {
            if (held.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    // A member added to an enum without a line above is a bug to find at once, not a silent "nobody may".
    private static InvalidOperationException Undeclared<T>(T key) where T : struct, Enum =>
        new($"{typeof(T).Name}.{key} is missing from the permission map (Domain/Access/Permissions.cs).");
}
