using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

public class CaseLifecycleTests
{
    private static readonly DateTime Later = Intervention.AddHours(3);

    /// <summary>PRODUCT.md's lifecycle, written out independently of the machine: which user action each state allows.</summary>
    private static readonly Dictionary<CaseState, CaseTrigger[]> Allowed = new()
    {
        [CaseState.AwaitingReview] = [CaseTrigger.Review, CaseTrigger.RequestPatrol, CaseTrigger.Close],
        [CaseState.AwaitingContact] =
            [CaseTrigger.RecordAttempt, CaseTrigger.RecordContact, CaseTrigger.StartFollowUp, CaseTrigger.ScheduleFollowUp, CaseTrigger.RequestPatrol, CaseTrigger.Close],
        [CaseState.FollowUp] = [CaseTrigger.RecordAttempt, CaseTrigger.RecordCheckIn, CaseTrigger.ScheduleFollowUp, CaseTrigger.RequestPatrol, CaseTrigger.Close],
        [CaseState.PatrolRequested] = [CaseTrigger.Acknowledge, CaseTrigger.Dispatch, CaseTrigger.CallOffPatrol],
        [CaseState.PatrolDispatched] = [CaseTrigger.ReportOutcome, CaseTrigger.CallOffPatrol],
        [CaseState.Closed] = [CaseTrigger.Reopen],
        [CaseState.PatrolProposed] = [CaseTrigger.ConfirmPatrol, CaseTrigger.DeclinePatrol, CaseTrigger.Close],
    };

    private static readonly CaseTrigger[] UserActions =
    [
        CaseTrigger.Review, CaseTrigger.RecordAttempt, CaseTrigger.RecordContact, CaseTrigger.StartFollowUp, CaseTrigger.RecordCheckIn,
        CaseTrigger.ScheduleFollowUp, CaseTrigger.RequestPatrol, CaseTrigger.Acknowledge, CaseTrigger.Dispatch, CaseTrigger.CallOffPatrol,
        CaseTrigger.ReportOutcome, CaseTrigger.Close, CaseTrigger.Reopen, CaseTrigger.ConfirmPatrol, CaseTrigger.DeclinePatrol,
    ];

    public static TheoryData<CaseState, CaseTrigger, CaseState> AllowedTransitions => new()
    {
        { CaseState.AwaitingReview, CaseTrigger.Review, CaseState.AwaitingContact },
        { CaseState.AwaitingReview, CaseTrigger.RequestPatrol, CaseState.PatrolRequested },
        { CaseState.AwaitingReview, CaseTrigger.Close, CaseState.Closed },
        { CaseState.AwaitingContact, CaseTrigger.RecordAttempt, CaseState.AwaitingContact },
        { CaseState.AwaitingContact, CaseTrigger.ScheduleFollowUp, CaseState.AwaitingContact },
        { CaseState.AwaitingContact, CaseTrigger.RecordContact, CaseState.Closed },
        { CaseState.AwaitingContact, CaseTrigger.RequestPatrol, CaseState.PatrolRequested },
        { CaseState.AwaitingContact, CaseTrigger.ContactDeadlineElapsed, CaseState.PatrolRequested },
        { CaseState.AwaitingContact, CaseTrigger.MaxAttemptsReached, CaseState.PatrolRequested },
        { CaseState.AwaitingContact, CaseTrigger.Close, CaseState.Closed },
        { CaseState.AwaitingContact, CaseTrigger.StartFollowUp, CaseState.FollowUp },
        { CaseState.FollowUp, CaseTrigger.RecordAttempt, CaseState.FollowUp },
        { CaseState.FollowUp, CaseTrigger.ScheduleFollowUp, CaseState.FollowUp },
        { CaseState.FollowUp, CaseTrigger.RecordCheckIn, CaseState.FollowUp },
        { CaseState.FollowUp, CaseTrigger.RequestPatrol, CaseState.PatrolRequested },
        { CaseState.FollowUp, CaseTrigger.Close, CaseState.Closed },
        { CaseState.PatrolRequested, CaseTrigger.Acknowledge, CaseState.PatrolRequested },
        { CaseState.PatrolRequested, CaseTrigger.Dispatch, CaseState.PatrolDispatched },
        { CaseState.PatrolRequested, CaseTrigger.CallOffPatrol, CaseState.AwaitingContact },
        { CaseState.PatrolDispatched, CaseTrigger.ReportOutcome, CaseState.Closed },
        { CaseState.PatrolDispatched, CaseTrigger.CallOffPatrol, CaseState.AwaitingContact },
        { CaseState.Closed, CaseTrigger.Reopen, CaseState.AwaitingContact },
        { CaseState.PatrolProposed, CaseTrigger.ConfirmPatrol, CaseState.PatrolRequested },
        { CaseState.PatrolProposed, CaseTrigger.DeclinePatrol, CaseState.AwaitingContact },
        { CaseState.PatrolProposed, CaseTrigger.Close, CaseState.Closed },
    };

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void AllowedTransition_MovesTheCase_AndRecordsOneEventNamedAfterIt(CaseState from, CaseTrigger trigger, CaseState to)
    {
        var c = In(from);
        var eventsBefore = c.PendingEvents.Count;

        ApplyUserAction(c, trigger, Later);

        Assert.Equal(to, c.State);
        var recorded = c.PendingEvents.Skip(eventsBefore).Select(e => e.Action).ToList();
        Assert.Contains(trigger.ToString(), recorded);
        Assert.Equal(to, c.PendingEvents[^1].To);
    }

