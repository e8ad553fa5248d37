using Callback.Domain.Campaigns;
using Callback.Domain.Cases;
using Callback.Domain.Units;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Tests.Campaigns;

/// <summary>
/// The calls falling due per unit and local day, read on Monday 2 March 2026 at 20:00 UTC (21:00 in Paris, 00:00 on
/// Tuesday in La Réunion), over 14 days.
/// </summary>
public sealed class CallLoadTests
{
    private static readonly DateTime From = Harness.Start.UtcDateTime;

    private static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task PerDay_CountsEachCallOnItsUnitsLocalDay_ByTheDeadlineItsStateOwes(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            db.Units.Add(new Unit("CTC-974", "Cellule 974", "974", "Indian/Reunion"));
            await db.SaveChangesAsync();
        }

        // Paris is UTC+1 in March: 22:30 UTC is still Tuesday 3, 23:30 UTC is already Wednesday 4.
        await h.CaseDueAsync("CTC-62", "62-tue-late", CaseState.AwaitingContact, Utc(3, 22, 30));
        await h.CaseDueAsync("CTC-62", "62-wed-early", CaseState.AwaitingContact, Utc(3, 23, 30));
        // A campaign case under review owes its call by the campaign's contact deadline, not by its review deadline.
        await h.CaseDueAsync("CTC-62", "62-campaign", CaseState.AwaitingReview, Utc(3, 9), campaignContactDueUtc: Utc(5, 9));
        await h.CaseDueAsync("CTC-62", "62-review", CaseState.AwaitingReview, Utc(3, 9));
        await h.CaseDueAsync("CTC-62", "62-check-in", CaseState.FollowUp, Utc(5, 15));
        // Owe no call from the cell: closed and the patrol states.
        await h.CaseDueAsync("CTC-62", "62-closed", CaseState.Closed, Utc(3, 9));
        await h.CaseDueAsync("CTC-62", "62-patrol", CaseState.PatrolRequested, Utc(3, 9));
        await h.CaseDueAsync("CTC-62", "62-dispatched", CaseState.PatrolDispatched, Utc(3, 9));
        // Overdue at the instant of reading (19:00 UTC today, this morning): apart, not on a day.
        await h.CaseDueAsync("CTC-62", "62-overdue", CaseState.AwaitingContact, Utc(2, 19));
        await h.CaseDueAsync("CTC-62", "62-overdue-check-in", CaseState.FollowUp, Utc(1, 8));
        // Today in Paris after the instant of reading: today.
        await h.CaseDueAsync("CTC-62", "62-tonight", CaseState.AwaitingContact, Utc(2, 22));
        // The last day of the window is Sunday 15 March in Paris; Monday 16 is outside.
        await h.CaseDueAsync("CTC-62", "62-last-day", CaseState.AwaitingContact, Utc(15, 22, 59));
        await h.CaseDueAsync("CTC-62", "62-after", CaseState.AwaitingContact, Utc(15, 23));
        // La Réunion is UTC+4: 22:00 UTC on Monday 2 is 02:00 on Tuesday 3, its first day.
        await h.CaseDueAsync("CTC-974", "974-first-day", CaseState.AwaitingContact, Utc(2, 22));
        // A unit not asked about is not read.
        await h.CaseDueAsync("CTC-59", "59-elsewhere", CaseState.AwaitingContact, Utc(3, 9));

        await using var read = await h.Databases.CreateDbContextAsync();
        var units = await read.Units.AsNoTracking().Where(u => u.Code != "CTC-59").ToListAsync();
        var paris = units.Single(u => u.Code == "CTC-62").Id;
        var reunion = units.Single(u => u.Code == "CTC-974").Id;

        var load = await CallLoad.PerDayAsync(read, units, From, 14, TestContext.Current.CancellationToken);

        Assert.Equal(new DateOnly(2026, 3, 2), load.FirstDayOf(paris));
        Assert.Equal(new DateOnly(2026, 3, 3), load.FirstDayOf(reunion));
        Assert.Equal(28, load.Due.Count);      // every day of both units, zero included
        var parisDays = Enumerable.Range(0, 14).Select(i => load.DueOn(paris, new DateOnly(2026, 3, 2).AddDays(i))).ToList();
        //            2  3  4  5  6  7  8  9 10 11 12 13 14 15
        Assert.Equal([1, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], parisDays);
        Assert.Equal(0, load.DueOn(paris, new DateOnly(2026, 3, 16)));
        Assert.Equal(2, load.Overdue[paris]);
        Assert.Equal(3, load.CallsOn(paris, new DateOnly(2026, 3, 2)));      // owed today: due today and the overdue ones
        Assert.Equal(2, load.CallsOn(paris, new DateOnly(2026, 3, 3)));
        Assert.Equal((1, 0), (load.DueOn(reunion, new DateOnly(2026, 3, 3)), load.Overdue[reunion]));
        Assert.False(load.Overdue.ContainsKey(h.UnitB));
    }

    [Fact]
    public async Task PerDay_WithNoUnit_ReadsNothing_AndRefusesAnEmptyWindow()
    {
        await using var h = await Harness.CreateAsync();
        await using var db = await h.Databases.CreateDbContextAsync();

        var load = await CallLoad.PerDayAsync(db, [], From, 14, TestContext.Current.CancellationToken);

        Assert.Empty(load.Due);
        Assert.Empty(load.Overdue);
        var units = await db.Units.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CallLoad.PerDayAsync(db, units, From, 0, TestContext.Current.CancellationToken));
    }
}
