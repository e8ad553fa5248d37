using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Workflow;
using Callback.Web.Features.Dispatch;
using Callback.Web.Features.Supervision;

namespace Callback.Web.Tests.Supervision;

/// <summary>
/// A known week in département 62 (and one case in 59, outside the supervisor's scope), on a fake clock starting Monday
/// 2 March 2026, 20:00 UTC. Read on Wednesday 4 March, 10:00.
/// </summary>
public class SupervisionFiguresTests
{
    private static async Task<(Harness H, Dictionary<string, Guid> Ids)> SeedAsync()
    {
        var h = await Harness.CreateAsync();
        var ids = new Dictionary<string, Guid>
        {
            ["reached"] = await h.CaseAwaitingContactAsync("62-reached"),
            ["high-missed"] = await h.CaseAwaitingContactAsync("62-high-missed", DangerLevel.High),
            ["attempts"] = await h.CaseAwaitingContactAsync("62-attempts"),
        };
        var other = await h.Workflow.OpenAsync("CTC-59", h.Facts("59-reached"), h.OfficerB);
        await h.Workflow.ReviewAsync(other, await h.VersionAsync(other), Harness.Findings(), h.OfficerB);

        // Tuesday 3 March, 20:00: one victim reached in time, one high-danger deadline long gone; 59 reaches its own.
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Workflow.RecordContactAsync(ids["reached"], await h.VersionAsync(ids["reached"]), Reached(), h.OfficerA);
        await h.Workflow.RecordContactAsync(other, await h.VersionAsync(other), Reached(), h.OfficerB);
        var alarm = (await h.Workflow.GetAlarmAsync(ids["high-missed"]))!;
        Assert.Equal(DeadlineFiring.Applied, await h.Workflow.FireDeadlineAsync(alarm.CaseId, alarm.Version, alarm.Kind));
        ids["unreviewed"] = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-unreviewed"), h.OfficerA);
        h.Clock.Advance(TimeSpan.FromHours(3));
        ids["soon"] = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-soon"), h.OfficerA);

        // Wednesday 4 March, 10:00: three calls without an answer; the third requests a patrol.
        h.Clock.Advance(TimeSpan.FromHours(11));
        for (var i = 0; i < h.Options.MaxAttempts; i++)
        {
            await h.Workflow.RecordAttemptAsync(ids["attempts"], await h.VersionAsync(ids["attempts"]), AttemptOutcome.NoAnswer, true, null, h.OfficerA);
        }

        return (h, ids);
    }

    private static ContactReport Reached() => new(true, DangerLevel.Moderate, PatrolNeeded: false, QuestionnaireJson: null);

    [Fact]
    public async Task Compliance_CountsReachedInTimeAgainstDeadlinesMissed_PerDayAndPerWeek_WithinScope()
    {
        var (h, _) = await SeedAsync();
        await using var _h = h;

        var model = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor);

        var days = model.Daily.ToDictionary(p => p.PeriodStart);
        Assert.Equal(SupervisionService.DaysShown, model.Daily.Count);
        Assert.Equal((0, 0, (double?)null), (days[new(2026, 3, 2)].Reached, days[new(2026, 3, 2)].Missed, days[new(2026, 3, 2)].Rate));
        Assert.Equal((1, 1, (double?)0.5), (days[new(2026, 3, 3)].Reached, days[new(2026, 3, 3)].Missed, days[new(2026, 3, 3)].Rate));   // 59's contact is not counted
        Assert.Equal((0, 1, (double?)0.0), (days[new(2026, 3, 4)].Reached, days[new(2026, 3, 4)].Missed, days[new(2026, 3, 4)].Rate));
        var week = Assert.Single(model.Weekly, w => w.PeriodStart == new DateOnly(2026, 3, 2));
        Assert.Equal((1, 2), (week.Reached, week.Missed));
        Assert.All(model.Weekly.Where(w => w != week), w => Assert.Null(w.Rate));