    public static TheoryData<CaseState, CaseTrigger> ForbiddenTransitions()
    {
        var data = new TheoryData<CaseState, CaseTrigger>();
        foreach (var state in Enum.GetValues<CaseState>())
        {
            foreach (var trigger in UserActions.Except(Allowed[state]))
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void ForbiddenTransition_IsRefusedWithAClearError_AndChangesNothing(CaseState state, CaseTrigger trigger)
    {
        var c = In(state);
        var events = c.PendingEvents.Count;
        var alarm = c.Alarm;

        var error = Assert.Throws<CaseRuleException>(() => ApplyUserAction(c, trigger, Later));

        Assert.Contains(trigger.ToString(), error.Message);
        Assert.Contains(state.ToString(), error.Message);
        Assert.Equal(state, c.State);
        Assert.Equal(events, c.PendingEvents.Count);
        Assert.Equal(alarm, c.Alarm);
    }

    [Theory]
    [InlineData(CaseState.AwaitingReview)]
    [InlineData(CaseState.AwaitingContact)]
    [InlineData(CaseState.FollowUp)]
    [InlineData(CaseState.PatrolRequested)]
    [InlineData(CaseState.PatrolDispatched)]
    [InlineData(CaseState.Closed)]
    [InlineData(CaseState.PatrolProposed)]
    public void PermittedTriggers_ListExactlyTheUserActionsTheLifecycleAllows(CaseState state)
    {
        var permitted = In(state).PermittedTriggers(Options.MaxAttempts).Intersect(UserActions).ToHashSet();

        Assert.Equal(Allowed[state].ToHashSet(), permitted);
    }

    [Fact]
    public void Review_WhenImmediateDangerFound_RequestsPatrolAtOnce()
    {
        var c = In(CaseState.AwaitingReview);

        c.Review(Findings(DangerLevel.Severe, immediate: true), Later, Policy);

        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(DeadlineKind.DispatchAcknowledgementOverdue, c.AlarmKind);
        Assert.Equal(Later + Options.DispatchAcknowledgementDeadline, c.DueAtUtc);
        Assert.Equal(PatrolReason.DangerAtReview, c.Patrol.Reason);
    }

    [Fact]
    public void RecordContact_WhenTheCallRevealsDanger_RequestsPatrolInsteadOfClosing()
    {
        var c = In(CaseState.AwaitingContact);

        c.RecordContact(new ContactReport(false, DangerLevel.High, PatrolNeeded: true, "{\"safeNow\":false}"), "officer-1", Later, Policy);

        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(DangerLevel.High, c.Danger);
        Assert.Equal((PatrolReason.DangerDuringCall, null), (c.Patrol.Reason, c.Patrol.ReasonNote));
        Assert.Equal("danger during the call", c.PendingEvents[^1].Reason);
        Assert.Equal(AttemptOutcome.Reached, Assert.Single(c.Attempts).Outcome);
    }

    [Fact]
    public void ReportOutcome_WhenVictimNotFound_ReturnsToContactWithAShortDeadline()
    {
        var c = In(CaseState.PatrolDispatched);

        c.ReportPatrolOutcome(PatrolOutcome.VictimNotFound, "nobody home", Later, Policy);

        Assert.Equal(CaseState.AwaitingContact, c.State);
        Assert.Equal(Later + Options.HighDangerContactDeadline, c.DueAtUtc);
        Assert.Equal(0, c.AttemptCount);
    }

    [Fact]
    public void RecordAttempt_BelowTheMaximum_SchedulesARetryAndStaysInContact()
    {
        var c = In(CaseState.AwaitingContact);

        c.RecordAttempt(AttemptOutcome.Voicemail, true, null, "officer-1", Later, Policy);
        c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", Later.AddHours(2), Policy);

        Assert.Equal(CaseState.AwaitingContact, c.State);
        Assert.Equal(2, c.AttemptCount);
        Assert.Equal(Later.AddHours(2) + Options.RetryDelay, c.NextAttemptAtUtc);
    }

    [Fact]
    public void RecordAttempt_AtTheMaximum_RequestsPatrolByItself()
    {
        var c = In(CaseState.AwaitingContact);

        for (var i = 0; i < Options.MaxAttempts; i++)
        {
            c.RecordAttempt(AttemptOutcome.NoAnswer, true, null, "officer-1", Later.AddHours(i), Policy);
        }

        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(nameof(CaseTrigger.MaxAttemptsReached), c.PendingEvents[^1].Action);
        Assert.Equal((PatrolReason.MaxAttemptsReached, null), (c.Patrol.Reason, c.Patrol.ReasonNote));
        Assert.Equal($"{Options.MaxAttempts} attempts without contact", c.PendingEvents[^1].Reason);
    }

    [Fact]
    public void RecordAttempt_Refused_DoesNotCountTowardsThePatrol()
    {
        var c = In(CaseState.AwaitingContact);

        for (var i = 0; i < Options.MaxAttempts; i++)
        {
            c.RecordAttempt(AttemptOutcome.Refused, true, null, "officer-1", Later.AddHours(i), Policy);
        }

        Assert.Equal(CaseState.AwaitingContact, c.State);
        Assert.Equal(0, c.AttemptCount);
    }

    [Fact]
    public void RecordAttempt_WithReached_IsRefused_BecauseAContactCarriesItsQuestionnaire()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Throws<CaseRuleException>(() => c.RecordAttempt(AttemptOutcome.Reached, true, null, "officer-1", Later, Policy));
        Assert.Empty(c.Attempts);
    }

    [Fact]
    public void ScheduleFollowUp_AfterTheDeadline_IsRefused()
    {
        var c = In(CaseState.AwaitingContact);

        var error = Assert.Throws<CaseRuleException>(() => c.ScheduleFollowUp(c.DueAtUtc!.Value.AddMinutes(1), null, Later, Policy));

        Assert.Contains("before the contact deadline", error.Message);
    }

    [Fact]
    public void ScheduleFollowUp_AtTheDeadline_IsRefusedByTheMachinesGuard_AndChangesNothing()
    {
        var c = In(CaseState.AwaitingContact);
        var (next, events) = (c.NextAttemptAtUtc, c.PendingEvents.Count);

        // The guard the diagram shows ("call-back agreed before the deadline") is the one that refuses: the case has
        // no check of its own on the deadline any more.
        Assert.Contains("call-back agreed before the deadline", CaseLifecycle.MermaidDiagram(), StringComparison.Ordinal);
        Assert.Throws<CaseRuleException>(() => c.ScheduleFollowUp(c.DueAtUtc!.Value, null, Later, Policy));

        Assert.Equal((CaseState.AwaitingContact, next, events), (c.State, c.NextAttemptAtUtc, c.PendingEvents.Count));
        c.ScheduleFollowUp(c.DueAtUtc!.Value.AddMinutes(-1), null, Later, Policy);
        Assert.Equal(c.DueAtUtc!.Value.AddMinutes(-1), c.NextAttemptAtUtc);
    }

    [Fact]
    public void Close_ForAnotherReason_NeedsANote()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Throws<CaseRuleException>(() => c.Close(ClosureReason.Other, " ", Later, Policy));
        c.Close(ClosureReason.Other, "victim moved abroad", Later, Policy);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Null(c.Alarm);
        Assert.Null(c.DueAtUtc);
    }

