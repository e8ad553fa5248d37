using System.Text.Json;
using Callback.Domain.Audit;
using Callback.Domain.Contact;
using Callback.Domain.Localization;

namespace Callback.Domain.Cases;

/// <summary>
/// The follow-up ("suivi"): after a contact, the victim is called again at check-ins set by her danger level
/// (<see cref="WorkflowOptions.CheckInsFor"/>) and by the ends of her dated protection measures. Each check-in is a
/// contact round of its own (window, deadline, retries in her safe hours); the last one closes the case.
/// </summary>
public sealed partial class Case
{
    /// <summary>When the plan started (the contact that put her under follow-up): the plan's check-ins count from it.</summary>
    public DateTime? FollowUpStartedAtUtc { get; private set; }

    /// <summary>Check-ins of the plan falling at or before this instant are done (the last check-in covered them).</summary>
    public DateTime? CheckInsCoveredUntilUtc { get; private set; }

    /// <summary>Check-ins made since the plan started.</summary>
    public int CheckInsDone { get; private set; }

    /// <summary>She declined the follow-up while in high danger: the plan goes on until a supervisor decides.</summary>
    public DateTime? FollowUpDeclinedAtUtc { get; private set; }

    /// <summary>The dated measures as stored (JSON of <see cref="DatedMeasure"/>), read with the case row: no join.</summary>
    public string? MeasuresJson { get; private set; }

    /// <summary>The dated protection measures, in the order they were recorded.</summary>
    public IReadOnlyList<DatedMeasure> Measures =>
        MeasuresJson is null ? [] : JsonSerializer.Deserialize<List<DatedMeasure>>(MeasuresJson, MeasureJson) ?? [];

    private static readonly JsonSerializerOptions MeasureJson = new(JsonSerializerDefaults.Web);

    /// <summary>Whether a follow-up plan could start now, at <paramref name="danger"/>: the plan has a check-in, or a measure calls for one.</summary>
    public bool HasFollowUpPlan(DangerLevel danger, DateTime nowUtc, DeadlinePolicy policy) =>
        (policy ?? throw new ArgumentNullException(nameof(policy))).NextCheckIn(nowUtc, nowUtc, danger, Measures, nowUtc) is not null;

    /// <summary>
    /// A check-in reached the victim. Danger found raises the level (and tightens the plan); answers calling for a patrol
    /// request one. Otherwise the plan moves to its next check-in, or closes the case as "follow-up completed" after its
    /// last. She may decline: closed as declined, unless danger is high, where a supervisor decides.
    /// </summary>
    public void RecordCheckIn(ContactReport report, string actorId, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(policy);
        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        if (State != CaseState.FollowUp)
        {
            // Refused with the lifecycle's own words, before a patrol or a close could be taken for a check-in.
            lifecycle.Fire(lifecycle.RecordCheckIn, false);
        }

        var danger = Max(Danger, report.Danger);
        var declinedLow = report.Then == AfterContact.Declined && danger < DangerLevel.High;
        var covered = Later(nowUtc, ContactWindowOpensAtUtc);
        var next = policy.NextCheckIn(FollowUpStartedAtUtc ?? nowUtc, covered, danger, Measures, nowUtc);
        var last = next is null;
        if (report.PatrolNeeded)
        {
            lifecycle.Fire(CaseTrigger.RequestPatrol);
        }
        else if (declinedLow)
        {
            lifecycle.Fire(CaseTrigger.Close);
        }
        else
        {
            lifecycle.Fire(lifecycle.RecordCheckIn, last);
        }

        _attempts.Add(new CallAttempt(Id, nowUtc, actorId, AttemptOutcome.Reached, report.ToSafeNumber, report.Note, report.QuestionnaireJson));
        Danger = danger;
        DangerGridJson = report.DangerGridJson ?? DangerGridJson;
        CheckInsDone++;
        CheckInsCoveredUntilUtc = covered;
        AttemptCount = 0;
        string reason;
        if (report.PatrolNeeded)
        {
            EnterPatrolRequested(PatrolReason.DangerDuringCall, null, nowUtc, policy);
            reason = Patrol.AuditReason(AttemptCount);
        }
        else if (declinedLow)
        {
            EnterClosed(Cases.ClosureReason.VictimDeclinedFollowUp, report.Note, nowUtc);
            reason = $"check-in {CheckInsDone}, victim declines follow-up";
        }
        else if (next is { } n)
        {
            if (report.Then == AfterContact.Declined)
            {
                FollowUpDeclinedAtUtc ??= nowUtc;
            }

            EnterCheckIn(n);
            reason = report.Then == AfterContact.Declined
                ? $"check-in {CheckInsDone}, victim declines follow-up: supervisor decides (high danger)"
                : $"check-in {CheckInsDone}, next at {n.WindowOpensUtc:O}";
        }
        else
        {
            EnterClosed(Cases.ClosureReason.FollowUpCompleted, report.Note, nowUtc);
            reason = $"check-in {CheckInsDone}, follow-up completed";
        }

        var action = report.PatrolNeeded ? AuditActions.RequestPatrol : declinedLow ? AuditActions.Close : AuditActions.RecordCheckIn;
        _events.Add(new CaseEvent(action, CaseState.FollowUp, State, reason, nowUtc));
    }

