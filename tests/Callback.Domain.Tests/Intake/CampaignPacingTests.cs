using Callback.Domain.Campaigns;
using Callback.Domain.Cases;
using Callback.Domain.Units;
using Microsoft.EntityFrameworkCore;

using static Callback.Testing.ImportFixture;

namespace Callback.Domain.Tests.Intake;

/// <summary>Issue 18.1: a campaign's deadlines are paced to the cell, the most urgent first.</summary>
public class CampaignPacingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveThousandRows_AtACapacityOfAHundred_NoDayHoldsMore_AndTheMostUrgentComeFirst()
    {
        await using var h = await Harness.CreateAsync(configure: o => o.DefaultDailyCallCapacity = 100);
        var importedAt = h.Now;
        var rows = Enumerable.Range(1, 5_000).Select(i => Row(
            $"62-2019-{i:D6}",
            at: $"{i % 28 + 1:D2}/{i % 12 + 1:D2}/{2015 + (i % 5)} {8 + (i % 12):D2}:10",
            perpetrator: DistinctPerpetrator(i),
            cohabitation: (i % 7) switch { 0 => "oui", 1 or 2 => "inconnu", _ => "non" },
            penal: (i % 3) switch { 0 => "oui", 1 => "non", _ => "" })).ToArray();

        var dryRun = await h.DryRunAsync(File(rows));
        var report = await h.ImportAsync(File(rows));

        Assert.Equal(5_000, report.Created.Count);
        List<(CampaignCandidate Facts, DateTime ReviewDue, DateTime ContactDue)> cases;
        Unit unit;
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            unit = await db.Units.SingleAsync(u => u.Id == h.UnitA, Ct);
            cases = (await db.Cases.AsNoTracking().Select(c => new { c.Perpetrator.Cohabiting, c.PenalResponse, c.InterventionAtUtc, c.DueAtUtc, c.CampaignContactDueUtc }).ToListAsync(Ct))
                .Select(c => (new CampaignCandidate(unit, c.Cohabiting, DangerLevel.NotAssessed, c.PenalResponse, c.InterventionAtUtc), c.DueAtUtc!.Value, c.CampaignContactDueUtc!.Value))
                .ToList();
        }

        var contactDays = cases.GroupBy(c => Unit.LocalDate(c.ContactDue, unit.TimeZoneId)).OrderBy(g => g.Key).ToList();
        var reviewDays = cases.GroupBy(c => Unit.LocalDate(c.ReviewDue, unit.TimeZoneId)).ToList();
        Assert.All(contactDays, d => Assert.InRange(d.Count(), 1, 100));
        Assert.All(reviewDays, d => Assert.InRange(d.Count(), 1, 100));
        Assert.Equal(50, contactDays.Count);
        Assert.Equal(contactDays.Count - 1, contactDays[^1].Key.DayNumber - contactDays[0].Key.DayNumber);

        // Every case of a day is at least as urgent as every case of the next day.
        for (var d = 0; d + 1 < contactDays.Count; d++)
        {
            var leastUrgentToday = contactDays[d].Select(c => c.Facts).Max(CampaignSchedule.MostUrgentFirst)!;
            var mostUrgentTomorrow = contactDays[d + 1].Select(c => c.Facts).Min(CampaignSchedule.MostUrgentFirst)!;
            Assert.True(CampaignSchedule.MostUrgentFirst.Compare(leastUrgentToday, mostUrgentTomorrow) <= 0, $"day {contactDays[d].Key} holds a case less urgent than one of the next day");
        }

        Assert.All(contactDays[0], c => Assert.Equal(TriState.Yes, c.Facts.Cohabiting));

        // From the campaign, never from interventions years old: the first day is the campaign's contact period away.
        Assert.Equal(importedAt + h.Options.CampaignContactPeriod, cases.Min(c => c.ContactDue));
        Assert.Equal(report.LastContactDueUtc, cases.Max(c => c.ContactDue));

        // The dry run showed that very schedule.
        Assert.Equal(contactDays.Select(d => (d.Key, d.Count())), dryRun.Schedule.Select(d => (d.Day, d.Cases)));
        Assert.All(dryRun.Schedule, d => Assert.Equal(100, d.Capacity));
        Assert.Equal(report.LastContactDueUtc, dryRun.LastContactDueUtc);
    }

    [Fact]
    public async Task ASecondCampaign_FillsOnlyTheRoomTheFirstLeft()
    {
        await using var h = await Harness.CreateAsync(configure: o => o.DefaultDailyCallCapacity = 100);
        string[] Rows(int from) => Enumerable.Range(from, 150).Select(i => Row($"62-2019-{i:D6}", perpetrator: DistinctPerpetrator(i), cohabitation: "non")).ToArray();
        await h.ImportAsync(File(Rows(1)), campaign: "Réexamen 2019");
        var second = await h.ImportAsync(File(Rows(1_001)), campaign: "Réexamen 2018");

        Assert.Equal(150, second.Created.Count);
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var dues = await db.Cases.AsNoTracking().Select(c => c.CampaignContactDueUtc!.Value).ToListAsync(Ct);
        var perDay = dues.GroupBy(d => Unit.LocalDate(d, "Europe/Paris")).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
        Assert.Equal([100, 100, 100], perDay);
        Assert.Equal([50, 100], second.Schedule.Select(d => d.Cases));
    }

    [Fact]
    public void CallsAlreadyDue_FillTheirDay_AndAUnitsOwnCapacityWinsOverTheDefault()
    {
        var options = new WorkflowOptions { DefaultDailyCallCapacity = 100 };
        var unit = Unit.Create("CTC-62", new UnitDetails("Cellule 62", "62", "Europe/Paris", DailyCallCapacity: 3));
        var now = new DateTime(2026, 3, 20, 9, 0, 0, DateTimeKind.Utc);
        var candidates = Enumerable.Range(0, 7)
            .Select(i => new CampaignCandidate(unit, TriState.No, DangerLevel.NotAssessed, null, now.AddDays(-i))).ToList();
        var firstDay = Unit.LocalDate(now + options.CampaignContactPeriod, unit.TimeZoneId);
        var load = new Dictionary<(int, DateOnly), int> { [(unit.Id, firstDay)] = 2, [(unit.Id, firstDay.AddDays(1))] = 3 };

        var slots = CampaignSchedule.Plan(candidates, now, options, load);

        var days = slots.Select(s => Unit.LocalDate(s.ContactDueUtc, unit.TimeZoneId).DayNumber - firstDay.DayNumber).ToList();
        // One place left on day 0, none on day 1, three on day 2, then day 3: the newest intervention first.
        Assert.Equal([0, 2, 2, 2, 3, 3, 3], days);
        // Every day keeps the wall-clock time of the first deadline (after the spring change too), and reviews come a week before.
        var wallClock = Unit.ToLocal(now + options.CampaignContactPeriod, unit.TimeZone).TimeOfDay;
        Assert.All(slots, s => Assert.Equal(wallClock, Unit.ToLocal(s.ContactDueUtc, unit.TimeZone).TimeOfDay));
        Assert.All(slots, s => Assert.Equal(options.CampaignContactPeriod - options.CampaignReviewPeriod, s.ContactDueUtc - s.ReviewDueUtc));
    }
}
