using Callback.Domain.Cases;
using Callback.Domain.Contact;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

/// <summary>A retry after no answer falls in her safe hours, in her zone, never after the deadline.</summary>
public class SafeHoursTests
{
    private static SafeContact Hours(int from, int until, string? zone = null, int fromMinute = 0) =>
        SafeContact.None with { SafeFrom = new TimeOnly(from, fromMinute), SafeUntil = new TimeOnly(until, 0), TimeZoneId = zone };

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void ARetryThatWouldFallAtNight_WaitsForHerHoursNextMorning_InHerUnitsZone()
    {
        // 22:00 in Paris (UTC+1 in March) plus the two-hour delay is midnight: she said 9:00 to 18:00.
        var now = Utc(2026, 3, 4, 21, 0);

        var next = Policy.NextAttempt(now, Hours(9, 18), "Europe/Paris", dueUtc: null);

        Assert.Equal(Utc(2026, 3, 5, 8, 0), next);
    }

    [Fact]
    public void ARetryInsideHerHours_KeepsTheRetryDelay()
    {
        var now = Utc(2026, 3, 4, 9, 0);

        Assert.Equal(now + Options.RetryDelay, Policy.NextAttempt(now, Hours(9, 18), "Europe/Paris", dueUtc: null));
    }

    [Fact]
    public void HerOwnZone_WinsOverTheUnits()
    {
        // 14:00 UTC is 10:00 in Cayenne (UTC-3); with the delay, 12:00 there: outside her 18:00-21:00, so 18:00 Cayenne = 21:00 UTC.
        var now = Utc(2026, 3, 4, 14, 0);

        var next = Policy.NextAttempt(now, Hours(18, 21, "America/Cayenne"), "Europe/Paris", dueUtc: null);

        Assert.Equal(Utc(2026, 3, 4, 21, 0), next);
    }

    [Fact]
    public void HoursAcrossMidnight_AreInsideLateAtNight()
    {
        var now = Utc(2026, 3, 4, 20, 0);

        // 21:00 + 2 h = 23:00 Paris, inside 22:00-02:00.
        Assert.Equal(now + Options.RetryDelay, Policy.NextAttempt(now, Hours(22, 2), "Europe/Paris", dueUtc: null));
    }

    [Fact]
    public void NoHoursGiven_KeepsTheRetryDelay()
    {
        var now = Utc(2026, 3, 4, 1, 0);

        Assert.Equal(now + Options.RetryDelay, Policy.NextAttempt(now, SafeContact.None, "Europe/Paris", dueUtc: null));
    }

    [Fact]
    public void NoSafeMomentBeforeTheDeadline_TheDeadlineComesNext_NeverARetryAtNight()
    {
        var now = Utc(2026, 3, 4, 21, 0);
        var due = Utc(2026, 3, 5, 5, 0);

        Assert.Equal(due, Policy.NextAttempt(now, Hours(9, 18), "Europe/Paris", due));
    }

    [Fact]
    public void ADelayPastTheDeadline_StopsAtTheDeadline()
    {
        var now = Utc(2026, 3, 4, 10, 0);
        var due = now.AddMinutes(30);

        Assert.Equal(due, Policy.NextAttempt(now, SafeContact.None, "Europe/Paris", due));
    }

    [Fact]
    public void HoursOpeningInTheSpringForwardGap_OpenWhenTheClocksLand()
    {
        // 29 March 2026 in Paris: 02:00 jumps to 03:00 (01:00 UTC). Her hours open at 02:30, which does not exist that night.
        var now = Utc(2026, 3, 28, 22, 0);

        var next = Policy.NextAttempt(now, Hours(2, 6, fromMinute: 30), "Europe/Paris", dueUtc: null);

        Assert.Equal(Utc(2026, 3, 29, 1, 0), next);
    }

    [Fact]
    public void HoursOpeningInTheRepeatedAutumnHour_OpenAtItsFirstOccurrence()
    {
        // 25 October 2026 in Paris: 03:00 goes back to 02:00; 02:30 happens at 00:30 UTC and again at 01:30 UTC.
        var now = Utc(2026, 10, 24, 21, 0);

        var next = Policy.NextAttempt(now, Hours(2, 6, fromMinute: 30), "Europe/Paris", dueUtc: null);

        Assert.Equal(Utc(2026, 10, 25, 0, 30), next);
    }

    [Fact]
    public void AfterTheAutumnChange_TheSameLocalHourIsAnHourLaterInUtc()
    {
        // 9:00 in Paris is 7:00 UTC in summer, 8:00 UTC from 25 October.
        Assert.Equal(Utc(2026, 10, 24, 7, 0), SafeHours.NextMomentWithin(Utc(2026, 10, 23, 20, 0), Hours(9, 18), "Europe/Paris"));
        Assert.Equal(Utc(2026, 10, 26, 8, 0), SafeHours.NextMomentWithin(Utc(2026, 10, 25, 20, 0), Hours(9, 18), "Europe/Paris"));
    }

    [Fact]
    public void AnAttemptWithNoAnswer_PlansTheRetryInHerHours()
    {
        var c = In(CaseState.AwaitingContact);
        c.CorrectSafeContact(Hours(9, 18), Intervention.AddHours(2));
        var evening = Utc(2026, 3, 3, 20, 30);

        c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", evening, Policy);

        Assert.Equal(Utc(2026, 3, 4, 8, 0), c.NextAttemptAtUtc);
        Assert.True(c.NextAttemptAtUtc <= c.DueAtUtc);
    }
}
