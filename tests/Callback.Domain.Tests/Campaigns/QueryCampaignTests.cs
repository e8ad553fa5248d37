using Callback.Domain.Audit;
using Callback.Domain.Campaigns;
using Callback.Domain.Cases;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Domain.Tests.Campaigns;

/// <summary>Issue 18.4, "crisis mode": existing files selected by a query, counted, then reopened as a paced campaign.</summary>
public class QueryCampaignTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QueryCampaigns Campaigns(Harness h) =>
        new(h.Databases, h.Workflow, h.Clock, Microsoft.Extensions.Options.Options.Create(h.Options), NullLogger<QueryCampaigns>.Instance);

    private static async Task<Guid> FileAsync(Harness h, string reference, TriState cohabiting, string unit = "CTC-62", bool close = true, int daysAgo = 30)
    {
        var facts = h.Facts(reference) with { InterventionAtUtc = h.Now.AddDays(-daysAgo) };
        facts = facts with { Perpetrator = new Perpetrator(facts.Perpetrator.Name, cohabiting) };
        var actor = unit == "CTC-62" ? h.OfficerA : h.OfficerB;
        var id = await h.Workflow.OpenAsync(unit, facts, actor, Ct);
        if (close)
        {
            await h.Workflow.CloseAsync(id, await h.VersionAsync(id), ClosureReason.ContactMade, null, actor, Ct);
        }

        return id;
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TheQuery_CountsInADryRun_ThenReopensItsClosedFiles_PacedToTheCapacity_KeepingTheirHistory(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider, configure: o => o.DefaultDailyCallCapacity = 2);
        var closed = new List<Guid>();
        for (var i = 1; i <= 5; i++)
        {
            closed.Add(await FileAsync(h, $"62-2020-{i:D6}", i % 2 == 0 ? TriState.Unknown : TriState.Yes));
        }

        var stillOpen = await FileAsync(h, "62-2020-000006", TriState.Yes, close: false);
        var notCohabiting = await FileAsync(h, "62-2020-000007", TriState.No);
        var tooOld = await FileAsync(h, "62-2020-000008", TriState.Yes, daysAgo: 400);
        var otherScope = await FileAsync(h, "59-2020-000009", TriState.Yes, unit: "CTC-59");
        h.Clock.Advance(TimeSpan.FromDays(1));
        var query = new CaseQuery(h.Now.AddDays(-90));
        var auditBefore = (await h.AuditAsync()).Count;

        var dryRun = await Campaigns(h).DryRunAsync(query, h.Supervisor, Ct);

        Assert.Equal((true, 6, 5, 1, 0), (dryRun.DryRun, dryRun.Matching, dryRun.ToReopen, dryRun.AlreadyOpen, dryRun.Anonymised));
        Assert.Equal([2, 2, 1], dryRun.Schedule.Select(d => d.Cases));
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.All(closed, id => Assert.Equal(CaseState.Closed, h.LoadAsync(id).Result.State));

        var opened = await Campaigns(h).OpenAsync("Confinement 2020", query, h.Supervisor, Ct);

        Assert.Equal(5, opened.Reopened);
        Assert.NotNull(opened.CampaignId);
        foreach (var id in closed)
        {
            var c = await h.LoadAsync(id);
            Assert.Equal((CaseState.AwaitingContact, opened.CampaignId), (c.State, c.CampaignId));
            Assert.Equal(c.CampaignContactDueUtc, c.DueAtUtc);
            Assert.Equal((DeadlineKind.ContactDeadline, c.DueAtUtc), (c.AlarmKind, c.AlarmDueUtc));
            var history = (await h.AuditAsync(id)).Select(e => e.Action).ToList();
            Assert.Equal([AuditActions.Open, AuditActions.Close, AuditActions.Reopen], history);
        }

        var perDay = (await Task.WhenAll(closed.Select(h.LoadAsync))).GroupBy(c => Unit.LocalDate(c.DueAtUtc!.Value, "Europe/Paris")).Select(g => g.Count()).Order().ToList();
        Assert.Equal([1, 2, 2], perDay);
        var open = await h.LoadAsync(stillOpen);
        Assert.Equal((CaseState.AwaitingReview, null), (open.State, open.CampaignId));
        Assert.All(new[] { notCohabiting, tooOld, otherScope }, id => Assert.Equal(CaseState.Closed, h.LoadAsync(id).Result.State));
    }

    [Fact]
    public async Task AnOfficer_MayNotOpenACampaign_AndADateInTheFutureIsRefusedWithWhy()
    {
        await using var h = await Harness.CreateAsync();
        await Assert.ThrowsAsync<ActionForbiddenException>(() => Campaigns(h).DryRunAsync(new CaseQuery(h.Now.AddDays(-30)), h.OfficerA, Ct));
        var refused = await Assert.ThrowsAsync<CaseRuleException>(() => Campaigns(h).DryRunAsync(new CaseQuery(h.Now.AddDays(2)), h.Supervisor, Ct));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        await Assert.ThrowsAsync<CaseRuleException>(() => Campaigns(h).OpenAsync("  ", new CaseQuery(h.Now.AddDays(-30)), h.Supervisor, Ct));
    }
}
