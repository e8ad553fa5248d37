using Callback.Domain.Audit;
using Callback.Domain.Contact;
using Callback.Domain.Localization;
using Callback.Domain.Units;

namespace Callback.Domain.Cases;

/// <summary>
/// A follow-up case: one victim, one file, one deadline at a time. The case exposes intentions (<see cref="Review"/>,
/// <see cref="RecordAttempt"/>, ...) rather than raw triggers; each one checks the lifecycle, changes the data, sets the
/// next deadline and records what happened, which the workflow service turns into audit entries in the same transaction.
/// </summary>
public sealed partial class Case
{
    private readonly List<CallAttempt> _attempts = [];
    private readonly List<CaseNote> _notes = [];
    private readonly List<CaseEvent> _events = [];

    private Case()
    {
    }

    public Guid Id { get; private set; }
    public int UnitId { get; private set; }
    public Unit? Unit { get; private set; }
    public string FileReference { get; private set; } = "";
    public DateTime InterventionAtUtc { get; private set; }
    public DateTime CreatedAtUtc { get; private set; }
    public OffenceCategory Offence { get; private set; }

    /// <summary>Stored beside the offence so queues can filter on it; always derived from it.</summary>
    public ConfidentialityTier Tier { get; private set; }

    public Victim Victim { get; private set; } = null!;
    public Perpetrator Perpetrator { get; private set; } = null!;
    public TriState ChildrenPresent { get; private set; }
    public bool? PenalResponse { get; private set; }

    /// <summary>The free-text notes the records file carried (imports); officers' own notes are <see cref="Notes"/>.</summary>
    public string? FileNotes { get; private set; }
    public ProtectionMeasures ProtectionMeasures { get; private set; }
    public DangerLevel Danger { get; private set; }

    /// <summary>The danger grid as answered at review (JSON of <c>DangerGridAnswers</c>), or null when it was not filled in.</summary>
    public string? DangerGridJson { get; private set; }

    public CaseState State { get; internal set; }

    public int? CampaignId { get; private set; }
    public DateTime? CampaignContactDueUtc { get; private set; }

    /// <summary>The deadline of the current stage (review, contact, acknowledgement, report). Overdue is computed from it.</summary>
    public DateTime? DueAtUtc { get; private set; }

    public DateTime? ContactWindowOpensAtUtc { get; private set; }
    public DateTime? NextAttemptAtUtc { get; private set; }

    /// <summary>Unanswered attempts since the case last entered AwaitingContact.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>What the alarm wakes up for; null when nothing is pending.</summary>
    public DeadlineKind? AlarmKind { get; private set; }

    public DateTime? AlarmDueUtc { get; private set; }

    /// <summary>Bumped whenever the alarm is set or cleared: a job carrying an older number is stale and does nothing.</summary>
    public int AlarmVersion { get; private set; }

    /// <summary>Who holds the case, until when.</summary>
    public CaseClaim CurrentClaim { get; private set; } = CaseClaim.None;

    /// <summary>The last patrol requested for the case, its crew and what it found.</summary>
    public PatrolRequest Patrol { get; private set; } = PatrolRequest.None;

    public ClosureReason? ClosureReason { get; private set; }
    public string? ClosureNote { get; private set; }
    public DateTime? ClosedAtUtc { get; private set; }

    /// <summary>When retention erased the personal data of this closed case; it can no longer be reopened.</summary>
    public DateTime? AnonymisedAtUtc { get; private set; }

    /// <summary>Optimistic concurrency token, renewed by the persistence layer on every save (SQLite has no rowversion).</summary>
    public int Version { get; private set; }

    public IReadOnlyList<CallAttempt> Attempts => _attempts;
    public IReadOnlyList<CaseNote> Notes => _notes;

    /// <summary>What happened to the case since it was loaded, oldest first: one audit entry each.</summary>
    public IReadOnlyList<CaseEvent> PendingEvents => _events;

