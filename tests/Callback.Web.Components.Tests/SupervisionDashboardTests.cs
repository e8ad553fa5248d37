using Callback.Domain.Cases;
using Callback.Web.Features.Supervision;

namespace Callback.Web.Components.Tests;

public class SupervisionDashboardTests : CallbackComponentTest
{
    private static DeadlineRow Row(string reference, CaseState state, DateTime? due, string? holder = null) =>
        new(Guid.NewGuid(), 1, reference, "CTC-62", state, DangerLevel.Moderate, due, holder is null ? null : "officer-" + holder, holder);

    private static SupervisionModel Known() => new(
        Now,
        TimeSpan.FromHours(4),
        Overdue: [Row("62-late-1", CaseState.AwaitingReview, Now.AddMinutes(-30), "Julie"), Row("62-late-2", CaseState.PatrolRequested, Now.AddMinutes(-2))],
        DueSoon: [Row("62-soon", CaseState.AwaitingContact, Now.AddHours(2), "Paul")],
        Workload: [new OfficerLoad("officer-Julie", "Julie", 3, 1), new OfficerLoad("officer-Paul", "Paul", 1, 0)],
        StaleClaims: [],
        PatrolAlerts: [Row("62-late-2", CaseState.PatrolRequested, Now.AddMinutes(-2))],
        RecentlyClosed: [],
        Campaigns: [new CampaignProgress(1, "Pas-de-Calais 2020", Now.AddDays(-3), Total: 40, Reviewed: 30, Reached: 10, PatrolSent: 4, Closed: 12)],
        Map: [new DepartementCount("62", 12, 2), new DepartementCount("974", 5, 0)],
        Daily: [new CompliancePoint(new DateOnly(2026, 3, 2), 3, 1), new CompliancePoint(new DateOnly(2026, 3, 3), 0, 0)],
        Weekly: [new CompliancePoint(new DateOnly(2026, 3, 2), 9, 1)]);

    [Fact]
    public void Dashboard_ShowsTheFiguresOfItsModel()
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, Known()));

        Assert.Equal("2", page.Find("[data-testid=overdue-count]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=due-soon-count]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=patrol-alerts-count]").TextContent.Trim());
        Assert.Equal("0", page.Find("[data-testid=stale-claims-count]").TextContent.Trim());
        var overdue = page.FindAll("[data-testid=overdue-row]");
        Assert.Contains("Julie", overdue[0].TextContent);
        Assert.Contains("en retard de 30 min", overdue[0].TextContent);

        var daily = page.FindAll("[data-testid=compliance-daily-row]").Select(r => r.TextContent).ToList();
        Assert.Contains("2 mars 2026", daily[0]);       // in the page's language, not ISO (issue 16.6)
        Assert.Contains("75 %", daily[0]);                 // 3 reached of 4 decided
        Assert.Contains("—", daily[1]);                    // nothing decided: no figure, not 0 %
        Assert.Contains("90 %", page.Find("[data-testid=compliance-weekly-row]").TextContent);

        Assert.Equal(["Julie31", "Paul10"], page.FindAll("[data-testid=workload-row]").Select(r => string.Concat(r.TextContent.Where(c => !char.IsWhiteSpace(c)))));
        Assert.Equal("75", page.Find("[data-testid=campaign-Reviewed]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void Map_ColoursEachDepartementByItsOpenAndOverdueCases_OverseasIncluded()
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, Known()));

        var markers = page.FindAll("[data-testid=map-marker]").ToDictionary(m => m.GetAttribute("data-departement")!);
        Assert.Equal(101, markers.Count);
        Assert.Equal("#c62828", markers["62"].GetAttribute("fill"));          // overdue
        Assert.Equal("#1565c0", markers["974"].GetAttribute("fill"));         // open, none overdue
        Assert.Equal("#e0e0e0", markers["72"].GetAttribute("fill"));          // nothing open
        Assert.Equal(["12", "2"], [markers["62"].GetAttribute("data-open")!, markers["62"].GetAttribute("data-overdue")!]);
        Assert.True(markers.ContainsKey("971") && markers.ContainsKey("976") && markers.ContainsKey("2A"));
    }

    [Fact]
    public void DeadlinePanel_ShowsTheFirstRows_AndCountsAllOfThem()
    {
        var rows = Enumerable.Range(1, DeadlinePanel.MaxShown + 5).Select(i => Row($"62-{i:000}", CaseState.AwaitingContact, Now.AddMinutes(-i))).ToList();

        var panel = Render<DeadlinePanel>(p => p.Add(x => x.Title, "t").Add(x => x.TestId, "overdue").Add(x => x.Rows, rows).Add(x => x.NowUtc, Now));

        Assert.Equal((DeadlinePanel.MaxShown + 5).ToString(System.Globalization.CultureInfo.InvariantCulture), panel.Find("[data-testid=overdue-count]").TextContent.Trim());
        Assert.Equal(DeadlinePanel.MaxShown, panel.FindAll("[data-testid=overdue-row]").Count);
        Assert.Contains("5 autre(s)", panel.Find("[data-testid=overdue-more]").TextContent);
    }
}
