using Callback.Domain.Cases;

using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

public class DeadlineTests
{
    [Fact]
    public void Review_OfAnOrdinaryFile_OpensTheWindowAt24HoursAndSetsTheDeadlineAt48()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Equal(Intervention.AddHours(24), c.ContactWindowOpensAtUtc);
        Assert.Equal(Intervention.AddHours(48), c.DueAtUtc);
        Assert.Equal(new CaseAlarm(c.Id, c.AlarmVersion, DeadlineKind.ContactDeadline, Intervention.AddHours(48)), c.Alarm);
    }

    [Fact]
    public void Review_WithHighDanger_IsDueAtOnceWithTheShortDeadline()
    {
        var c = In(CaseState.AwaitingReview);
        var reviewedAt = Intervention.AddHours(2);

        c.Review(Findings(DangerLevel.High), reviewedAt, Policy);

        Assert.Equal(reviewedAt, c.ContactWindowOpensAtUtc);
        Assert.Equal(reviewedAt.AddHours(4), c.DueAtUtc);
    }

    [Fact]
    public void Review_DoneLate_StillLeavesTheShortDeadlineToCall()
    {
        var c = In(CaseState.AwaitingReview);
        var reviewedAt = Intervention.AddHours(47);

        c.Review(Findings(), reviewedAt, Policy);

        Assert.Equal(reviewedAt.AddHours(4), c.DueAtUtc);
    }

    [Fact]
    public void CampaignCase_TakesItsDeadlinesFromTheImport_NotFromTheOldIntervention()
    {
        var importedAt = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var campaign = new Callback.Domain.Units.Campaign("Réexamen 2020", importedAt, importedAt.AddDays(7), importedAt.AddDays(14), "admin");
        var oldFile = Facts() with { InterventionAtUtc = new DateTime(2020, 2, 1, 0, 0, 0, DateTimeKind.Utc) };

        var c = Case.Open(oldFile, Unit, importedAt, Policy, campaign);
        Assert.Equal(importedAt.AddDays(7), c.DueAtUtc);
        c.Review(Findings(), importedAt.AddDays(1), Policy);

        Assert.Equal(importedAt.AddDays(14), c.DueAtUtc);
        Assert.Equal(DeadlineFiring.NotDueYet, c.FireDeadline(c.AlarmVersion, DeadlineKind.ContactDeadline, importedAt.AddDays(2), Policy));
    }

    [Fact]
    public void FireDeadline_WhenDue_RequestsPatrol_AndASecondRingChangesNothing()
    {
        var c = In(CaseState.AwaitingContact);
        var alarm = c.Alarm!;

        var first = c.FireDeadline(alarm.Version, alarm.Kind, alarm.DueUtc, Policy);
        var events = c.PendingEvents.Count;
        var second = c.FireDeadline(alarm.Version, alarm.Kind, alarm.DueUtc.AddHours(5), Policy);

        Assert.Equal(DeadlineFiring.Applied, first);
        Assert.Equal(DeadlineFiring.Stale, second);
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(events, c.PendingEvents.Count);
    }

    [Fact]
    public void FireDeadline_BeforeTheDueInstant_ChangesNothing()
    {
        var c = In(CaseState.AwaitingContact);
        var alarm = c.Alarm!;

        Assert.Equal(DeadlineFiring.NotDueYet, c.FireDeadline(alarm.Version, alarm.Kind, alarm.DueUtc.AddSeconds(-1), Policy));
        Assert.Equal(CaseState.AwaitingContact, c.State);
    }

    [Fact]
    public void FireDeadline_ForAnAlarmTheCaseHasMovedPast_IsStale()
    {
        var c = In(CaseState.AwaitingContact);
        var old = c.Alarm!;
        c.RecordContact(new ContactReport(true, DangerLevel.Low, false, null), "officer-1", Intervention.AddHours(30), Policy);

        Assert.Equal(DeadlineFiring.Stale, c.FireDeadline(old.Version, old.Kind, old.DueUtc.AddDays(1), Policy));
        Assert.Equal(CaseState.Closed, c.State);
    }

    [Fact]
    public void FireDeadline_OfAnAlert_KeepsTheStateAndRingsOnce()
    {
        var c = In(CaseState.PatrolRequested);
        var alarm = c.Alarm!;
        Assert.Equal(DeadlineKind.DispatchAcknowledgementOverdue, alarm.Kind);

        Assert.Equal(DeadlineFiring.Alerted, c.FireDeadline(alarm.Version, alarm.Kind, alarm.DueUtc, Policy));
        Assert.Equal(DeadlineFiring.Stale, c.FireDeadline(alarm.Version, alarm.Kind, alarm.DueUtc, Policy));
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.True(c.IsOverdue(alarm.DueUtc), "the request stays overdue: overdue is computed from the deadline");
        Assert.Equal("Alert.DispatchAcknowledgementOverdue", c.PendingEvents[^1].Action);
    }

    [Fact]
    public void RaiseDanger_ToHighDuringContact_BringsTheDeadlineCloser()
    {
        var c = In(CaseState.AwaitingContact);
        var at = Intervention.AddHours(10);

        c.RaiseDanger(DangerLevel.High, "new threats by text message", at, Policy);

        Assert.Equal(at.AddHours(4), c.DueAtUtc);
        Assert.Equal(at.AddHours(4), c.Alarm!.DueUtc);
    }

    [Fact]
    public void RaiseDanger_NeverLowers()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Throws<CaseRuleException>(() => c.RaiseDanger(DangerLevel.Low, null, Intervention.AddHours(3), Policy));
        Assert.Equal(DangerLevel.Moderate, c.Danger);
    }

    [Fact]
    public void LowerDanger_NeedsAReason()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Throws<CaseRuleException>(() => c.LowerDanger(DangerLevel.Low, "", Intervention.AddHours(3)));
        c.LowerDanger(DangerLevel.Low, "perpetrator in custody for 6 months", Intervention.AddHours(3));

        Assert.Equal(DangerLevel.Low, c.Danger);
    }

    [Fact]
    public void Claim_ByASecondOfficer_IsRefusedWhileTheLeaseLives_AndAllowedOnceItIsStale()
    {
        var c = In(CaseState.AwaitingContact);
        var at = Intervention.AddHours(25);
        c.Claim("officer-1", at, Policy);

        Assert.Throws<CaseRuleException>(() => c.Claim("officer-2", at.AddMinutes(29), Policy));
        Assert.Equal("officer-1", c.ActiveClaimant(at.AddMinutes(29)));
        Assert.Null(c.ActiveClaimant(at.AddMinutes(30)));

        c.Claim("officer-2", at.AddMinutes(31), Policy);
        Assert.Equal("officer-2", c.ActiveClaimant(at.AddMinutes(31)));
    }

    [Theory]
    [InlineData(7, 0, false)]   // 08:00 Paris (winter, UTC+1): before her safe hours
    [InlineData(9, 0, true)]    // 10:00 Paris
    [InlineData(17, 59, true)]  // 18:59 Paris
    [InlineData(18, 0, false)]  // 19:00 Paris: the end is excluded
    public void SafeHours_AreReadInTheVictimsTimeZone(int utcHour, int utcMinute, bool expected)
    {
        var safe = new SafeContact("0611111111", new TimeOnly(9, 0), new TimeOnly(19, 0), "Europe/Paris", ContactChannel.Phone, true, null);
        var nowUtc = new DateTime(2026, 1, 15, utcHour, utcMinute, 0, DateTimeKind.Utc);

        Assert.Equal(expected, safe.IsWithinSafeHours(nowUtc, "Indian/Reunion"));
    }

    [Fact]
    public void SafeHours_FallBackOnTheUnitTimeZone_AndMayCrossMidnight()
    {
        var nights = new SafeContact(null, new TimeOnly(22, 0), new TimeOnly(6, 0), null, ContactChannel.Phone, false, null);

        // 19:30 UTC is 23:30 in La Réunion (UTC+4).
        Assert.True(nights.IsWithinSafeHours(new DateTime(2026, 1, 15, 19, 30, 0, DateTimeKind.Utc), "Indian/Reunion"));
        Assert.False(nights.IsWithinSafeHours(new DateTime(2026, 1, 15, 10, 0, 0, DateTimeKind.Utc), "Indian/Reunion"));
    }

    [Fact]
    public void WorkflowOptions_WithAContactDeadlineBeforeTheWindow_AreRejected()
    {
        var options = new WorkflowOptions { ContactWindowOpensAfter = TimeSpan.FromHours(48), ContactDeadlineAfter = TimeSpan.FromHours(24) };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("ContactDeadlineAfter", error.Message);
    }

    [Fact]
    public void ContactAfterReopen_GivesAFreshWindowOfTheUsualLength_CountedFromNow()
    {
        var now = Intervention.AddDays(30);

        var (opens, due) = Policy.ContactAfterReopen(now, Intervention, DangerLevel.Moderate, campaignContactDueUtc: null);

        Assert.Equal((now, now + (Options.ContactDeadlineAfter - Options.ContactWindowOpensAfter)), (opens, due));
    }

    [Fact]
    public void ContactAfterReopen_UnderHighDanger_KeepsTheShortDeadline()
    {
        var now = Intervention.AddDays(30);

        Assert.Equal((now, now + Options.HighDangerContactDeadline), Policy.ContactAfterReopen(now, Intervention, DangerLevel.High, null));
    }
}