    [Fact]
    public void RequestPatrol_WithoutReason_IsRefused()
    {
        var c = In(CaseState.AwaitingContact);

        Assert.Throws<CaseRuleException>(() => c.RequestPatrol("  ", Later, Policy));
        Assert.Equal(CaseState.AwaitingContact, c.State);
    }

    [Fact]
    public void Open_DerivesTheTierFromTheOffence()
    {
        Assert.Equal(ConfidentialityTier.Orange, Case.Open(Facts(OffenceCategory.Rape), Unit, Later, Policy).Tier);
        Assert.Equal(ConfidentialityTier.Orange, Case.Open(Facts(OffenceCategory.IntrafamilyViolence), Unit, Later, Policy).Tier);
        Assert.Equal(ConfidentialityTier.Blue, Case.Open(Facts(OffenceCategory.Harassment), Unit, Later, Policy).Tier);
        Assert.Equal(ConfidentialityTier.Blue, Case.Open(Facts(OffenceCategory.Threats), Unit, Later, Policy).Tier);
    }

    [Fact]
    public void RequestPatrol_KeepsTheOfficersWordsAsTheNote_BesideTheCode()
    {
        var c = In(CaseState.AwaitingContact);

        c.RequestPatrol("  voisin inquiet  ", Later, Policy);

        Assert.Equal((PatrolReason.RequestedByOfficer, "voisin inquiet"), (c.Patrol.Reason, c.Patrol.ReasonNote));
        Assert.Equal("voisin inquiet", c.PendingEvents[^1].Reason);
    }

