using Callback.Domain.Audit;
using Callback.Domain.Cases;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

/// <summary>The follow-up ("suivi"): check-ins by danger level and by dated measures, missed check-ins, the last one closing.</summary>
public class FollowUpTests
{
    private static readonly DateTime Contact = Intervention.AddHours(30);

    private static ContactReport Reached(DangerLevel danger, AfterContact then = AfterContact.FollowUp, bool patrol = false) =>
        new(true, danger, patrol, null) { Then = then };

    /// <summary>A case reviewed at <paramref name="danger"/>, awaiting its first call.</summary>
    private static Case Reviewed(DangerLevel danger)
    {
        var c = Case.Open(Facts(), Unit, Intervention.AddHours(1), Policy);
        c.Review(Findings(danger), Intervention.AddHours(2), Policy);
        return c;
    }

    /// <summary>A case reached at <see cref="Contact"/> at <paramref name="danger"/> and put under follow-up.</summary>
    private static Case Followed(DangerLevel danger, Action<Case>? before = null)
    {
        var c = In(CaseState.AwaitingContact);
        before?.Invoke(c);
        c.RecordContact(Reached(danger), "officer-1", Contact, Policy);
        return c;
    }

    /// <summary>Makes each check-in as its window opens, and returns when each opened, counted from the contact.</summary>
    private static List<TimeSpan> CheckInsUntilClosed(Case c)
    {
        var opened = new List<TimeSpan>();
        while (c.State == CaseState.FollowUp && opened.Count < 10)
        {
            var at = c.ContactWindowOpensAtUtc!.Value;
            opened.Add(at - Contact);
            c.RecordCheckIn(Reached(DangerLevel.NotAssessed, AfterContact.Close), "officer-1", at.AddMinutes(5), Policy);
        }

        return opened;
    }

    [Fact]
    public void HighDanger_FollowsAtThreeSevenAndThirtyDays_ThenClosesAsCompleted()
    {
        var c = Followed(DangerLevel.High);

        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.Equal(DeadlineKind.CheckInDeadline, c.AlarmKind);
        Assert.Equal(Contact.AddDays(3) + Options.HighDangerCheckInDeadline, c.DueAtUtc);

        Assert.Equal([TimeSpan.FromDays(3), TimeSpan.FromDays(7), TimeSpan.FromDays(30)], CheckInsUntilClosed(c));
        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(ClosureReason.FollowUpCompleted, c.ClosureReason);
        Assert.Equal(3, c.CheckInsDone);
        Assert.Null(c.AlarmKind);
        Assert.Equal(3, c.PendingEvents.Count(e => e.Action == AuditActions.RecordCheckIn));
    }

