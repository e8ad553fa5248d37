using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Units;

namespace Callback.Domain.Tests.Cases;

/// <summary>Builds cases in any state through the same intentions the application uses.</summary>
internal static class TestCases
{
    public static readonly DateTime Intervention = new(2026, 3, 2, 21, 30, 0, DateTimeKind.Utc);
    public static readonly WorkflowOptions Options = new();
    public static readonly DeadlinePolicy Policy = new(Options);
    public static readonly Unit Unit = new("CTC-62", "Cellule 62", "62", "Europe/Paris");

    public static NewCase Facts(OffenceCategory offence = OffenceCategory.ConjugalViolence, string reference = "62-2026-000001") =>
        new(reference, Intervention, offence, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas, Arras"), new Perpetrator("Marc Durand", TriState.Unknown));

    public static ReviewFindings Findings(DangerLevel danger = DangerLevel.Moderate, bool immediate = false) =>
        new(TriState.No, false, false, false, false, TriState.Yes, ProtectionMeasures.None, danger, immediate);

    /// <summary>A case brought to <paramref name="state"/>; the clock is at intervention + 2 h when it arrives there.</summary>
    public static Case In(CaseState state, DateTime? at = null)
    {
        var now = at ?? Intervention.AddHours(1);
        var c = state == CaseState.PatrolProposed ? OpenInCampaign(now) : Case.Open(Facts(), Unit, now, Policy);
        if (state == CaseState.AwaitingReview)
        {
            return c;
        }

        c.Review(Findings(), now.AddMinutes(30), Policy);
        switch (state)
        {
            case CaseState.AwaitingContact:
                return c;
            case CaseState.Closed:
                c.RecordContact(new ContactReport(true, DangerLevel.Moderate, false, null), "officer-1", now.AddHours(1), Policy);
                return c;
            case CaseState.FollowUp:
                c.RecordContact(new ContactReport(true, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, "officer-1", now.AddHours(1), Policy);
                return c;
            case CaseState.PatrolProposed:
                // The calls run out while the unit's hourly places are spent: the governor holds the patrol back.
                for (var i = 0; i < Options.MaxAttempts; i++)
                {
                    c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", now.AddHours(1).AddMinutes(i), Policy, governorHolds: true);
                }

                return c;
        }

        c.RequestPatrol("neighbours heard screams", now.AddHours(1), Policy);
        if (state == CaseState.PatrolDispatched)
        {
            c.Dispatch("PS-12", now.AddHours(1.1), Policy);
        }

        return c;
    }

    /// <summary>A case of a re-examination campaign (its deadlines run from the campaign; the patrol governor applies).</summary>
    public static Case OpenInCampaign(DateTime now) =>
        Case.Open(Facts(), Unit, now, Policy, new Campaign("Réexamen 2020", now, now.AddDays(7), now.AddDays(14), "supervisor-1"));

    public static void ApplyUserAction(Case c, CaseTrigger trigger, DateTime now)
    {
        switch (trigger)
        {
            case CaseTrigger.Review: c.Review(Findings(), now, Policy); break;
            case CaseTrigger.RecordAttempt: c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", now, Policy); break;
            case CaseTrigger.RecordContact: c.RecordContact(new ContactReport(true, DangerLevel.Low, false, null), "officer-1", now, Policy); break;
            case CaseTrigger.StartFollowUp:
                c.RecordContact(new ContactReport(true, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, "officer-1", now, Policy);
                break;
            case CaseTrigger.RecordCheckIn: c.RecordCheckIn(new ContactReport(true, DangerLevel.Low, false, null), "officer-1", now, Policy); break;
            case CaseTrigger.Acknowledge: c.Acknowledge(now, Policy); break;
            case CaseTrigger.CallOffPatrol: c.CallOffPatrol(PatrolCallOff.VictimCalledBack, null, now, Policy); break;
            case CaseTrigger.ScheduleFollowUp: c.ScheduleFollowUp(now.AddMinutes(30), "she asked to be called after work", now, Policy); break;
            case CaseTrigger.RequestPatrol: c.RequestPatrol("worried", now, Policy); break;
            case CaseTrigger.Dispatch: c.Dispatch("PS-1", now, Policy); break;
            case CaseTrigger.ReportOutcome: c.ReportPatrolOutcome(PatrolOutcome.VictimSafeAndSeen, null, now, Policy); break;
            case CaseTrigger.Close: c.Close(ClosureReason.NotApplicable, null, now, Policy); break;
            case CaseTrigger.Reopen: c.Reopen("victim called back", now, Policy); break;
            case CaseTrigger.ConfirmPatrol: c.ConfirmPatrol(null, now, Policy); break;
            case CaseTrigger.DeclinePatrol: c.DeclinePatrol("her sister says she is safe, keep calling", now, Policy); break;
            case CaseTrigger.CheckInDeadlineElapsed: c.FireDeadline(c.AlarmVersion, DeadlineKind.CheckInDeadline, c.AlarmDueUtc ?? now, Policy); break;
            case CaseTrigger.ContactDeadlineElapsed: c.FireDeadline(c.AlarmVersion, DeadlineKind.ContactDeadline, c.AlarmDueUtc ?? now, Policy); break;
            case CaseTrigger.MaxAttemptsReached:
                for (var i = 0; i < Options.MaxAttempts; i++)
                {
                    c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", now.AddMinutes(i), Policy);
                }

                break;
            default: throw new ArgumentOutOfRangeException(nameof(trigger));
        }
    }
}