    [Fact]
    public void Review_WithImmediateDanger_StoresTheCodeAndTheReviewersNote_AndAuditsTheEnglishSentence()
    {
        var c = In(CaseState.AwaitingReview);

        c.Review(Findings(DangerLevel.Severe, immediate: true) with { Note = "arme au domicile" }, Later, Policy);

        Assert.Equal((PatrolReason.DangerAtReview, "arme au domicile"), (c.Patrol.Reason, c.Patrol.ReasonNote));
        Assert.Equal(AuditActions.Review, c.PendingEvents[^1].Action);
    }

    [Fact]
    public void FireDeadline_OnContact_RequestsAPatrolForTheElapsedDeadline_WithNoSentenceOfOurs()
    {
        var c = In(CaseState.AwaitingContact);

        c.FireDeadline(c.AlarmVersion, DeadlineKind.ContactDeadline, c.AlarmDueUtc!.Value, Policy);

        Assert.Equal((PatrolReason.ContactDeadlineElapsed, null), (c.Patrol.Reason, c.Patrol.ReasonNote));
    }

    [Fact]
    public void Dispatch_ThenANewRequest_ForgetsTheEarlierCrew()
    {
        var c = In(CaseState.PatrolDispatched);
        c.ReportPatrolOutcome(PatrolOutcome.VictimNotFound, null, Later, Policy);

        c.RequestPatrol("second passage", Later.AddHours(1), Policy);

        Assert.Equal((null, null, PatrolReason.RequestedByOfficer), (c.Patrol.Crew, c.Patrol.Outcome, c.Patrol.Reason));
    }
}
