using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

/// <summary>Issue 18: what the case does when the patrol governor holds an automatic patrol back, and a supervisor's decision.</summary>
public class PatrolProposalTests
{
    private static readonly DateTime Now = Intervention.AddHours(1);

    private static Case CampaignCaseAwaitingContact(DangerLevel danger = DangerLevel.Moderate)
    {
        var c = OpenInCampaign(Now);
        c.Review(Findings(danger), Now.AddMinutes(10), Policy);
        return c;
    }

    [Fact]
    public void AHeldContactDeadline_ProposesThePatrol_NothingGoesToDispatch_AndASupervisorAlertIsArmed()
    {
        var c = CampaignCaseAwaitingContact();
        var due = c.AlarmDueUtc!.Value;
        Assert.True(c.IsGovernedByPatrolGovernor);
        Assert.True(c.DeadlineWouldRequestPatrol(c.AlarmVersion, DeadlineKind.ContactDeadline, due));

        var firing = c.FireDeadline(c.AlarmVersion, DeadlineKind.ContactDeadline, due, Policy, governorHolds: true);

        Assert.Equal(DeadlineFiring.Applied, firing);
        Assert.Equal(CaseState.PatrolProposed, c.State);
        Assert.False(c.Patrol.IsRequested);
        Assert.Equal(due, c.Patrol.ProposedAtUtc);
        Assert.Equal(PatrolReason.ContactDeadlineElapsed, c.Patrol.Reason);
        Assert.Equal(DeadlineKind.PatrolProposalOverdue, c.AlarmKind);
        Assert.Equal(due + Options.PatrolProposalDecisionDeadline, c.AlarmDueUtc);
        var entry = c.PendingEvents[^1];
        Assert.Equal((AuditActions.ContactDeadlineElapsed, CaseState.AwaitingContact, CaseState.PatrolProposed), (entry.Action, entry.From, entry.To));
    }

    [Fact]
    public void TheGovernorNeverHoldsBack_ACaseOutsideACampaign_OrAHighDangerCampaignCase()
    {
        var ordinary = In(CaseState.AwaitingContact);
        var high = CampaignCaseAwaitingContact(DangerLevel.High);
        Assert.False(ordinary.IsGovernedByPatrolGovernor);
        Assert.False(high.IsGovernedByPatrolGovernor);

        foreach (var c in new[] { ordinary, high })
        {
            c.FireDeadline(c.AlarmVersion, DeadlineKind.ContactDeadline, c.AlarmDueUtc!.Value, Policy, governorHolds: true);
            Assert.Equal(CaseState.PatrolRequested, c.State);
            Assert.Null(c.Patrol.ProposedAtUtc);
        }
    }

    [Fact]
    public void TheLastUnansweredCall_OfAHeldCampaignCase_ProposesThePatrol()
    {
        var c = CampaignCaseAwaitingContact();
        for (var i = 0; i < Options.MaxAttempts - 1; i++)
        {
            Assert.False(c.AttemptWouldRequestPatrol(AttemptOutcome.NoAnswer, Policy));
            c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", Now.AddHours(2 + i), Policy, governorHolds: true);
            Assert.Equal(CaseState.AwaitingContact, c.State);
        }

        Assert.True(c.AttemptWouldRequestPatrol(AttemptOutcome.NoAnswer, Policy));
        c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", Now.AddHours(5), Policy, governorHolds: true);

        Assert.Equal(CaseState.PatrolProposed, c.State);
        Assert.Equal(PatrolReason.MaxAttemptsReached, c.Patrol.Reason);
        Assert.Equal(AuditActions.MaxAttemptsReached, c.PendingEvents[^1].Action);
    }

    [Fact]
    public void Confirming_SendsItToDispatch_KeepingWhyAndWhenItWasProposed()
    {
        var c = In(CaseState.PatrolProposed);
        var proposedAt = c.Patrol.ProposedAtUtc;
        var at = Now.AddHours(3);

        c.ConfirmPatrol("beaucoup de dossiers, celui-ci d'abord", at, Policy);

        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.True(c.Patrol.IsRequested);
        Assert.Equal(at, c.Patrol.RequestedAtUtc);
        Assert.Equal(proposedAt, c.Patrol.ProposedAtUtc);
        Assert.Equal(PatrolReason.MaxAttemptsReached, c.Patrol.Reason);
        Assert.Equal(DeadlineKind.DispatchAcknowledgementOverdue, c.AlarmKind);
        Assert.Equal(AuditActions.ConfirmPatrol, c.PendingEvents[^1].Action);
    }

    [Fact]
    public void Declining_NeedsAReason_ThenTheCellKeepsCalling_WithAFreshWindow()
    {
        var c = In(CaseState.PatrolProposed);
        var at = Now.AddHours(3);
        var events = c.PendingEvents.Count;

        var refused = Assert.Throws<CaseRuleException>(() => c.DeclinePatrol("  ", at, Policy));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Equal(CaseState.PatrolProposed, c.State);
        Assert.Equal(events, c.PendingEvents.Count);

        c.DeclinePatrol("sa sœur confirme qu'elle est en sécurité", at, Policy);

        Assert.Equal(CaseState.AwaitingContact, c.State);
        Assert.Equal(0, c.AttemptCount);
        Assert.False(c.Patrol.IsRequested);
        Assert.Equal(DeadlineKind.ContactDeadline, c.AlarmKind);
        Assert.Equal(at + (Options.ContactDeadlineAfter - Options.ContactWindowOpensAfter), c.DueAtUtc);
        Assert.Equal((AuditActions.DeclinePatrol, "sa sœur confirme qu'elle est en sécurité"), (c.PendingEvents[^1].Action, c.PendingEvents[^1].Reason));
    }

    [Fact]
    public void AProposalNobodyDecidedOn_AlertsSupervisorsOnce_AndStaysProposed()
    {
        var c = In(CaseState.PatrolProposed);
        var (version, due) = (c.AlarmVersion, c.AlarmDueUtc!.Value);

        Assert.Equal(DeadlineFiring.Alerted, c.FireDeadline(version, DeadlineKind.PatrolProposalOverdue, due, Policy));
        Assert.Equal(DeadlineFiring.Stale, c.FireDeadline(version, DeadlineKind.PatrolProposalOverdue, due.AddHours(1), Policy));

        Assert.Equal(CaseState.PatrolProposed, c.State);
        Assert.Single(c.PendingEvents, e => e.Action == AuditActions.Alert(DeadlineKind.PatrolProposalOverdue));
    }
}