    /// <summary>The alarm as the job store must carry it, or null.</summary>
    public CaseAlarm? Alarm => AlarmKind is { } kind && AlarmDueUtc is { } due ? new CaseAlarm(Id, AlarmVersion, kind, due) : null;

    /// <summary>The facts a records file gives about the case, as they stand now.</summary>
    public FileFacts FileFacts => new(
        Victim.FirstName, Victim.LastName, Victim.Phone, Victim.Address, Perpetrator.Name, Perpetrator.Cohabiting, PenalResponse, ChildrenPresent, FileNotes);

    public bool IsOverdue(DateTime nowUtc) => State != CaseState.Closed && DueAtUtc is { } due && due <= nowUtc;

    public bool IsClaimedBy(string actorId, DateTime nowUtc) => CurrentClaim.ActiveHolder(nowUtc) == actorId;

    /// <summary>The holder of a live claim, or null when the case is in the pool (a stale claim counts as none).</summary>
    public string? ActiveClaimant(DateTime nowUtc) => CurrentClaim.ActiveHolder(nowUtc);

    /// <summary>
    /// Erases what identifies the victim, the perpetrator and what was said, and keeps what statistics need (unit,
    /// dates, offence, states, outcomes, danger level and grid answers, the yes/no and choice answers of the
    /// questionnaire). Only a case closed before <paramref name="closedBeforeUtc"/> is touched; running it twice changes
    /// nothing the second time.
    /// </summary>
    public bool Anonymise(DateTime closedBeforeUtc, DateTime nowUtc, Questionnaire questionnaire)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        if (State != CaseState.Closed || ClosedAtUtc is not { } closed || closed >= closedBeforeUtc || AnonymisedAtUtc is not null)
        {
            return false;
        }

        Victim.Erase();
        Perpetrator.UpdateName(null);
        Patrol.Erase();
        ClosureNote = null;
        foreach (var attempt in _attempts)
        {
            attempt.Erase(questionnaire);
        }

        foreach (var note in _notes)
        {
            note.Erase();
        }