    /// <summary>A dispatcher has seen the request: its acknowledgement alert stops. Sending a crew is <see cref="Dispatch"/>.</summary>
    public void Acknowledge(DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Patrol.AcknowledgedAtUtc is not null)
        {
            throw new CaseRuleException(DomainText.Get("Case.AlreadyAcknowledged"));
        }

        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.Acknowledge);
        Patrol.Acknowledge(nowUtc);
        // Nothing is overdue any more: the crew is sent when one is free, and the board keeps the request in view.
        DueAtUtc = null;
        ClearAlarm();
        _events.Add(new CaseEvent(AuditActions.Acknowledge, State, State, null, nowUtc));
    }

    /// <summary>
    /// Calls off a patrol request (or recalls a crew): she called back, or was reached another way. The case goes back
    /// to contact, due at once with the short deadline, so the call is recorded with its questionnaire; if nobody records
    /// it, the deadline requests a patrol again.
    /// </summary>
    public void CallOffPatrol(PatrolCallOff reason, string? note, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!Enum.IsDefined(reason))
        {
            throw new CaseRuleException(DomainText.Get("Case.CallOffReasonRequired"));
        }

        if (reason == PatrolCallOff.Other && string.IsNullOrWhiteSpace(note))
        {
            throw new CaseRuleException(DomainText.Get("Case.CallOffOtherNeedsNote"));
        }

        var from = State;
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.CallOffPatrol);
        Patrol.CallOff(reason, note, nowUtc);
        EnterAwaitingContact(nowUtc, policy, resetAttempts: true, urgent: true);
        _events.Add(new CaseEvent(AuditActions.CallOffPatrol, from, State, Join(reason.ToString(), note), nowUtc));
    }

    /// <summary>
    /// What she says of cohabitation during the call ("unknown" is a question to resolve). A perpetrator living with her is
    /// a trigger of its own: an open contact becomes due at once with the short deadline (it never moves later).
    /// </summary>
    public void RecordCohabitation(TriState cohabiting, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (State == CaseState.Closed)
        {
            throw new CaseRuleException(DomainText.Get("Measure.CaseClosed"));
        }

        if (!Enum.IsDefined(cohabiting) || cohabiting == Perpetrator.Cohabiting)
        {
            return;
        }

        Perpetrator.RecordCohabitation(cohabiting);
        if (cohabiting == TriState.Yes && State == CaseState.AwaitingContact && DueAtUtc is { } due)
        {
            var newDue = policy.ContactDueWhenUrgent(nowUtc, due);
            if (newDue != due)
            {
                DueAtUtc = newDue;
                ContactWindowOpensAtUtc = nowUtc;
                SetAlarm(DeadlineKind.ContactDeadline, newDue);
            }
        }

        _events.Add(new CaseEvent(AuditActions.UpdateFacts, State, State, "cohabitation", nowUtc));
    }

    /// <summary>Records a dated measure. Kind and dates go to the audit log; in follow-up the next check-in is worked out again.</summary>
    public DatedMeasure AddMeasure(MeasureKind kind, DateTime? startsUtc, DateTime? endsUtc, DateTime nowUtc, DeadlinePolicy policy)
    {
        var measures = EditableMeasures();
        var measure = new DatedMeasure(measures.Count == 0 ? 1 : measures.Max(m => m.Number) + 1, kind, UtcOrNull(startsUtc), UtcOrNull(endsUtc), nowUtc).Validated();
        measures.Add(measure);
        SaveMeasures(measures, AuditActions.AddMeasure, measure.AuditText, nowUtc, policy);
        return measure;
    }

    /// <summary>Changes the dates (or the kind) of measure <paramref name="number"/>.</summary>
    public void UpdateMeasure(int number, MeasureKind kind, DateTime? startsUtc, DateTime? endsUtc, DateTime nowUtc, DeadlinePolicy policy)
    {
        var measures = EditableMeasures();
        var index = measures.FindIndex(m => m.Number == number);
        if (index < 0)
        {
            throw new CaseRuleException(DomainText.Format("Measure.Unknown", number));
        }

        var measure = new DatedMeasure(number, kind, UtcOrNull(startsUtc), UtcOrNull(endsUtc), nowUtc).Validated();
        if (measure.SaysTheSameAs(measures[index]))
        {
            return;
        }

        measures[index] = measure;
        SaveMeasures(measures, AuditActions.UpdateMeasure, measure.AuditText, nowUtc, policy);
    }

    public void RemoveMeasure(int number, DateTime nowUtc, DeadlinePolicy policy)
    {
        var measures = EditableMeasures();
        var measure = measures.Find(m => m.Number == number) ?? throw new CaseRuleException(DomainText.Format("Measure.Unknown", number));
        measures.Remove(measure);
        SaveMeasures(measures, AuditActions.RemoveMeasure, measure.AuditText, nowUtc, policy);
    }

    private List<DatedMeasure> EditableMeasures()
    {
        if (State == CaseState.Closed)
        {
            throw new CaseRuleException(DomainText.Get("Measure.CaseClosed"));
        }

        return Measures.ToList();
    }

    private void SaveMeasures(List<DatedMeasure> measures, string action, string auditText, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        MeasuresJson = measures.Count == 0 ? null : JsonSerializer.Serialize(measures, MeasureJson);
        if (State == CaseState.FollowUp)
        {
            RescheduleCheckIn(nowUtc, policy, onlyIfEarlier: false);
        }

        _events.Add(new CaseEvent(action, State, State, auditText, nowUtc));
    }

    /// <summary>Starts the plan: its check-ins count from now.</summary>
    private void EnterFollowUp(DateTime nowUtc, DeadlinePolicy policy, bool declined)
    {
        FollowUpStartedAtUtc = nowUtc;
        CheckInsCoveredUntilUtc = nowUtc;
        CheckInsDone = 0;
        FollowUpDeclinedAtUtc = declined ? nowUtc : null;
        AttemptCount = 0;
        var next = policy.NextCheckIn(nowUtc, nowUtc, Danger, Measures, nowUtc)
            ?? throw new CaseRuleException(DomainText.Get("Case.NoFollowUpPlan"));
        EnterCheckIn(next);
    }

    /// <summary>
    /// Works the next check-in out again after the danger or the measures changed. A raise only ever brings it closer;
    /// a measure changed may move it either way. Nothing left to schedule keeps the check-in already set.
    /// </summary>
    private void RescheduleCheckIn(DateTime nowUtc, DeadlinePolicy policy, bool onlyIfEarlier)
    {
        if (policy.NextCheckIn(FollowUpStartedAtUtc ?? nowUtc, CheckInsCoveredUntilUtc ?? nowUtc, Danger, Measures, nowUtc) is not { } next
            || next.WindowOpensUtc == ContactWindowOpensAtUtc
            || (onlyIfEarlier && ContactWindowOpensAtUtc is { } current && next.WindowOpensUtc >= current))
        {
            return;
        }

        EnterCheckIn(next);
    }

    private void EnterCheckIn((DateTime WindowOpensUtc, DateTime DueUtc) checkIn)
    {
        ContactWindowOpensAtUtc = checkIn.WindowOpensUtc;
        NextAttemptAtUtc = checkIn.WindowOpensUtc;
        DueAtUtc = checkIn.DueUtc;
        AttemptCount = 0;
        SetAlarm(DeadlineKind.CheckInDeadline, checkIn.DueUtc);
    }

    /// <summary>The zone her safe hours are read in when she named none: her unit's.</summary>
    private string VictimTimeZoneFallback => Unit?.TimeZoneId ?? Units.Unit.DefaultTimeZoneId;

    private static DateTime Later(DateTime a, DateTime? b) => b is { } other && other > a ? other : a;

    private static DateTime? UtcOrNull(DateTime? value) => value is { } v ? Utc(v) : null;
}
