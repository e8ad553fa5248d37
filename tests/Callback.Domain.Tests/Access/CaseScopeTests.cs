using System.Linq.Expressions;
using Callback.Domain.Access;
using Callback.Domain.Workflow;
using static Callback.Domain.Identity.Roles;

namespace Callback.Domain.Tests.Access;

public class CaseScopeTests
{
    [Theory]
    [InlineData(Officer, 1, "62", true)]
    [InlineData(Officer, 2, "62", false)]
    [InlineData(Supervisor, 2, "62", true)]
    [InlineData(Supervisor, 3, "59", false)]
    [InlineData(Dispatcher, 2, "62", true)]
    [InlineData(Dispatcher, 3, "59", false)]
    [InlineData(Admin, 3, "974", true)]
    public void AUserSees_TheirUnitAsOfficer_TheirDepartementAsSupervisorOrDispatcher_EverythingAsAdmin(string role, int unitId, string departement, bool sees)
    {
        var actor = Actor.User("u", 1, "62", role);

        Assert.Equal(sees, actor.CanSeeUnit(unitId, departement));
    }

    [Fact]
    public void TheSystemSeesEverything_AndAUserWithoutRoleNothing()
    {
        Assert.True(Actor.System.CanSeeUnit(9, "2A"));
        Assert.False(Actor.User("nobody", 1, "62").CanSeeUnit(1, "62"));
    }

    [Fact]
    public void TheQueryForm_KeepsOnlyWhatTheActorsRoleNeeds()
    {
        // What the grant decides is folded away before EF sees it: no "@all OR ..." reaches the database.
        Assert.Equal(ExpressionType.Constant, CaseScope.For(Actor.User("a", null, null, Admin)).Body.NodeType);
        Assert.Equal(ExpressionType.Equal, CaseScope.For(Actor.User("o", 1, "62", Officer)).Body.NodeType);
        Assert.Equal(ExpressionType.Equal, CaseScope.For(Actor.User("s", 1, "62", Supervisor)).Body.NodeType);
        Assert.Equal(ExpressionType.OrElse, CaseScope.For(Actor.User("b", 1, "62", Officer, Supervisor)).Body.NodeType);
        Assert.Equal(false, (CaseScope.For(Actor.User("n", 1, "62")).Body as ConstantExpression)?.Value);
        // An officer's filter reads the case's own unit column, not the unit through a join.
        Assert.DoesNotContain("Unit.", CaseScope.For(Actor.User("o", 1, "62", Officer)).Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCompiledForm_FoldsTheSameWay_AndLeavesTheGrantsValuesAsParameters()
    {
        var officer = CaseScope.ForShapeOf(Actor.User("o", 1, "62", Officer));
        var unit = Assert.IsAssignableFrom<BinaryExpression>(officer.Body);
        Assert.Equal(ExpressionType.Equal, unit.NodeType);
        Assert.Same(officer.Parameters[1], unit.Right);
        Assert.DoesNotContain("Unit.", officer.Body.ToString(), StringComparison.Ordinal);
        var supervisor = Assert.IsAssignableFrom<BinaryExpression>(CaseScope.ForShapeOf(Actor.User("s", 1, "62", Supervisor)).Body);
        Assert.IsAssignableFrom<ParameterExpression>(supervisor.Right);
        Assert.Equal(ExpressionType.OrElse, CaseScope.ForShapeOf(Actor.User("b", 1, "62", Officer, Supervisor)).Body.NodeType);
        Assert.Equal(true, (CaseScope.ForShapeOf(Actor.User("a", null, null, Admin)).Body as ConstantExpression)?.Value);
        Assert.Equal(false, (CaseScope.ForShapeOf(Actor.User("n", 1, "62")).Body as ConstantExpression)?.Value);
        // Two officers of different units share one shape, so one compiled query.
        Assert.Equal(ScopeGrant.Of(Actor.User("o", 1, "62", Officer)).Shape(), ScopeGrant.Of(Actor.User("p", 2, "59", Officer)).Shape());
    }
}
