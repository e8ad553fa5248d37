using Callback.Domain.Cases;
using Callback.Web.Features.Supervision;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Tests.Supervision;

/// <summary>
/// The capacity forecast on a fake clock: unit 62 (capacity 2) with a week of compliance at 50 %, unit 59 with no
/// history and the configured default capacity (5). Read on Tuesday 10 March 2026, 20:00 UTC (21:00 in Paris).
/// </summary>
public sealed class CapacityForecastTests
{
    private static DateTime Utc(int day, int hour) => new(2026, 3, day, hour, 0, 0, DateTimeKind.Utc);

    private static ContactReport Reached() => new(true, DangerLevel.Moderate, PatrolNeeded: false, QuestionnaireJson: null);

    private static async Task MissAsync(Harness h, Guid id)
    {
        var alarm = (await h.Workflow.GetAlarmAsync(id))!;
        Assert.Equal(DeadlineFiring.Applied, await h.Workflow.FireDeadlineAsync(alarm.CaseId, alarm.Version, alarm.Kind));
    }

    private static async Task<Harness> SeedAsync()
    {
        var h = await Harness.CreateAsync(o => o.DefaultDailyCallCapacity = 5);
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            await db.Units.Where(u => u.Id == h.UnitA).ExecuteUpdateAsync(s => s.SetProperty(u => u.DailyCallCapacity, 2));
        }

        // Tuesday 3 March: a deadline missed, eight days before the reading: outside the last seven days.
        var old = await h.CaseAwaitingContactAsync("62-old", DangerLevel.High);
        h.Clock.Advance(TimeSpan.FromHours(24));
        await MissAsync(h, old);

        // Wednesday 4 March: one reached in time, one missed: 50 % over the last seven days.
        var reached = await h.CaseAwaitingContactAsync("62-reached");
        var missed = await h.CaseAwaitingContactAsync("62-missed", DangerLevel.High);
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Workflow.RecordContactAsync(reached, await h.VersionAsync(reached), Reached(), h.OfficerA);
        await MissAsync(h, missed);

        h.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(Utc(10, 20), h.Now);

        await h.CaseDueAsync("CTC-62", "62-overdue-1", CaseState.AwaitingContact, Utc(10, 8));
        await h.CaseDueAsync("CTC-62", "62-overdue-2", CaseState.FollowUp, Utc(9, 8));
        await h.CaseDueAsync("CTC-62", "62-tonight", CaseState.AwaitingContact, Utc(10, 22));
        foreach (var i in new[] { 1, 2, 3 })
        {
            await h.CaseDueAsync("CTC-62", $"62-wed-{i}", CaseState.AwaitingContact, Utc(11, 9 + i));
        }

        await h.CaseDueAsync("CTC-62", "62-thu-1", CaseState.AwaitingContact, Utc(12, 9));
        await h.CaseDueAsync("CTC-62", "62-thu-2", CaseState.AwaitingReview, Utc(11, 9), campaignContactDueUtc: Utc(12, 10));
        await h.CaseDueAsync("CTC-59", "59-wed", CaseState.AwaitingContact, Utc(11, 9));
        return h;
    }

    private static CapacityForecastService Service(Harness h) => new(h.Databases, h.Clock, Microsoft.Extensions.Options.Options.Create(h.Options));

    [Fact]
    public async Task Forecast_FlagsDaysOverCapacity_AndProjectsMissesAtTheLastSevenDaysOfCompliance()
    {
        await using var h = await SeedAsync();

        var forecast = Assert.Single(await Service(h).LoadAsync(h.Supervisor));      // 59 is outside a 62 supervisor's scope

        Assert.Equal(("CTC-62", 2, false, 2), (forecast.UnitCode, forecast.Capacity, forecast.CapacityIsDefault, forecast.Overdue));
        Assert.Equal((new DateOnly(2026, 3, 4), 1, 1, (double?)0.5), (forecast.History.PeriodStart, forecast.History.Reached, forecast.History.Missed, forecast.History.Rate));
        Assert.Equal(CapacityForecastService.Days, forecast.Days.Count);
        Assert.Equal(new DateOnly(2026, 3, 10), forecast.Days[0].Day);
        Assert.Equal([1, 3, 2, 0], forecast.Days.Take(4).Select(d => d.Due));
        Assert.Equal([3, 3, 2, 0], forecast.Days.Take(4).Select(d => d.Calls));            // today owes the two overdue calls too
        Assert.Equal([true, true, false, false], forecast.Days.Take(4).Select(d => d.OverCapacity));   // at capacity is not over
        Assert.Equal([1, 2, 1, 0], forecast.Days.Take(4).Select(d => d.ProjectedMisses));  // 0.5 and 1.5 round away from zero
        Assert.Equal(2, forecast.OverCapacityDays);
    }

    [Fact]
    public async Task Forecast_OfAUnitWithoutHistory_ProjectsNoMisses_AndTakesTheConfiguredCapacity()
    {
        await using var h = await SeedAsync();

        var forecasts = await Service(h).LoadAsync(Harness.Admin);

        Assert.Equal(["CTC-59", "CTC-62"], forecasts.Select(f => f.UnitCode));
        var lille = forecasts[0];
        Assert.Equal((5, true, (double?)null), (lille.Capacity, lille.CapacityIsDefault, lille.History.Rate));
        Assert.Equal(1, lille.Days[1].Due);
        Assert.All(lille.Days, d => Assert.Null(d.ProjectedMisses));
        Assert.Equal(0, lille.OverCapacityDays);
    }

    [Theory]
    [InlineData(10, 0.5, 5)]
    [InlineData(3, 0.9, 0)]
    [InlineData(7, 0.0, 7)]
    [InlineData(7, 1.0, 0)]
    public void ProjectedMisses_AreTheShareMissedOfTheDue_Rounded(int due, double compliance, int expected) =>
        Assert.Equal(expected, CapacityForecastService.ProjectedMisses(due, compliance));
}