        var admin = await new SupervisionService(h.Databases, h.Clock).LoadAsync(Actor.User("admin", null, null, Domain.Identity.Roles.Admin));
        Assert.Equal(2, admin.Daily.Single(p => p.PeriodStart == new DateOnly(2026, 3, 3)).Reached);
    }

    /// <summary>Issue 17: a victim reached and put under follow-up was reached in time; her check-ins are not counted again.</summary>
    [Fact]
    public async Task Compliance_CountsAVictimPutUnderFollowUpAsReached_AndNotHerCheckInsAgain()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync("62-followed");
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), Reached() with { Then = AfterContact.FollowUp }, h.OfficerA);
        h.Clock.Advance(h.Options.CheckInsFor(DangerLevel.Moderate)[0]);
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), Reached(), h.OfficerA);
        Assert.Equal(1, (await h.LoadAsync(id)).CheckInsDone);

        var model = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor);

        Assert.Equal((1, 0), (model.Daily.Sum(p => p.Reached), model.Daily.Sum(p => p.Missed)));
    }

    [Fact]
    public async Task Compliance_CountsEachDecisionOnItsUnitsCalendarDay_NotTheUtcDay()
    {
        await using var h = await Harness.CreateAsync();
        var late = await h.CaseAwaitingContactAsync("62-late-evening");
        var early = await h.CaseAwaitingContactAsync("62-early-evening");

        // Tuesday 3 March, 22:30 UTC is 23:30 in Paris: still Tuesday. 23:30 UTC is 00:30 on Wednesday in Paris.
        h.Clock.Advance(TimeSpan.FromHours(26.5));
        await h.Workflow.RecordContactAsync(early, await h.VersionAsync(early), Reached(), h.OfficerA);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.Workflow.RecordContactAsync(late, await h.VersionAsync(late), Reached(), h.OfficerA);
        h.Clock.Advance(TimeSpan.FromHours(10));

        var model = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor);
        var rows = await new StatisticsExport(h.Databases, new SupervisionService(h.Databases, h.Clock), h.Clock).BuildAsync(h.Supervisor);

        var days = model.Daily.ToDictionary(p => p.PeriodStart, p => p.Reached);
        Assert.Equal((1, 1), (days[new(2026, 3, 3)], days[new(2026, 3, 4)]));
        Assert.Equal(new DateOnly(2026, 3, 4), model.Daily[^1].PeriodStart);
        Assert.Equal(["2026-03-03", "2026-03-04"], rows.Where(r => r.Indicator == "day.reached_in_time" && r.Value > 0).Select(r => r.Period));
    }

    [Fact]
    public async Task DueSoon_IsTheConfiguredWindow_NotAFixedFourHours()
    {
        // Training's deadlines are minutes: a fixed 4 h window listed every case and titled the list "dans les 4 h" (issue 16.6).
        var (h, _) = await SeedAsync();
        await using var _h = h;

        var narrow = await new SupervisionService(h.Databases, h.Clock, Microsoft.Extensions.Options.Options.Create(new WorkflowOptions { DueSoonWithin = TimeSpan.FromSeconds(1) })).LoadAsync(h.Supervisor);
        var standard = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor);

        Assert.Equal(TimeSpan.FromSeconds(1), narrow.DueSoonWithin);
        Assert.Empty(narrow.DueSoon);
        Assert.Equal(TimeSpan.FromHours(4), standard.DueSoonWithin);
        Assert.NotEmpty(standard.DueSoon);
    }

    [Fact]
    public async Task Overdue_DueSoon_Stale_AndPatrolAlerts_AreComputedFromDeadlinesAtTheClock()
    {
        var (h, ids) = await SeedAsync();
        await using var _h = h;
        var service = new SupervisionService(h.Databases, h.Clock);

        var model = await service.LoadAsync(h.Supervisor);

        Assert.Equal(["62-high-missed", "62-unreviewed"], model.Overdue.Select(r => r.FileReference));
        Assert.Equal(["62-attempts", "62-soon"], model.DueSoon.Select(r => r.FileReference));
        Assert.Equal(["62-high-missed"], model.PatrolAlerts.Select(r => r.FileReference));
        Assert.Equal(["62-high-missed"], model.StaleClaims.Select(r => r.FileReference));
        Assert.Equal("officer-a", model.StaleClaims[0].HolderId);
        var load = Assert.Single(model.Workload);
        Assert.Equal(("officer-a", 1, 0), (load.OfficerId, load.Claimed, load.Overdue));
        Assert.Equal([new DepartementCount("62", 4, 2)], model.Map);
        Assert.Equal(["62-reached"], model.RecentlyClosed.Select(r => r.FileReference));

        // Nothing is stored as "overdue": fifteen minutes on, the patrol request's acknowledgement is late too.
        h.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await service.LoadAsync(h.Supervisor);
        Assert.Equal(["62-high-missed", "62-attempts"], later.PatrolAlerts.Select(r => r.FileReference));
        Assert.Contains(ids["attempts"], later.Overdue.Select(r => r.Id));
    }

    [Fact]
    public async Task DispatchBoard_ListsPatrolsInScope_OldestRequestFirst()
    {
        var (h, _) = await SeedAsync();
        await using var _h = h;
        var board = new DispatchBoardService(h.Databases);

        var masked = await board.LoadAsync(h.Dispatcher);
        // The seeded cases are orange: their addresses reach the board only for the cases the dispatcher opened with a reason.
        var rows = await board.LoadAsync(h.Dispatcher, masked.Select(r => r.Id).ToHashSet());
        var outside = await board.LoadAsync(Actor.User("dispatcher-59", h.UnitB, "59", Domain.Identity.Roles.Dispatcher));

        Assert.Equal(["62-high-missed", "62-attempts"], rows.Select(r => r.FileReference));
        Assert.Equal(PatrolReason.ContactDeadlineElapsed, rows[0].Reason);
        Assert.Equal(3, rows[1].AttemptCount);
        Assert.Equal(h.Facts("62-attempts").Victim.Address, rows[1].Address);
        Assert.All(masked, r => Assert.Null(r.Address));
        Assert.Empty(outside);
    }

    [Fact]
    public async Task Campaigns_CountReviewedReachedPatrolAndClosed_PerImportBatch()
    {
        await using var h = await Harness.CreateAsync();
        var ids = new List<Guid>();
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            // The import itself is another feature's; here its result: a campaign and four old files opened under it.
            var campaign = new Domain.Units.Campaign("Pas-de-Calais 2020", h.Now, h.Now.AddDays(7), h.Now.AddDays(14), "admin");
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var unit = await db.Units.FindAsync(h.UnitA);
            for (var i = 0; i < 4; i++)
            {
                var c = Case.Open(h.Facts($"62-2020-{i}") with { InterventionAtUtc = h.Now.AddYears(-6) }, unit!, h.Now, h.Workflow.Policy, campaign);
                db.Cases.Add(c);
                ids.Add(c.Id);
            }

            await db.SaveChangesAsync();
        }

        foreach (var id in ids.Skip(1))
        {
            await h.Workflow.ReviewAsync(id, await h.VersionAsync(id), Harness.Findings(), h.OfficerA);
        }

        await h.Workflow.RecordContactAsync(ids[2], await h.VersionAsync(ids[2]), new ContactReport(true, DangerLevel.Moderate, false, null), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(ids[3], await h.VersionAsync(ids[3]), "no answer at the listed number", h.OfficerA);

        var model = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor);
        var outside = await new SupervisionService(h.Databases, h.Clock).LoadAsync(Actor.User("supervisor-59", h.UnitB, "59", Domain.Identity.Roles.Supervisor));

        var progress = Assert.Single(model.Campaigns);
        Assert.Equal(("Pas-de-Calais 2020", 4, 3, 1, 1, 1), (progress.Name, progress.Total, progress.Reviewed, progress.Reached, progress.PatrolSent, progress.Closed));
        Assert.Empty(outside.Campaigns);
    }
}