        AnonymisedAtUtc = nowUtc;
        return true;
    }

    /// <summary>Opens a case for a new file, awaiting review.</summary>
    /// <remarks>A campaign case takes its own deadlines from <paramref name="slot"/> (paced to the cell), else the campaign's.</remarks>
    public static Case Open(NewCase facts, Unit unit, DateTime nowUtc, DeadlinePolicy policy, Campaign? campaign = null, Campaigns.CampaignSlot? slot = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrWhiteSpace(facts.FileReference))
        {
            throw new CaseRuleException(DomainText.Get("Case.ReferenceRequired"));
        }

        var c = new Case
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(nowUtc, TimeSpan.Zero)),
            UnitId = unit.Id,
            FileReference = facts.FileReference.Trim(),
            InterventionAtUtc = Utc(facts.InterventionAtUtc),
            CreatedAtUtc = nowUtc,
            Offence = facts.Offence,
            Tier = Confidentiality.TierOf(facts.Offence),
            Victim = facts.Victim,
            Perpetrator = facts.Perpetrator,
            ChildrenPresent = facts.ChildrenPresent,
            PenalResponse = facts.PenalResponse,
            FileNotes = string.IsNullOrWhiteSpace(facts.FileNotes) ? null : facts.FileNotes.Trim(),
            ProtectionMeasures = facts.ProtectionMeasures,
            State = CaseState.AwaitingReview,
            CampaignId = campaign?.Id,
            CampaignContactDueUtc = campaign is null ? null : slot?.ContactDueUtc ?? campaign.ContactDueUtc,
        };
        c.DueAtUtc = policy.ReviewDue(nowUtc, campaign is null ? null : slot?.ReviewDueUtc ?? campaign.ReviewDueUtc);
        c.SetAlarm(DeadlineKind.ReviewOverdue, c.DueAtUtc.Value);
        c._events.Add(new CaseEvent(AuditActions.Open, null, CaseState.AwaitingReview, campaign is null ? null : $"campaign {campaign.Id}", nowUtc));
        return c;
    }

    /// <summary>The user actions the lifecycle permits now (the UI enables its buttons from them; the roles are checked by the service).</summary>
    public IReadOnlySet<CaseTrigger> PermittedTriggers(int maxAttempts)
    {
        var lifecycle = Lifecycle(maxAttempts);
        return Enum.GetValues<CaseTrigger>().Where(lifecycle.CanFireAny).ToHashSet();
    }

    public void Review(ReviewFindings findings, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        var from = State;
        lifecycle.Fire(lifecycle.Review, findings.ImmediateDanger);

        Perpetrator.Record(findings.Cohabiting, findings.PerpetratorInCustody, findings.PerpetratorEvicted, findings.ProtectionOrder, findings.WeaponsKnown);
        ChildrenPresent = findings.ChildrenPresent;
        ProtectionMeasures = findings.ProtectionMeasures;
        if (findings.SafeContact is { } safe)
        {
            Victim.UseSafeContact(safe.Validated());
        }

        if (findings.Danger > Danger)
        {
            Danger = findings.Danger;
        }

        DangerGridJson = findings.DangerGridJson ?? DangerGridJson;
        if (findings.ImmediateDanger)
        {
            EnterPatrolRequested(PatrolReason.DangerAtReview, findings.Note, nowUtc, policy);
        }
        else
        {
            EnterAwaitingContact(nowUtc, policy, resetAttempts: true);
        }

        _events.Add(new CaseEvent(AuditActions.Review, from, State, $"danger {Danger}", nowUtc));
    }

    /// <summary>
    /// Records an unanswered or refused call. After the maximum of unanswered calls, a patrol is requested, or proposed to
    /// a supervisor when <paramref name="governorHolds"/> (the patrol governor's hourly limit for campaign cases is
    /// spent; see <see cref="IsGovernedByPatrolGovernor"/>).
    /// </summary>
    public void RecordAttempt(AttemptOutcome outcome, bool toSafeNumber, string? note, string actorId, DateTime nowUtc, DeadlinePolicy policy, bool governorHolds = false)
    {
        if (outcome == AttemptOutcome.Reached)
        {
            throw new CaseRuleException(DomainText.Get("Case.ReachedIsContact"));
        }

        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        var from = State;
        lifecycle.Fire(lifecycle.RecordAttempt, outcome);
        _attempts.Add(new CallAttempt(Id, nowUtc, actorId, outcome, toSafeNumber, note, questionnaireJson: null));
        if (outcome.CountsAsNoContact())
        {
            AttemptCount++;
            // The retry falls in her safe hours, in her zone, and never after the deadline.
            NextAttemptAtUtc = policy.NextAttempt(nowUtc, Victim.SafeContact, VictimTimeZoneFallback, DueAtUtc);
        }

        var reason = outcome.CountsAsNoContact() ? $"{outcome}, {AttemptCount} of {policy.Options.MaxAttempts} without contact" : outcome.ToString();
        _events.Add(new CaseEvent(AuditActions.RecordAttempt, from, State, reason, nowUtc));

        var held = governorHolds && IsGovernedByPatrolGovernor;
        if (lifecycle.CanFireWith(lifecycle.MaxAttemptsReachedTrigger, held))
        {
            lifecycle.Fire(lifecycle.MaxAttemptsReachedTrigger, held);
            EnterAutomaticPatrol(PatrolReason.MaxAttemptsReached, held, nowUtc, policy);
            _events.Add(new CaseEvent(AuditActions.MaxAttemptsReached, from, State, Patrol.AuditReason(AttemptCount), nowUtc));
        }
    }

    /// <summary>
    /// Records a call that reached the victim, with the questionnaire. Danger found during the call raises the level;
    /// if the answers call for it a patrol is requested, otherwise the case is closed as contacted.
    /// </summary>
    public void RecordContact(ContactReport report, string actorId, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        var danger = Max(Danger, report.Danger);
        // She declines: closed as declined, unless danger is high, where the plan goes on until a supervisor decides.
        var follow = !report.PatrolNeeded && (report.Then == AfterContact.FollowUp || (report.Then == AfterContact.Declined && danger >= DangerLevel.High));
        var trigger = report.PatrolNeeded ? CaseTrigger.RequestPatrol : follow ? CaseTrigger.StartFollowUp : CaseTrigger.RecordContact;
        if (follow && policy.NextCheckIn(nowUtc, nowUtc, danger, Measures, nowUtc) is null)
        {
            throw new CaseRuleException(DomainText.Get("Case.NoFollowUpPlan"));
        }

        lifecycle.Fire(trigger);
        _attempts.Add(new CallAttempt(Id, nowUtc, actorId, AttemptOutcome.Reached, report.ToSafeNumber, report.Note, report.QuestionnaireJson));
        Danger = danger;
        string reason;
        if (report.PatrolNeeded)
        {
            EnterPatrolRequested(PatrolReason.DangerDuringCall, null, nowUtc, policy);
            reason = Patrol.AuditReason(AttemptCount);
        }
        else if (follow)
        {
            EnterFollowUp(nowUtc, policy, declined: report.Then == AfterContact.Declined);
            reason = report.Then == AfterContact.Declined ? "victim reached, declines follow-up: supervisor decides (high danger)" : "victim reached, follow-up plan";
        }
        else
        {
            var declined = report.Then == AfterContact.Declined;
            EnterClosed(declined ? Cases.ClosureReason.VictimDeclinedFollowUp : Cases.ClosureReason.ContactMade, report.Note, nowUtc);
            reason = declined ? "victim reached, declines follow-up" : "victim reached";
        }

        _events.Add(new CaseEvent(AuditActions.Of(trigger), CaseState.AwaitingContact, State, reason, nowUtc));
    }

    /// <summary>Plans the next call at an agreed time before the deadline.</summary>
    public void ScheduleFollowUp(DateTime atUtc, string? reason, DateTime nowUtc, DeadlinePolicy policy)
    {
        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        atUtc = Utc(atUtc);
        // The machine itself refuses a call-back at or after the deadline (its guard); the case only words the refusal.
        lifecycle.Fire(lifecycle.ScheduleFollowUp, atUtc, () => DomainText.Format("Case.FollowUpAfterDeadline", DueAtUtc));
        if (atUtc <= nowUtc)
        {
            throw new CaseRuleException(DomainText.Get("Case.FollowUpInPast"));
        }

        NextAttemptAtUtc = atUtc;
        _events.Add(new CaseEvent(AuditActions.ScheduleFollowUp, State, State, Join($"follow-up at {atUtc:O}", reason), nowUtc));
    }

    /// <summary>An officer asks for a patrol, with a reason.</summary>
    public void RequestPatrol(string reason, DateTime nowUtc, DeadlinePolicy policy)
    {
        var why = RequireText(reason, "Case.PatrolReasonRequired");
        var from = State;
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.RequestPatrol);
        EnterPatrolRequested(PatrolReason.RequestedByOfficer, why, nowUtc, policy);
        _events.Add(new CaseEvent(AuditActions.RequestPatrol, from, State, why, nowUtc));
    }

    /// <summary>
    /// Fires the alarm identified by <paramref name="alarmVersion"/> and <paramref name="kind"/>, if it is still the
    /// case's alarm and really due. A late or repeated alarm finds a newer version and changes nothing.
    /// </summary>
    /// <remarks>
    /// A contact deadline requests a patrol, or proposes it to a supervisor when <paramref name="governorHolds"/> and
    /// the case is one the governor may hold back (<see cref="IsGovernedByPatrolGovernor"/>).
    /// </remarks>
    public DeadlineFiring FireDeadline(int alarmVersion, DeadlineKind kind, DateTime nowUtc, DeadlinePolicy policy, bool governorHolds = false)
    {
        if (AlarmKind != kind || AlarmVersion != alarmVersion || AlarmDueUtc is not { } due)
        {
            return DeadlineFiring.Stale;
        }

        if (due > nowUtc)
        {
            return DeadlineFiring.NotDueYet;
        }

        var from = State;
        switch (kind)
        {
            case DeadlineKind.ContactDeadline:
                var lifecycle = Lifecycle(policy.Options.MaxAttempts);
                var held = governorHolds && IsGovernedByPatrolGovernor;
                lifecycle.Fire(lifecycle.ContactDeadlineElapsed, held);
                EnterAutomaticPatrol(PatrolReason.ContactDeadlineElapsed, held, nowUtc, policy);
                _events.Add(new CaseEvent(AuditActions.ContactDeadlineElapsed, from, State, $"deadline {due:O}", nowUtc));
                return DeadlineFiring.Applied;
            case DeadlineKind.CheckInDeadline when Danger >= DangerLevel.High:
                // A missed high-danger check-in sends a patrol; a lower one alerts supervisors (below) and waits for a call.
                Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.CheckInDeadlineElapsed);
                EnterPatrolRequested(PatrolReason.CheckInDeadlineElapsed, null, nowUtc, policy);
                _events.Add(new CaseEvent(AuditActions.CheckInDeadlineElapsed, from, State, $"deadline {due:O}", nowUtc));
                return DeadlineFiring.Applied;
            default:
                // Alerts for a human: the state does not change; the alarm is spent so it rings once.
                ClearAlarm();
                _events.Add(new CaseEvent(AuditActions.Alert(kind), from, State, $"deadline {due:O}", nowUtc));
                return DeadlineFiring.Alerted;
        }
    }

    /// <summary>A dispatcher acknowledges the request and sends a crew.</summary>
    public void Dispatch(string crew, DateTime nowUtc, DeadlinePolicy policy)
    {
        var crewName = RequireText(crew, "Case.CrewRequired");
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.Dispatch);
        Patrol.Dispatch(crewName, nowUtc);
        DueAtUtc = policy.PatrolReportDue(nowUtc);
        SetAlarm(DeadlineKind.PatrolReportOverdue, DueAtUtc.Value);
        _events.Add(new CaseEvent(AuditActions.Dispatch, CaseState.PatrolRequested, State, $"crew {crewName}", nowUtc));
    }

    /// <summary>
    /// The crew's outcome: she was seen safe (closed), the crew intervened (a follow-up plan), or she was not found (back
    /// to contact, due at once).
    /// </summary>
    public void ReportPatrolOutcome(PatrolOutcome outcome, string? note, DateTime nowUtc, DeadlinePolicy policy)
    {
        if (outcome == Cases.PatrolOutcome.Other && string.IsNullOrWhiteSpace(note))
        {
            throw new CaseRuleException(DomainText.Get("Case.PatrolOtherNeedsNote"));
        }

        var lifecycle = Lifecycle(policy.Options.MaxAttempts);
        lifecycle.Fire(lifecycle.ReportOutcome, outcome);
        Patrol.Report(outcome);
        switch (outcome)
        {
            case Cases.PatrolOutcome.VictimNotFound:
                EnterAwaitingContact(nowUtc, policy, resetAttempts: true, urgent: true);
                break;
            case Cases.PatrolOutcome.VictimSafeAndSeen:
                EnterClosed(Cases.ClosureReason.PatrolFoundVictimSafe, note, nowUtc);
                break;
            case Cases.PatrolOutcome.InterventionNeeded:
                // Not a silent close: she is followed, at least at the moderate plan's cadence.
                Danger = Max(Danger, DangerLevel.Moderate);
                EnterFollowUp(nowUtc, policy, declined: false);
                break;
            default:
                EnterClosed(Cases.ClosureReason.Other, note, nowUtc);
                break;
        }

        _events.Add(new CaseEvent(AuditActions.ReportOutcome, CaseState.PatrolDispatched, State, Join(outcome.ToString(), note), nowUtc));
    }

    public void Close(ClosureReason reason, string? note, DateTime nowUtc, DeadlinePolicy policy)
    {
        if (reason == Cases.ClosureReason.Other && string.IsNullOrWhiteSpace(note))
        {
            throw new CaseRuleException(DomainText.Get("Case.CloseOtherNeedsNote"));
        }

        var from = State;
        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.Close);
        EnterClosed(reason, note, nowUtc);
        _events.Add(new CaseEvent(AuditActions.Close, from, State, Join(reason.ToString(), note), nowUtc));
    }

    /// <summary>A supervisor reopens a closed case: it goes back to contact with a fresh window.</summary>
    public void Reopen(string reason, DateTime nowUtc, DeadlinePolicy policy)
    {
        var why = RequireText(reason, "Case.ReopenReasonRequired");
        LeaveClosed(policy);
        EnterAwaitingContact(nowUtc, policy, resetAttempts: true, urgent: false, reopened: true);
        _events.Add(new CaseEvent(AuditActions.Reopen, CaseState.Closed, State, why, nowUtc));
    }

    /// <summary>
    /// A supervisor reopens a closed case into a re-examination campaign opened from a query ("crisis mode", issue 18.4):
    /// back to contact, its history kept, its contact deadline the paced <paramref name="slot"/> of the campaign rather
    /// than the short deadline of a single reopening, so that hundreds reopened at once reach the cell day by day.
    /// </summary>
    public void ReopenIntoCampaign(Campaign campaign, Campaigns.CampaignSlot slot, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(policy);
        LeaveClosed(policy);
        CampaignId = campaign.Id;
        CampaignContactDueUtc = slot.ContactDueUtc;
        EnterContactWindow(nowUtc, slot.ContactDueUtc, resetAttempts: true);
        _events.Add(new CaseEvent(AuditActions.Reopen, CaseState.Closed, State, $"campaign {campaign.Id}", nowUtc));
    }

    /// <summary>Danger only goes up, here; during contact a high level brings the deadline closer.</summary>
    public void RaiseDanger(DangerLevel level, string? reason, DateTime nowUtc, DeadlinePolicy policy)
    {
        if (level <= Danger)
        {
            throw new CaseRuleException(DomainText.Format("Case.DangerOnlyRaised", DomainText.Danger(Danger)));
        }

        var from = Danger;
        Danger = level;
        if (State == CaseState.AwaitingContact && DueAtUtc is { } due)
        {
            var newDue = policy.ContactDueAfterDangerRaised(nowUtc, due, level);
            if (newDue != due)
            {
                DueAtUtc = newDue;
                ContactWindowOpensAtUtc = nowUtc;
                SetAlarm(DeadlineKind.ContactDeadline, newDue);
            }
        }
        else if (State == CaseState.FollowUp)
        {
            // A higher level tightens the rest of the plan at once.
            RescheduleCheckIn(nowUtc, policy, onlyIfEarlier: true);
        }

        _events.Add(new CaseEvent(AuditActions.RaiseDanger, State, State, Join($"{from} -> {level}", reason), nowUtc));
    }

    /// <summary>Lowering danger is a supervisor's decision and always carries a reason. Deadlines already set stay.</summary>
    public void LowerDanger(DangerLevel level, string reason, DateTime nowUtc)
    {
        var why = RequireText(reason, "Case.LowerReasonRequired");
        if (level >= Danger)
        {
            throw new CaseRuleException(DomainText.Format("Case.DangerWouldNotLower", DomainText.Danger(Danger), DomainText.Danger(level)));
        }

        var from = Danger;
        Danger = level;
        _events.Add(new CaseEvent(AuditActions.LowerDanger, State, State, $"{from} -> {level}: {why}", nowUtc));
    }

    /// <summary>Takes the case for <paramref name="actorId"/> for a lease; a live claim by someone else refuses it.</summary>
    public void Claim(string actorId, DateTime nowUtc, DeadlinePolicy policy)
    {
        if (State == CaseState.Closed)
        {
            throw new CaseRuleException(DomainText.Get("Case.ClaimClosed"));
        }

        if (ActiveClaimant(nowUtc) is { } holder && holder != actorId)
        {
            throw new CaseRuleException(DomainText.Get("Case.ClaimHeld"));
        }

        var renewing = IsClaimedBy(actorId, nowUtc);
        if (renewing && CurrentClaim.IsAssignment)
        {
            // Her own assignment: working on it does not shorten it to a lease.
            return;
        }

        CurrentClaim = CaseClaim.By(actorId, policy.ClaimExpiry(nowUtc));
        if (!renewing)
        {
            _events.Add(new CaseEvent(AuditActions.Claim, State, State, null, nowUtc));
        }
    }

    public void Release(string actorId, bool asSupervisor, DateTime nowUtc)
    {
        if (CurrentClaim.Holder is null)
        {
            return;
        }

        if (CurrentClaim.Holder != actorId && !asSupervisor && CurrentClaim.ExpiresAtUtc > nowUtc)
        {
            throw new CaseRuleException(DomainText.Get("Case.ReleaseNotHolder"));
        }

        CurrentClaim = CaseClaim.None;
        _events.Add(new CaseEvent(AuditActions.Release, State, State, null, nowUtc));
    }

    /// <summary>
    /// A supervisor hands the case to an officer, until the officer finishes it or hands it back (<see cref="Release"/>):
    /// a shift handover does not lapse back to the pool after a lease.
    /// </summary>
    public void Reassign(string toActorId, string reason, DateTime nowUtc)
    {
        var why = RequireText(reason, "Case.ReassignReasonRequired");
        if (State == CaseState.Closed)
        {
            throw new CaseRuleException(DomainText.Get("Case.ReassignClosed"));
        }

        var to = RequireText(toActorId, "Case.ReassignOfficerRequired");
        CurrentClaim = CaseClaim.AssignedTo(to);
        _events.Add(new CaseEvent(AuditActions.Reassign, State, State, $"to {to}: {why}", nowUtc));
    }

    /// <summary>
    /// Corrects how she may be reached safely, at any time before the case closes (often during a call, when she says
    /// another number or other hours are safe). The audit entry names the fields that changed, never their values.
    /// Returns false, and records nothing, when nothing changed.
    /// </summary>
    public bool CorrectSafeContact(SafeContact safeContact, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(safeContact);
        if (State == CaseState.Closed)
        {
            throw new CaseRuleException(DomainText.Get("Case.SafeContactClosed"));
        }

        var corrected = safeContact.Validated();
        var changed = corrected.ChangedFrom(Victim.SafeContact);
        if (changed.Count == 0)
        {
            return false;
        }

        Victim.UseSafeContact(corrected);
        _events.Add(new CaseEvent(AuditActions.UpdateSafeContact, State, State, string.Join(", ", changed), nowUtc));
        return true;
    }

    public void AddNote(string text, string actorId, DateTime nowUtc)
    {
        var body = RequireText(text, "Case.NoteEmpty");
        _notes.Add(new CaseNote(Id, nowUtc, actorId, body));
        _events.Add(new CaseEvent(AuditActions.AddNote, State, State, null, nowUtc));
    }

    /// <summary>
    /// Takes the facts of a newer copy of the file (a re-import). An empty cell or an unknown answer leaves the case's
    /// value as it is: the file saying nothing is not the fact going away; after the review, cohabitation and children
    /// stay as the review found them (<see cref="FileFacts.Over"/>). State, deadlines and alarm are untouched, so a
    /// re-import never rewinds a case. Returns the facts that changed (none: nothing is recorded).
    /// </summary>
    public IReadOnlyList<string> UpdateFileFacts(FileFacts incoming, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var current = FileFacts;
        var merged = incoming.Over(current, State);
        var changed = merged.DifferencesFrom(current);
        if (changed.Count == 0)
        {
            return changed;
        }

        Victim.UpdateFacts(merged.VictimFirstName, merged.VictimLastName, merged.VictimPhone, merged.VictimAddress);
        Perpetrator.UpdateName(merged.PerpetratorName);
        Perpetrator.RecordCohabitation(merged.Cohabiting);
        PenalResponse = merged.PenalResponse;
        ChildrenPresent = merged.ChildrenPresent;
        FileNotes = merged.Notes;
        // Field names only: the audit log is read by supervisors, the values are the victim's.
        _events.Add(new CaseEvent(AuditActions.UpdateFacts, State, State, string.Join(", ", changed), nowUtc));
        return changed;
    }

    /// <summary>Called once the events were written to the audit log.</summary>
    internal void ClearPendingEvents() => _events.Clear();

    private void EnterAwaitingContact(DateTime nowUtc, DeadlinePolicy policy, bool resetAttempts, bool urgent = false, bool reopened = false)
    {
        var (opens, due) = reopened
            ? policy.ContactAfterReopen(nowUtc, InterventionAtUtc, Danger, CampaignContactDueUtc)
            : policy.Contact(nowUtc, InterventionAtUtc, urgent ? DangerLevel.High : Danger, CampaignContactDueUtc, Perpetrator.Cohabiting);

        EnterContactWindow(opens, due, resetAttempts);
    }

    private void EnterContactWindow(DateTime opens, DateTime due, bool resetAttempts)
    {
        if (resetAttempts)
        {
            AttemptCount = 0;
        }

        ContactWindowOpensAtUtc = opens;
        NextAttemptAtUtc = opens;
        DueAtUtc = due;
        SetAlarm(DeadlineKind.ContactDeadline, due);
    }

    private void EnterPatrolRequested(PatrolReason reason, string? note, DateTime nowUtc, DeadlinePolicy policy)
    {
        Patrol = PatrolRequest.Requested(reason, note, nowUtc);
        NextAttemptAtUtc = null;
        DueAtUtc = policy.DispatchAcknowledgementDue(nowUtc);
        SetAlarm(DeadlineKind.DispatchAcknowledgementOverdue, DueAtUtc.Value);
    }

    /// <summary>The reopening itself: refused once retention erased her data; the closure is forgotten, the history kept.</summary>
    private void LeaveClosed(DeadlinePolicy policy)
    {
        if (AnonymisedAtUtc is not null)
        {
            throw new CaseRuleException(DomainText.Get("Case.Anonymised"));
        }

        Lifecycle(policy.Options.MaxAttempts).Fire(CaseTrigger.Reopen);
        ClosureReason = null;
        ClosureNote = null;
        ClosedAtUtc = null;
    }

    private void EnterClosed(ClosureReason reason, string? note, DateTime nowUtc)
    {
        ClosureReason = reason;
        ClosureNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        ClosedAtUtc = nowUtc;
        DueAtUtc = null;
        NextAttemptAtUtc = null;
        CurrentClaim = CaseClaim.None;
        ClearAlarm();
    }

    private void SetAlarm(DeadlineKind kind, DateTime dueUtc)
    {
        AlarmKind = kind;
        AlarmDueUtc = dueUtc;
        AlarmVersion++;
    }

    private void ClearAlarm()
    {
        AlarmKind = null;
        AlarmDueUtc = null;
        AlarmVersion++;
    }

    private static string RequireText(string? text, string messageKey) =>
        string.IsNullOrWhiteSpace(text) ? throw new CaseRuleException(DomainText.Get(messageKey)) : text.Trim();

    private static DangerLevel Max(DangerLevel a, DangerLevel b) => a > b ? a : b;

    private static string? Join(string head, string? tail) => string.IsNullOrWhiteSpace(tail) ? head : $"{head}: {tail.Trim()}";

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
