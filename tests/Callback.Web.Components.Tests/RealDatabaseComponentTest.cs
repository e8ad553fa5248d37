using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The bUnit base for components that act: the real workflow on a SQLite file of its own (<see cref="UnitDatabase"/>), an
/// officer of its unit, and the case page's context built the way the page builds it.
/// </summary>
public abstract class RealDatabaseComponentTest : CallbackComponentTest
{
    protected RealDatabaseComponentTest()
        : this(UnitDatabase.Create(TimeProvider.System))
    {
    }

    private RealDatabaseComponentTest(UnitDatabase database)
        : base(database.Workflow) => Database = database;

    private protected UnitDatabase Database { get; }

    protected Actor OfficerHere => Actor.User("officer-1", Database.UnitId, "62", Roles.Officer);

    /// <summary>As the case page builds it: the case, its history with the other files it names, its referrals, and actions carrying the version shown.</summary>
    protected async Task<CaseContext> CasePageContextAsync(Guid id, CancellationToken ct)
    {
        var workflow = Database.Workflow;
        var shown = await workflow.GetAsync(id, OfficerHere, ct);
        var timeline = await workflow.TimelineAsync(id, OfficerHere, ct);
        var named = timeline.SelectMany(e => AuditReasonText.FilesNamed(e.Reason)).ToHashSet();
        return new CaseContext(shown, OfficerHere, WorkflowOptions, TimeProvider.System.GetUtcNow().UtcDateTime, action => action(OfficerHere, shown.Version))
        {
            Timeline = timeline,
            FileReferences = await workflow.FileReferencesAsync(named, OfficerHere, ct),
            Referrals = await workflow.ReferralsAsync(id, OfficerHere, ct),
        };
    }
}