    [Fact]
    public void ModerateDanger_FollowsAtSevenAndThirtyDays_WithTheLongerCheckInDeadline()
    {
        var c = Followed(DangerLevel.Moderate);

        Assert.Equal(Contact.AddDays(7) + Options.CheckInDeadline, c.DueAtUtc);
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromDays(30)], CheckInsUntilClosed(c));
        Assert.Equal(ClosureReason.FollowUpCompleted, c.ClosureReason);
    }

    [Fact]
    public void LowDanger_HasNoPlan_SoFollowUpIsRefused_AndNothingChanges()
    {
        var c = Reviewed(DangerLevel.Low);
        var events = c.PendingEvents.Count;

        Assert.False(c.HasFollowUpPlan(DangerLevel.Low, Contact, Policy));
        Assert.Throws<CaseRuleException>(() => c.RecordContact(Reached(DangerLevel.Low), "officer-1", Contact, Policy));
        Assert.Equal(CaseState.AwaitingContact, c.State);
        Assert.Equal(events, c.PendingEvents.Count);
        Assert.Empty(c.Attempts);
    }

    [Fact]
    public void ConfiguredPlan_ReplacesTheBuiltInOne()
    {
        var options = new WorkflowOptions { FollowUpLowDanger = [TimeSpan.FromDays(14)], FollowUpHighDanger = [TimeSpan.FromDays(1)] };

        Assert.Equal([TimeSpan.FromDays(14)], options.CheckInsFor(DangerLevel.Low));
        Assert.Equal([TimeSpan.FromDays(1)], options.CheckInsFor(DangerLevel.Severe));
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromDays(30)], options.CheckInsFor(DangerLevel.Moderate));
    }

    [Fact]
    public void ARaiseMidPlan_TightensTheRemainingPlanAtOnce()
    {
        var c = Followed(DangerLevel.Moderate);
        Assert.Equal(Contact.AddDays(7), c.ContactWindowOpensAtUtc);

        c.RaiseDanger(DangerLevel.High, "he was seen near her home", Contact.AddDays(1), Policy);

        Assert.Equal(Contact.AddDays(3), c.ContactWindowOpensAtUtc);
        Assert.Equal(Contact.AddDays(3) + Options.HighDangerCheckInDeadline, c.DueAtUtc);
        Assert.Equal(DeadlineKind.CheckInDeadline, c.AlarmKind);
    }

    [Fact]
    public void AHigherLevelFoundAtACheckIn_TightensTheRestOfThePlan()
    {
        var c = Followed(DangerLevel.Moderate);

        c.RecordCheckIn(Reached(DangerLevel.High, AfterContact.Close), "officer-1", Contact.AddDays(7).AddHours(1), Policy);

        Assert.Equal(DangerLevel.High, c.Danger);
        Assert.Equal(CaseState.FollowUp, c.State);
        // The high plan's 30-day check-in is what remains after day 7; its deadline is the short one.
        Assert.Equal(Contact.AddDays(30), c.ContactWindowOpensAtUtc);
        Assert.Equal(Contact.AddDays(30) + Options.HighDangerCheckInDeadline, c.DueAtUtc);
    }

    [Fact]
    public void AMeasureEnding_SchedulesACheckInSevenDaysBefore_EvenWithoutAPlan()
    {
        var c = Reviewed(DangerLevel.Low);
        c.AddMeasure(MeasureKind.ProtectionOrder, Contact.AddDays(-60), Contact.AddDays(20), Contact.AddMinutes(-5), Policy);

        Assert.True(c.HasFollowUpPlan(DangerLevel.Low, Contact, Policy));
        c.RecordContact(Reached(DangerLevel.Low), "officer-1", Contact, Policy);

        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.Equal(Contact.AddDays(13), c.ContactWindowOpensAtUtc);
        Assert.Equal(Contact.AddDays(13) + Options.CheckInDeadline, c.DueAtUtc);
        Assert.Equal([TimeSpan.FromDays(13)], CheckInsUntilClosed(c));
        Assert.Equal(ClosureReason.FollowUpCompleted, c.ClosureReason);
    }

    [Fact]
    public void AReleaseDateRecordedMidPlan_BringsTheNextCheckInBeforeIt_AndIsAudited()
    {
        var c = Followed(DangerLevel.Moderate);
        var events = c.PendingEvents.Count;

        var release = Contact.AddDays(5);
        c.AddMeasure(MeasureKind.PerpetratorInCustody, Contact.AddDays(-1), release, Contact.AddDays(1), Policy);

        // Release in five days, the lead is seven: the check-in opens at once.
        Assert.Equal(Contact.AddDays(1), c.ContactWindowOpensAtUtc);
        var entry = Assert.Single(c.PendingEvents.Skip(events));
        Assert.Equal(AuditActions.AddMeasure, entry.Action);
        Assert.Contains("PerpetratorInCustody #1", entry.Reason);

        // Her release is covered; the plan's own check-ins follow.
        c.RecordCheckIn(Reached(DangerLevel.NotAssessed, AfterContact.Close), "officer-1", Contact.AddDays(1).AddHours(1), Policy);
        Assert.Equal(Contact.AddDays(7), c.ContactWindowOpensAtUtc);
    }

    [Fact]
    public void MovingOrRemovingAMeasure_MovesTheCheckInItCalledFor()
    {
        var c = Followed(DangerLevel.Moderate);
        var order = c.AddMeasure(MeasureKind.ProtectionOrder, null, Contact.AddDays(10), Contact.AddHours(1), Policy);
        Assert.Equal(Contact.AddDays(3), c.ContactWindowOpensAtUtc);

        c.UpdateMeasure(order.Number, MeasureKind.ProtectionOrder, null, Contact.AddDays(60), Contact.AddHours(2), Policy);
        Assert.Equal(Contact.AddDays(7), c.ContactWindowOpensAtUtc);

        c.UpdateMeasure(order.Number, MeasureKind.ProtectionOrder, null, Contact.AddDays(12), Contact.AddHours(3), Policy);
        Assert.Equal(Contact.AddDays(5), c.ContactWindowOpensAtUtc);

        c.RemoveMeasure(order.Number, Contact.AddHours(4), Policy);
        Assert.Equal(Contact.AddDays(7), c.ContactWindowOpensAtUtc);
        Assert.Empty(c.Measures);
        Assert.Equal(
            [AuditActions.AddMeasure, AuditActions.UpdateMeasure, AuditActions.UpdateMeasure, AuditActions.RemoveMeasure],
            c.PendingEvents.Select(e => e.Action).Where(a => a.Contains("Measure", StringComparison.Ordinal)));
    }

    [Fact]
    public void AMeasureThatEndsBeforeItStarts_IsRefusedByName_AndAClosedCaseTakesNoMeasure()
    {
        var c = Followed(DangerLevel.Moderate);

        var error = Assert.Throws<CaseRuleException>(() => c.AddMeasure(MeasureKind.AntiApproachBracelet, Contact.AddDays(2), Contact.AddDays(1), Contact, Policy));
        Assert.Contains("end", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<CaseRuleException>(() => c.UpdateMeasure(7, MeasureKind.AntiApproachBracelet, null, null, Contact, Policy));
        Assert.Empty(c.Measures);

        var closed = In(CaseState.Closed);
        Assert.Throws<CaseRuleException>(() => closed.AddMeasure(MeasureKind.SeriousDangerPhone, null, Contact.AddDays(30), Contact, Policy));
    }

    [Fact]
    public void AMissedHighDangerCheckIn_RequestsOnePatrol_AndALateRepeatChangesNothing()
    {
        var c = Followed(DangerLevel.High);
        var (version, due) = (c.AlarmVersion, c.AlarmDueUtc!.Value);

        Assert.Equal(DeadlineFiring.Applied, c.FireDeadline(version, DeadlineKind.CheckInDeadline, due, Policy));
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(PatrolReason.CheckInDeadlineElapsed, c.Patrol.Reason);
        var events = c.PendingEvents.Count;

        Assert.Equal(DeadlineFiring.Stale, c.FireDeadline(version, DeadlineKind.CheckInDeadline, due.AddHours(1), Policy));
        Assert.Equal(events, c.PendingEvents.Count);
        Assert.Single(c.PendingEvents, e => e.Action == AuditActions.CheckInDeadlineElapsed);
    }

    [Fact]
    public void AMissedModerateCheckIn_AlertsOnce_WithoutAPatrol_AndTheCheckInCanStillBeMade()
    {
        var c = Followed(DangerLevel.Moderate);
        var (version, due) = (c.AlarmVersion, c.AlarmDueUtc!.Value);

        Assert.Equal(DeadlineFiring.Alerted, c.FireDeadline(version, DeadlineKind.CheckInDeadline, due, Policy));
        Assert.Equal(DeadlineFiring.Stale, c.FireDeadline(version, DeadlineKind.CheckInDeadline, due.AddMinutes(1), Policy));

        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.Single(c.PendingEvents, e => e.Action == AuditActions.Alert(DeadlineKind.CheckInDeadline));
        Assert.Null(c.AlarmKind);

        c.RecordCheckIn(Reached(DangerLevel.NotAssessed, AfterContact.Close), "officer-1", due.AddHours(2), Policy);
        Assert.Equal(Contact.AddDays(30), c.ContactWindowOpensAtUtc);
        Assert.Equal(DeadlineKind.CheckInDeadline, c.AlarmKind);
    }

    [Fact]
    public void ACheckInThatCallsForAPatrol_RequestsOne()
    {
        var c = Followed(DangerLevel.Moderate);

        c.RecordCheckIn(Reached(DangerLevel.Severe, AfterContact.Close, patrol: true), "officer-1", Contact.AddDays(7), Policy);

        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(PatrolReason.DangerDuringCall, c.Patrol.Reason);
        Assert.Equal(DangerLevel.Severe, c.Danger);
    }

    [Fact]
    public void SheDeclines_BelowHighDanger_ClosedAsDeclined()
    {
        var c = In(CaseState.AwaitingContact);

        c.RecordContact(Reached(DangerLevel.Moderate, AfterContact.Declined), "officer-1", Contact, Policy);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(ClosureReason.VictimDeclinedFollowUp, c.ClosureReason);
    }

    [Fact]
    public void SheDeclines_InHighDanger_ThePlanGoesOnUntilASupervisorDecides()
    {
        var c = In(CaseState.AwaitingContact);

        c.RecordContact(Reached(DangerLevel.High, AfterContact.Declined), "officer-1", Contact, Policy);

        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.Equal(Contact, c.FollowUpDeclinedAtUtc);
        Assert.Contains("supervisor decides", c.PendingEvents[^1].Reason);
    }

    [Fact]
    public void SheDeclinesAtACheckIn_BelowHighDanger_ClosedAsDeclined()
    {
        var c = Followed(DangerLevel.Moderate);

        c.RecordCheckIn(Reached(DangerLevel.NotAssessed, AfterContact.Declined), "officer-1", Contact.AddDays(7), Policy);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(ClosureReason.VictimDeclinedFollowUp, c.ClosureReason);
        Assert.Equal(AuditActions.Close, c.PendingEvents[^1].Action);
    }

    [Fact]
    public void APatrolThatIntervened_LeadsToAFollowUpPlan_NotASilentClose()
    {
        var c = In(CaseState.PatrolDispatched);

        c.ReportPatrolOutcome(PatrolOutcome.InterventionNeeded, "he was arrested", Contact, Policy);

        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.True(c.Danger >= DangerLevel.Moderate);
        Assert.Equal(DeadlineKind.CheckInDeadline, c.AlarmKind);
        Assert.Null(c.ClosureReason);
    }

    [Fact]
    public void ACohabitingPerpetrator_MakesTheContactDueAtOnce_WithTheShortDeadline()
    {
        var c = Case.Open(Facts(), Unit, Intervention.AddHours(1), Policy);
        var reviewedAt = Intervention.AddHours(2);

        c.Review(Findings(DangerLevel.Low) with { Cohabiting = TriState.Yes }, reviewedAt, Policy);

        Assert.Equal(reviewedAt, c.ContactWindowOpensAtUtc);
        Assert.Equal(reviewedAt + Options.HighDangerContactDeadline, c.DueAtUtc);
    }

    [Fact]
    public void NotCohabiting_KeepsTheUsualWindow()
    {
        var c = Case.Open(Facts(), Unit, Intervention.AddHours(1), Policy);

        c.Review(Findings(DangerLevel.Low), Intervention.AddHours(2), Policy);

        Assert.Equal(Intervention + Options.ContactWindowOpensAfter, c.ContactWindowOpensAtUtc);
    }

    [Fact]
    public void CohabitationLearntDuringTheCall_Yes_MakesTheContactDueAtOnce_WithTheShortDeadline_AuditedWithoutItsValue()
    {
        // The review found he did not live with her; during the call she says he is back home.
        var c = Reviewed(DangerLevel.Moderate);
        var before = c.DueAtUtc!.Value;
        var now = Intervention.AddHours(3);

        c.RecordCohabitation(TriState.Yes, now, Policy);

        Assert.Equal(TriState.Yes, c.Perpetrator.Cohabiting);
        Assert.Equal(now + Options.HighDangerContactDeadline, c.DueAtUtc);
        Assert.True(c.DueAtUtc < before);
        Assert.Equal((DeadlineKind.ContactDeadline, c.DueAtUtc), (c.AlarmKind, c.AlarmDueUtc));
        var entry = c.PendingEvents[^1];
        Assert.Equal((AuditActions.UpdateFacts, "cohabitation"), (entry.Action, entry.Reason));
    }

    [Fact]
    public void CohabitationNo_OrTheSameAnswerAgain_LeavesTheDeadline_AndTheSameAnswerRecordsNothing()
    {
        var c = Reviewed(DangerLevel.Moderate);
        var due = c.DueAtUtc;
        var events = c.PendingEvents.Count;

        c.RecordCohabitation(TriState.No, Intervention.AddHours(3), Policy);

        Assert.Equal(due, c.DueAtUtc);
        Assert.Equal(events, c.PendingEvents.Count);
        c.RecordCohabitation(TriState.Unknown, Intervention.AddHours(3), Policy);
        Assert.Equal(events + 1, c.PendingEvents.Count);
        Assert.Equal(due, c.DueAtUtc);
    }

    [Fact]
    public void CohabitationOnAClosedCase_IsRefused()
    {
        var c = In(CaseState.Closed);

        Assert.Throws<CaseRuleException>(() => c.RecordCohabitation(TriState.Yes, Intervention.AddDays(3), Policy));
    }
}
