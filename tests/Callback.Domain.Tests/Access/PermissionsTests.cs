using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using static Callback.Domain.Identity.Roles;

namespace Callback.Domain.Tests.Access;

public class PermissionsTests
{
    /// <summary>Who may do what to a case, as PRODUCT.md describes the roles: written out here, apart from the map.</summary>
    public static TheoryData<CaseAction, string[]> Expected => new()
    {
        { CaseAction.Open, [Officer, Supervisor, Admin] },
        { CaseAction.Review, [Officer, Supervisor, Admin] },
        { CaseAction.RecordAttempt, [Officer, Supervisor, Admin] },
        { CaseAction.RecordContact, [Officer, Supervisor, Admin] },
        { CaseAction.ScheduleFollowUp, [Officer, Supervisor, Admin] },
        { CaseAction.RequestPatrol, [Officer, Supervisor, Admin] },
        { CaseAction.ContactDeadlineElapsed, [] },
        { CaseAction.MaxAttemptsReached, [] },
        { CaseAction.Dispatch, [Dispatcher, Supervisor, Admin] },
        { CaseAction.ReportOutcome, [Dispatcher, Supervisor, Admin] },
        { CaseAction.Close, [Officer, Supervisor, Admin] },
        { CaseAction.Reopen, [Supervisor, Admin] },
        { CaseAction.RaiseDanger, [Officer, Supervisor, Admin] },
        { CaseAction.LowerDanger, [Supervisor, Admin] },
        { CaseAction.Claim, [Officer, Supervisor, Admin] },
        { CaseAction.Release, [Officer, Supervisor, Admin] },
        { CaseAction.ReleaseOthersClaim, [Supervisor, Admin] },
        { CaseAction.Reassign, [Supervisor, Admin] },
        { CaseAction.AddNote, [Officer, Supervisor, Admin] },
        { CaseAction.Refer, [Officer, Supervisor, Admin] },
        { CaseAction.UpdateSafeContact, [Officer, Supervisor, Admin] },
        { CaseAction.UpdateReferralStatus, [Officer, Supervisor, Admin] },
        { CaseAction.StartFollowUp, [Officer, Supervisor, Admin] },
        { CaseAction.RecordCheckIn, [Officer, Supervisor, Admin] },
        { CaseAction.CheckInDeadlineElapsed, [] },
        { CaseAction.Acknowledge, [Dispatcher, Supervisor, Admin] },
        { CaseAction.CallOffPatrol, [Officer, Dispatcher, Supervisor, Admin] },
        { CaseAction.UpdateMeasures, [Officer, Supervisor, Admin] },
        { CaseAction.CloseDeclinedHighDanger, [Supervisor, Admin] },
        { CaseAction.DecideMatch, [Officer, Supervisor, Admin] },
        { CaseAction.ConfirmPatrol, [Supervisor, Admin] },
        { CaseAction.DeclinePatrol, [Supervisor, Admin] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void EachCaseAction_IsOpenToExactlyItsRoles(CaseAction action, string[] roles)
    {
        Assert.Equal(roles.Order(), Permissions.RolesFor(action).Order());
        foreach (var role in All)
        {
            Assert.Equal(roles.Contains(role), Actor.User("u", 1, "62", role).May(action));
        }

        Assert.True(Actor.System.May(action));
    }

    [Fact]
    public void EveryActionAndFeature_IsInTheMap_AndEveryTriggerIsAnAction()
    {
        Assert.Equal(Enum.GetValues<CaseAction>().Length, Expected.Count);
        Assert.All(Enum.GetValues<Feature>(), f => Assert.NotNull(Permissions.RolesFor(f)));
        Assert.All(Enum.GetValues<CaseTrigger>(), t => Assert.Equal(t.ToString(), Permissions.ActionOf(t).ToString()));
    }

    [Fact]
    public void AUserWithoutRoles_MayDoNothing()
    {
        var nobody = Actor.User("nobody", 1, "62");

        Assert.DoesNotContain(Enum.GetValues<CaseAction>(), nobody.May);
        Assert.DoesNotContain(Enum.GetValues<Feature>(), nobody.May);
    }
}
