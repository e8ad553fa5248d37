using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using static Callback.Testing.ImportFixture;

namespace Callback.Jobs.Tests;

/// <summary>
/// Issue 18 on both providers: when the deadlines of hundreds of unreached campaign cases pass at once, at most the
/// governor's limit go to dispatch that hour, the rest are proposed to a supervisor, none is lost and none fires twice,
/// even with two nodes sweeping at the same moment; a high-danger case among them goes to dispatch at once.
/// </summary>
public class PatrolGovernorTests
{
    private const int Cases = 500;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task FiveHundredCampaignDeadlinesAtOnce_SendAtMostTheLimit_ProposeTheRest_LoseNone_FireNoneTwice(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider, configure: o => o.DefaultDailyCallCapacity = 10_000);
        var rows = Enumerable.Range(1, Cases)
            .Select(i => Row($"62-2019-{i:D6}", at: $"{i % 28 + 1:D2}/03/2019 21:00", perpetrator: DistinctPerpetrator(i), cohabitation: "non")).ToArray();
        var report = await h.ImportAsync(File(rows));
        Assert.Equal(Cases, report.Created.Count);

        var ids = report.Created.Select(r => r.CaseId!.Value).ToList();
        var highDanger = ids[137];
        foreach (var id in ids)
        {
            await h.Workflow.ReviewAsync(id, await h.VersionAsync(id), Harness.Findings(id == highDanger ? DangerLevel.High : DangerLevel.Moderate), h.Supervisor, Ct);
        }

        // Nobody reached them: every contact deadline is behind us when the sweeps come, on two nodes at once.
        h.Clock.Advance(TimeSpan.FromDays(120));
        await using var second = await h.SecondNodeAsync();
        second.Clock.SetUtcNow(h.Clock.GetUtcNow());
        await Task.WhenAll(h.Sweeper.SweepOnceAsync(Ct), second.Sweeper.SweepOnceAsync(Ct));
        await h.Sweeper.SweepOnceAsync(Ct);

        var limit = new PatrolGovernorOptions().MaxAutomaticPerUnitPerHour;
        var states = await StatesAsync(h);
        Assert.Equal(CaseState.PatrolRequested, states[highDanger]);
        var governed = states.Where(s => s.Key != highDanger).ToList();
        Assert.Equal(limit, governed.Count(s => s.Value == CaseState.PatrolRequested));
        Assert.Equal(Cases - 1 - limit, governed.Count(s => s.Value == CaseState.PatrolProposed));
        Assert.Equal(Cases, states.Count);

        // Later sweeps and repeated jobs in the same hour change nothing twice: one deadline entry per case.
        await h.Sweeper.SweepOnceAsync(Ct);
        await second.Sweeper.SweepOnceAsync(Ct);
        var deadlines = (await h.AuditAsync()).Where(e => e.Action == AuditActions.ContactDeadlineElapsed).GroupBy(e => e.CaseId).ToList();
        Assert.Equal(Cases, deadlines.Count);
        Assert.All(deadlines, g => Assert.Single(g));
        Assert.Equal(states, await StatesAsync(h));

        // An hour on, the proposals are not sent by themselves: they wait for a supervisor, and alert once.
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.Sweeper.SweepOnceAsync(Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
        Assert.Equal(states, await StatesAsync(h));
        var alerts = (await h.AuditAsync()).Where(e => e.Action == AuditActions.Alert(DeadlineKind.PatrolProposalOverdue)).GroupBy(e => e.CaseId).ToList();
        Assert.Equal(Cases - 1 - limit, alerts.Count);
        Assert.All(alerts, g => Assert.Single(g));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ASupervisorConfirmsACountedBatch_OneAuditedTransitionEach_AndAChangedOneIsNotConfirmedOver(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider, configure: o => o.DefaultDailyCallCapacity = 10_000);
        var rows = Enumerable.Range(1, 12).Select(i => Row($"62-2019-{i:D6}", perpetrator: DistinctPerpetrator(i), cohabitation: "non")).ToArray();
        var ids = (await h.ImportAsync(File(rows))).Created.Select(r => r.CaseId!.Value).ToList();
        foreach (var id in ids)
        {
            await h.Workflow.ReviewAsync(id, await h.VersionAsync(id), Harness.Findings(), h.Supervisor, Ct);
        }

        h.Clock.Advance(TimeSpan.FromDays(120));
        await h.Sweeper.SweepOnceAsync(Ct);
        var proposed = (await StatesAsync(h)).Where(s => s.Value == CaseState.PatrolProposed).Select(s => s.Key).ToList();
        Assert.Equal(12 - 5, proposed.Count);
        var shown = new List<(Guid, int)>();
        foreach (var id in proposed)
        {
            shown.Add((id, await h.VersionAsync(id)));
        }

        // One of them is declined by another supervisor between the list and the batch.
        var declined = proposed[0];
        await h.Workflow.DeclinePatrolAsync(declined, await h.VersionAsync(declined), "sa sœur l'a vue ce matin", h.Supervisor, Ct);
        await Assert.ThrowsAsync<ActionForbiddenException>(() => h.Workflow.ConfirmPatrolsAsync(shown, h.OfficerA, Ct));

        var decision = await h.Workflow.ConfirmPatrolsAsync(shown, h.Supervisor, Ct);

        Assert.Equal(proposed.Skip(1).ToHashSet(), decision.Decided.ToHashSet());
        Assert.Equal(declined, Assert.Single(decision.Refused).CaseId);
        var states = await StatesAsync(h);
        Assert.All(proposed.Skip(1), id => Assert.Equal(CaseState.PatrolRequested, states[id]));
        Assert.Equal(CaseState.AwaitingContact, states[declined]);
        var audit = await h.AuditAsync();
        Assert.All(proposed.Skip(1), id => Assert.Single(audit, e => e.CaseId == id && e.Action == AuditActions.ConfirmPatrol && e.Actor == h.Supervisor.Id));
        Assert.Single(audit, e => e.CaseId == declined && e.Action == AuditActions.DeclinePatrol);
    }

    private static async Task<Dictionary<Guid, CaseState>> StatesAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return await db.Cases.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.State, Ct);
    }
}
