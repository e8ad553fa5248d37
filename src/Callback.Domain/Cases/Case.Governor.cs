using Callback.Domain.Audit;
using Callback.Domain.Contact;

namespace Callback.Domain.Cases;

/// <summary>
/// The patrol governor's side of a case (issue 18, PRODUCT.md: "nothing automatic may raise hundreds of patrol requests
/// in one go without a person confirming it"). An automatic patrol of a campaign case below high danger beyond the
/// unit's hourly limit is proposed instead of requested: it waits, in its place, for a supervisor to confirm or decline.
/// The limit itself is counted by the workflow service (it spans cases); the case only says whether it is governed and
/// whether what is about to happen would raise an automatic patrol.
/// </summary>
public sealed partial class Case
{
    /// <summary>Whether the governor may hold back this case's automatic patrols: a campaign case below high danger.</summary>
    public bool IsGovernedByPatrolGovernor => CampaignId is not null && Danger < DangerLevel.High;

    /// <summary>Whether ringing this alarm now would raise an automatic patrol (a current, due contact deadline).</summary>
    public bool DeadlineWouldRequestPatrol(int alarmVersion, DeadlineKind kind, DateTime nowUtc) =>
        kind == DeadlineKind.ContactDeadline && AlarmKind == kind && AlarmVersion == alarmVersion && AlarmDueUtc is { } due && due <= nowUtc
        && State == CaseState.AwaitingContact;

    /// <summary>Whether recording this unanswered call would use up the last attempt and raise an automatic patrol.</summary>
    public bool AttemptWouldRequestPatrol(AttemptOutcome outcome, DeadlinePolicy policy) =>
        State == CaseState.AwaitingContact && outcome.CountsAsNoContact()
        && AttemptCount + 1 >= (policy ?? throw new ArgumentNullException(nameof(policy))).Options.MaxAttempts;

    /// <summary>A supervisor confirms the patrol the governor held back: it goes to the dispatch board now.</summary>
    public void ConfirmPatrol(string? note, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.ConfirmPatrol);
        var proposed = Patrol;
        EnterPatrolRequested(proposed.Reason ?? PatrolReason.ContactDeadlineElapsed, note, nowUtc, policy);
        Patrol.KeepProposal(proposed);
        _events.Add(new CaseEvent(AuditActions.ConfirmPatrol, CaseState.PatrolProposed, State, Join(Patrol.AuditReason(AttemptCount), note), nowUtc));
    }

    /// <summary>
    /// A supervisor declines the patrol the governor held back, with a reason: the case goes back to contact with a fresh
    /// window of the usual length, counted from now, and its calls start again.
    /// </summary>
    public void DeclinePatrol(string reason, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var why = RequireText(reason, "Case.DeclinePatrolReasonRequired");
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.DeclinePatrol);
        Patrol = PatrolRequest.None;
        EnterAwaitingContact(nowUtc, policy, resetAttempts: true, urgent: false, reopened: true);
        _events.Add(new CaseEvent(AuditActions.DeclinePatrol, CaseState.PatrolProposed, State, why, nowUtc));
    }

    /// <summary>A patrol raised by the clock or the calls running out: requested, or proposed when the governor holds it back.</summary>
    private void EnterAutomaticPatrol(PatrolReason reason, bool held, DateTime nowUtc, DeadlinePolicy policy)
    {
        if (!held)
        {
            EnterPatrolRequested(reason, null, nowUtc, policy);
            return;
        }

        Patrol = PatrolRequest.Proposed(reason, nowUtc);
        NextAttemptAtUtc = null;
        DueAtUtc = nowUtc + policy.Options.PatrolProposalDecisionDeadline;
        SetAlarm(DeadlineKind.PatrolProposalOverdue, DueAtUtc.Value);
    }
}
