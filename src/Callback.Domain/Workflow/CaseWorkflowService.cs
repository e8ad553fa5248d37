using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Localization;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Domain.Workflow;

/// <summary>
/// One method per use case. Each loads the case, checks scope and role, asks the case to act, writes one audit entry
/// per thing that happened, and saves case, audit and deadline in one transaction. Only after the commit does it set
/// the alarm and notify live pages: a failure there loses nothing, because the sweep re-reads the deadline from the
/// database and pages reload on their own timer too.
/// </summary>
public sealed partial class CaseWorkflowService(
    IDbContextFactory<CallbackDbContext> databases,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    IDeadlineAlarms alarms,
    ICaseChangeNotifier notifier,
    ILogger<CaseWorkflowService> logger,
    IOptions<PatrolGovernorOptions>? governor = null)
{
    /// <summary>The notice's action for a change that wrote no audit entry (a claim renewed, say).</summary>
    private const string ChangedWithoutEvent = "Update";

    private readonly DeadlinePolicy _policy = new(options.Value);
    private readonly IDbContextFactory<CallbackDbContext> _databases = databases;
    private readonly ILogger _logger = logger;
    private readonly UnitOfWork _unitOfWork = new(databases, logger, alarms, notifier);
    private readonly PatrolGovernor _governor = new(governor?.Value ?? new PatrolGovernorOptions());

    public DeadlinePolicy Policy => _policy;

    /// <summary>Opens a case for a new file. The file reference is unique within its unit. See <see cref="OpenAndMatchAsync"/>.</summary>
    public async Task<Guid> OpenAsync(string unitCode, NewCase facts, Actor actor, CancellationToken cancellationToken = default) =>
        (await OpenAndMatchAsync(unitCode, facts, actor, cancellationToken)).CaseId;

    public Task<CaseSnapshot> ReviewAsync(Guid caseId, int expectedVersion, ReviewFindings findings, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Review, claim: true, (c, now) => c.Review(findings, now, _policy), cancellationToken);

    /// <summary>An unanswered call; the last one allowed raises a patrol, which the governor may hold back as a proposal.</summary>
    public Task<CaseSnapshot> RecordAttemptAsync(Guid caseId, int expectedVersion, AttemptOutcome outcome, bool toSafeNumber, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.RecordAttempt, claim: true, async (c, now, db, ct) =>
        {
            var holds = await GovernorHoldsAsync(db, c, c.AttemptWouldRequestPatrol(outcome, _policy), now, ct);
            c.RecordAttempt(outcome, toSafeNumber, note, actor.Id, now, _policy, holds);
        }, cancellationToken);

    public Task<CaseSnapshot> RecordContactAsync(Guid caseId, int expectedVersion, ContactReport report, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.RecordContact, claim: true, (c, now) =>
        {
            // Under follow-up, a call that reached her is the plan's check-in; otherwise it is the first contact.
            if (c.State == CaseState.FollowUp)
            {
                c.RecordCheckIn(report, actor.Id, now, _policy);
            }
            else
            {
                c.RecordContact(report, actor.Id, now, _policy);
            }
        }, cancellationToken);

    public Task<CaseSnapshot> ScheduleFollowUpAsync(Guid caseId, int expectedVersion, DateTime atUtc, string? reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.ScheduleFollowUp, claim: true, (c, now) => c.ScheduleFollowUp(atUtc, reason, now, _policy), cancellationToken);

    public Task<CaseSnapshot> RequestPatrolAsync(Guid caseId, int expectedVersion, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.RequestPatrol, claim: false, (c, now) => c.RequestPatrol(reason, now, _policy), cancellationToken);

    public Task<CaseSnapshot> DispatchAsync(Guid caseId, int expectedVersion, string crew, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Dispatch, claim: false, (c, now) => c.Dispatch(crew, now, _policy), cancellationToken);

    public Task<CaseSnapshot> ReportPatrolOutcomeAsync(Guid caseId, int expectedVersion, PatrolOutcome outcome, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.ReportOutcome, claim: false, (c, now) => c.ReportPatrolOutcome(outcome, note, now, _policy), cancellationToken);

    public Task<CaseSnapshot> CloseAsync(Guid caseId, int expectedVersion, ClosureReason reason, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Close, claim: false, (c, now) =>
        {
            // She declines the follow-up while in high danger: the plan goes on until a supervisor decides to close.
            if (reason == ClosureReason.VictimDeclinedFollowUp && c.Danger >= DangerLevel.High && !actor.May(CaseAction.CloseDeclinedHighDanger))
            {
                throw new ActionForbiddenException(DomainText.Get("Forbidden.CloseDeclinedHighDanger"));
            }

            c.Close(reason, note, now, _policy);
        }, cancellationToken);

    /// <summary>A dispatcher has seen the request: its acknowledgement alert stops; the crew is sent with <see cref="DispatchAsync"/>.</summary>
    public Task<CaseSnapshot> AcknowledgeAsync(Guid caseId, int expectedVersion, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Acknowledge, claim: false, (c, now) => c.Acknowledge(now, _policy), cancellationToken);

    /// <summary>Calls off a patrol request (or recalls a crew) with a reason; the board drops it live.</summary>
    public Task<CaseSnapshot> CallOffPatrolAsync(Guid caseId, int expectedVersion, PatrolCallOff reason, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.CallOffPatrol, claim: false, (c, now) => c.CallOffPatrol(reason, note, now, _policy), cancellationToken);

    /// <summary>Cohabitation as she says it during the call; "yes" makes an open contact due at once.</summary>
    public Task<CaseSnapshot> RecordCohabitationAsync(Guid caseId, int expectedVersion, TriState cohabiting, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.UpdateMeasures, claim: false, (c, now) => c.RecordCohabitation(cohabiting, now, _policy), cancellationToken);

    public Task<CaseSnapshot> AddMeasureAsync(Guid caseId, int expectedVersion, MeasureKind kind, DateTime? startsUtc, DateTime? endsUtc, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.UpdateMeasures, claim: false, (c, now) => c.AddMeasure(kind, startsUtc, endsUtc, now, _policy), cancellationToken);

    public Task<CaseSnapshot> UpdateMeasureAsync(Guid caseId, int expectedVersion, int number, MeasureKind kind, DateTime? startsUtc, DateTime? endsUtc, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.UpdateMeasures, claim: false, (c, now) => c.UpdateMeasure(number, kind, startsUtc, endsUtc, now, _policy), cancellationToken);

    public Task<CaseSnapshot> RemoveMeasureAsync(Guid caseId, int expectedVersion, int number, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.UpdateMeasures, claim: false, (c, now) => c.RemoveMeasure(number, now, _policy), cancellationToken);

    /// <summary>A supervisor sends a patrol the governor held back to the dispatch board.</summary>
    public Task<CaseSnapshot> ConfirmPatrolAsync(Guid caseId, int expectedVersion, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.ConfirmPatrol, claim: false, (c, now) => c.ConfirmPatrol(note, now, _policy), cancellationToken);

    /// <summary>A supervisor declines a patrol the governor held back, with a reason: the cell keeps calling.</summary>
    public Task<CaseSnapshot> DeclinePatrolAsync(Guid caseId, int expectedVersion, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.DeclinePatrol, claim: false, (c, now) => c.DeclinePatrol(reason, now, _policy), cancellationToken);

    /// <summary>
    /// Confirms, one audited transition each, the proposals a supervisor saw and counted (<paramref name="shown"/>, with
    /// the versions shown). A proposal that changed meanwhile (confirmed by someone else, the victim reached) is not
    /// confirmed over: it is returned among the conflicts, with the reason, and the others still go.
    /// </summary>
    public async Task<BatchDecision> ConfirmPatrolsAsync(IReadOnlyList<(Guid CaseId, int Version)> shown, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var confirmed = new List<Guid>();
        var refused = new List<(Guid CaseId, string Reason)>();
        foreach (var (caseId, version) in shown)
        {
            try
            {
                await ConfirmPatrolAsync(caseId, version, note: null, actor, cancellationToken);
                confirmed.Add(caseId);
            }
            catch (Exception e) when (e is CaseConflictException or CaseRuleException or CaseNotFoundException or CaseAccessDeniedException)
            {
                refused.Add((caseId, e.Message));
            }
        }

        return new BatchDecision(confirmed, refused);
    }

    /// <summary>Reopens a closed case into a campaign opened from a query, at its paced contact deadline (issue 18.4).</summary>
    public Task<CaseSnapshot> ReopenIntoCampaignAsync(Guid caseId, int expectedVersion, Campaign campaign, Campaigns.CampaignSlot slot, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Reopen, claim: false, (c, now) => c.ReopenIntoCampaign(campaign, slot, now, _policy), cancellationToken);

    public Task<CaseSnapshot> ReopenAsync(Guid caseId, int expectedVersion, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Reopen, claim: false, (c, now) => c.Reopen(reason, now, _policy), cancellationToken);

    public Task<CaseSnapshot> RaiseDangerAsync(Guid caseId, int expectedVersion, DangerLevel level, string? reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.RaiseDanger, claim: false, (c, now) => c.RaiseDanger(level, reason, now, _policy), cancellationToken);

    public Task<CaseSnapshot> LowerDangerAsync(Guid caseId, int expectedVersion, DangerLevel level, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.LowerDanger, claim: false, (c, now) => c.LowerDanger(level, reason, now), cancellationToken);

    public Task<CaseSnapshot> ClaimAsync(Guid caseId, int expectedVersion, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Claim, claim: true, (_, _) => { }, cancellationToken);

    public Task<CaseSnapshot> ReleaseAsync(Guid caseId, int expectedVersion, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Release, claim: false, (c, now) => c.Release(actor.Id, actor.May(CaseAction.ReleaseOthersClaim), now), cancellationToken);

    public Task<CaseSnapshot> ReassignAsync(Guid caseId, int expectedVersion, string toUserId, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.Reassign, claim: false, (c, now) => c.Reassign(toUserId, reason, now), cancellationToken);

    public Task<CaseSnapshot> AddNoteAsync(Guid caseId, int expectedVersion, string text, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.AddNote, claim: false, (c, now) => c.AddNote(text, actor.Id, now), cancellationToken);

    /// <summary>
    /// Rings the alarm <paramref name="alarmVersion"/> of a case. Called by the alarm job and by the sweep, on any node,
    /// as often as they like: only the first call that finds the alarm current and due changes anything.
    /// </summary>
    public async Task<DeadlineFiring> FireDeadlineAsync(Guid caseId, int alarmVersion, DeadlineKind kind, CancellationToken cancellationToken = default)
    {
        try
        {
            var firing = DeadlineFiring.Stale;
            await ActAsync(caseId, expectedVersion: null, Actor.System, CaseAction.ContactDeadlineElapsed, claim: false, async (c, now, db, ct) =>
            {
                var holds = await GovernorHoldsAsync(db, c, c.DeadlineWouldRequestPatrol(alarmVersion, kind, now), now, ct);
                firing = c.FireDeadline(alarmVersion, kind, now, _policy, holds);
            }, cancellationToken);
            return firing;
        }
        catch (CaseConflictException)
        {
            // Others kept changing the case through every attempt: they moved it on, and the sweep looks again anyway.
            return DeadlineFiring.Stale;
        }
    }

    /// <summary>
    /// Rings many due alarms in one transaction: the sweep's path through a burst, where one commit per deadline would
    /// make the last one wait for all the others. Each case still changes only if its alarm is current and due, and
    /// gets its own audit entries. If another writer touched one of the cases meanwhile (on PostgreSQL the rows are read
    /// unlocked: in a burst, the alarm that rings one of them on time), the whole batch is read and decided again, so
    /// that case is seen as already handled; only a batch that keeps meeting changes is rung alarm by alarm. Falling
    /// back at the first change cost a PostgreSQL burst of 2,000 deadlines 2.6 s of single commits (issue 20).
    /// </summary>
    public async Task<int> FireDeadlinesAsync(IReadOnlyList<CaseAlarm> alarms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        if (alarms.Count == 0)
        {
            return 0;
        }

        try
        {
            return await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var db = write.Db;
                var ids = alarms.Select(a => a.CaseId).ToList();
                var cases = await db.Cases.Include(x => x.Unit).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                var now = Now();
                var fired = 0;
                foreach (var alarm in alarms)
                {
                    if (!cases.TryGetValue(alarm.CaseId, out var c))
                    {
                        continue;
                    }

                    var before = c.AlarmVersion;
                    var holds = await GovernorHoldsAsync(db, c, c.DeadlineWouldRequestPatrol(alarm.Version, alarm.Kind, now), now, ct);
                    if (c.FireDeadline(alarm.Version, alarm.Kind, now, _policy, holds) is DeadlineFiring.Applied or DeadlineFiring.Alerted)
                    {
                        db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
                        Record(write, c, c.Unit!, Actor.System, c.AlarmVersion != before, now);
                        fired++;
                    }
                }

                return fired;
            }, StaleReads.ReadAgain, cancellationToken);
        }
        catch (DbUpdateException)
        {
            LogBatchBrokenUp(_logger, alarms.Count);
            var fired = 0;
            foreach (var alarm in alarms)
            {
                if (await FireDeadlineAsync(alarm.CaseId, alarm.Version, alarm.Kind, cancellationToken) is DeadlineFiring.Applied or DeadlineFiring.Alerted)
                {
                    fired++;
                }
            }

            return fired;
        }
    }

    /// <summary>The case's current alarm, read from the database (no scope: for the job machinery only).</summary>
    public async Task<CaseAlarm?> GetAlarmAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.AlarmKind, c.AlarmDueUtc, c.AlarmVersion }).SingleOrDefaultAsync(cancellationToken);
        return row is { AlarmKind: { } kind, AlarmDueUtc: { } due } ? new CaseAlarm(caseId, row.AlarmVersion, kind, due) : null;
    }

    /// <summary>Reads a case for display, within the actor's scope (a denial is audited).</summary>
    public async Task<Case> GetAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var c = await db.Cases.AsNoTracking().Include(x => x.Unit).Include(x => x.Attempts).Include(x => x.Notes)
            .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == caseId, cancellationToken)
            ?? throw new CaseNotFoundException(caseId);
        if (!actor.CanSee(c.Unit!))
        {
            await AuditDenialAsync(caseId, actor, "read", cancellationToken);
            throw new CaseAccessDeniedException(caseId);
        }

        return c;
    }

    /// <summary>
    /// Records that <paramref name="actor"/> opened the victim's identity on an orange case, and why. The reason is
    /// required: the two-colour rule says orange details open only for a stated need.
    /// </summary>
    public async Task RevealIdentityAsync(Guid caseId, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException(DomainText.Get("Workflow.IdentityReasonRequired"));
        }

        var c = await GetAsync(caseId, actor, cancellationToken);
        if (c.Tier != ConfidentialityTier.Orange)
        {
            return;
        }

        var state = c.State.ToString();
        await _unitOfWork.AuditAsync(new AuditRecord(Now(), actor.Id, caseId, AuditActions.OpenIdentity, state, state, reason.Trim()), cancellationToken);
    }

    /// <summary>
    /// Refers the victim to a partner of the case's département (or a national one). Recorded only with her consent, and
    /// written to the audit log in the same transaction (the partner by id: the log holds no personal data).
    /// </summary>
    public async Task<long> ReferAsync(Guid caseId, int partnerId, bool consentGiven, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(CaseAction.Refer))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.Referrals"));
        }

        var c = await GetAsync(caseId, actor, cancellationToken);
        var referral = await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var partner = await write.Db.Partners.SingleOrDefaultAsync(p => p.Id == partnerId, ct)
                ?? throw new CaseRuleException(DomainText.Format("Workflow.PartnerUnknown", partnerId));
            if (!partner.Serves(c.Unit!.Departement))
            {
                throw new CaseRuleException(DomainText.Get("Workflow.PartnerOutOfArea"));
            }

            var now = Now();
            var referral = Partners.Referral.Record(caseId, partner, consentGiven, actor.Id, now, note);
            write.Db.Referrals.Add(referral);
            var state = c.State.ToString();
            write.Audit(new AuditRecord(now, actor.Id, caseId, AuditActions.Refer, state, state, $"partner {partner.Id} ({partner.Kind}), consent given"));
            return referral;
        }, StaleReads.Surface, cancellationToken);
        return referral.Id;
    }

    /// <summary>The case's history from the audit log, oldest first, within the actor's scope.</summary>
    public async Task<IReadOnlyList<AuditEntry>> TimelineAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        await GetAsync(caseId, actor, cancellationToken);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the governor holds back the automatic patrol about to be raised (<paramref name="wouldRequestPatrol"/>): only
    /// for a campaign case below high danger, and only once the unit's places for this hour are spent. A place is taken
    /// in the caller's transaction, so it is given back if that transaction does not commit.
    /// </summary>
    private async Task<bool> GovernorHoldsAsync(CallbackDbContext db, Case c, bool wouldRequestPatrol, DateTime now, CancellationToken cancellationToken) =>
        wouldRequestPatrol && c.IsGovernedByPatrolGovernor && !await _governor.TryTakeAsync(db, c.UnitId, now, cancellationToken);

    private Task<CaseSnapshot> ActAsync(
        Guid caseId, int? expectedVersion, Actor actor, CaseAction action, bool claim, Action<Case, DateTime> act, CancellationToken cancellationToken) =>
        ActAsync(caseId, expectedVersion, actor, action, claim, (c, now, _, _) =>
        {
            act(c, now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// The one write path of a case: load, scope, role, version, claim, <paramref name="act"/> (which may read the
    /// database in the same transaction, as the patrol governor does), audit, save.
    /// </summary>
    private async Task<CaseSnapshot> ActAsync(
        Guid caseId, int? expectedVersion, Actor actor, CaseAction action, bool claim, Func<Case, DateTime, CallbackDbContext, CancellationToken, Task> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        CaseSnapshot? snapshot;
        try
        {
            // A person acts on the version they saw: a change under it is theirs to judge. A deadline decides from the row alone.
            snapshot = await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var db = write.Db;
                var c = await LoadForUpdate.For(db)(db, caseId) ?? throw new CaseNotFoundException(caseId);
                var unit = c.Unit!;
                if (!actor.CanSee(unit))
                {
                    // Recorded in this transaction, which changes nothing else: the refusal costs no second one.
                    write.Audit(Denial(caseId, actor, "act"));
                    return null;
                }

                if (!actor.May(action))
                {
                    throw new ActionForbiddenException(DomainText.Get("Forbidden.CaseAction"));
                }

                if (expectedVersion is { } expected && c.Version != expected)
                {
                    throw new CaseConflictException(caseId);
                }

                var now = Now();
                var alarmBefore = c.AlarmVersion;
                if (claim && !actor.IsSystem && c.State != CaseState.Closed)
                {
                    c.Claim(actor.Id, now, _policy);
                }

                await act(c, now, db, ct);
                if (c.PendingEvents.Count == 0 && !db.ChangeTracker.HasChanges())
                {
                    return CaseSnapshot.Of(c, now);
                }

                // The app-managed concurrency token: UPDATE ... WHERE Version = the version this decision was made on.
                db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
                Record(write, c, unit, actor, c.AlarmVersion != alarmBefore, now);
                return CaseSnapshot.Of(c, now);
            }, expectedVersion is null ? StaleReads.ReadAgain : StaleReads.Surface, cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new CaseConflictException(caseId, ex);
        }

        if (snapshot is null)
        {
            LogDenied(_logger, actor.Id, caseId);
            throw new CaseAccessDeniedException(caseId);
        }

        return snapshot;
    }

    /// <summary>Compiled once: a transition is short, and translating the query each time cost a third of it.</summary>
    private static readonly CompiledPerModel<Func<CallbackDbContext, Guid, Task<Case?>>> LoadForUpdate =
        new(() => EF.CompileAsyncQuery((CallbackDbContext db, Guid id) => db.Cases.Include(x => x.Unit).SingleOrDefault(x => x.Id == id)));

    /// <summary>
    /// Queues what happened to <paramref name="c"/> for the audit chain, and its alarm and live-page notice for after the
    /// commit: the sweep re-reads any deadline whose alarm is lost, and pages reload on their own timer too.
    /// </summary>
    internal static void Record(AuditedWrite write, Case c, Unit unit, Actor actor, bool alarmChanged, DateTime now)
    {
        var events = c.PendingEvents;
        foreach (var e in events)
        {
            write.Audit(e.ToAuditRecord(c.Id, actor.Id));
        }

        if (alarmChanged && c.Alarm is { } alarm)
        {
            write.ArmAfterCommit(alarm);
        }

        write.NotifyAfterCommit(new CaseChanged(c.Id, c.UnitId, unit.Departement, c.State, events.Count > 0 ? events[^1].Action : ChangedWithoutEvent, now));
        c.ClearPendingEvents();
    }

    private AuditRecord Denial(Guid caseId, Actor actor, string what) =>
        new(Now(), actor.Id, caseId, AuditActions.AccessDenied, null, null, what);

    private async Task AuditDenialAsync(Guid caseId, Actor actor, string what, CancellationToken cancellationToken)
    {
        await _unitOfWork.AuditAsync(Denial(caseId, actor, what), cancellationToken);
        LogDenied(_logger, actor.Id, caseId);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} deadlines kept meeting other writers' changes; ringing each on its own")]
    private static partial void LogBatchBrokenUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} was refused case {CaseId} (outside their scope)")]
    private static partial void LogDenied(ILogger logger, string userId, Guid caseId);
}

/// <summary>What came of a counted batch: the cases decided, and those left alone with why.</summary>
public sealed record BatchDecision(IReadOnlyList<Guid> Decided, IReadOnlyList<(Guid CaseId, string Reason)> Refused);

/// <summary>The state of a case after an action, for the caller to show without reading it again.</summary>
public sealed record CaseSnapshot(Guid Id, CaseState State, int Version, DangerLevel Danger, DateTime? DueAtUtc, CaseAlarm? Alarm, int AttemptCount, string? ClaimedBy)
{
    public static CaseSnapshot Of(Case c, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Id, c.State, c.Version, c.Danger, c.DueAtUtc, c.Alarm, c.AttemptCount, c.ActiveClaimant(nowUtc));
    }
}
