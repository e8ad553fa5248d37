using Callback.Web.Persistence;
using Callback.Domain.Cases;
using Callback.Domain.Contact;

namespace Callback.Domain.Tests.Workflow;

/// <summary>
/// Issue 16.9: a supervisor's reassignment gave the other officer a 30-minute lease, so a shift handover lapsed back to the
/// pool. It now lasts until the officer finishes the case or hands it back.
/// </summary>
public class AssignmentTests
{
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AReassignment_OutlastsTheLease_AndTheOfficersWork_UntilSheHandsItBack(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();

        await h.Workflow.ReassignAsync(id, await h.VersionAsync(id), h.OfficerA2.Id, "relève de 14 h", h.Supervisor);
        h.Clock.Advance(h.Options.StaleClaimAfter * 10);

        var assigned = await h.LoadAsync(id);
        Assert.Equal(h.OfficerA2.Id, assigned.ActiveClaimant(h.Now));
        Assert.True(assigned.CurrentClaim.IsAssignment);
        // Another officer cannot take it; the assignee's own call keeps it hers, past any lease.
        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.ClaimAsync(id, assigned.Version, h.OfficerA));
        await h.Workflow.RecordAttemptAsync(id, assigned.Version, AttemptOutcome.NoAnswer, false, null, h.OfficerA2);
        h.Clock.Advance(h.Options.StaleClaimAfter * 10);
        Assert.Equal(h.OfficerA2.Id, (await h.LoadAsync(id)).ActiveClaimant(h.Now));

        await h.Workflow.ReleaseAsync(id, await h.VersionAsync(id), h.OfficerA2);

        var back = await h.LoadAsync(id);
        Assert.Null(back.ActiveClaimant(h.Now));
        Assert.Equal(["Open", "Claim", "Review", "Reassign", "RecordAttempt", "Release"], (await h.AuditAsync(id)).Select(e => e.Action));
    }

    [Fact]
    public async Task AnAssignment_EndsWhenTheCaseCloses()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        await h.Workflow.ReassignAsync(id, await h.VersionAsync(id), h.OfficerA2.Id, "relève", h.Supervisor);

        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(false, DangerLevel.Low, false, null), h.OfficerA2);

        var closed = await h.LoadAsync(id);
        Assert.Equal(CaseState.Closed, closed.State);
        Assert.Null(closed.CurrentClaim.Holder);
    }
}
