using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Dispatch;

/// <summary>
/// What a crew needs to go to the door, and nothing more: the address, how to reach her without putting her at risk,
/// what is known of the perpetrator, children, danger, the calls already made and why the patrol was asked for. The
/// questionnaire, notes, danger-grid answers and the victim's own words stay in the file: they are not selected here,
/// so they never reach the dispatcher's browser.
/// </summary>
public sealed record PatrolBriefing(
    Guid Id,
    int Version,
    string FileReference,
    string UnitCode,
    CaseState State,
    DateTime RequestedAtUtc,
    DateTime? DueAtUtc,
    string? Crew,
    string? Address,
    string? SafePhone,
    bool NoVoicemail,
    bool HasCodeWord,
    TriState Cohabiting,
    bool WeaponsKnown,
    bool ProtectionOrder,
    TriState ChildrenPresent,
    DangerLevel Danger,
    int AttemptCount,
    IReadOnlyList<AttemptOutcome> LastOutcomes,
    PatrolReason? Reason,
    string? ReasonNote)
{
    /// <summary>The case's tier: an orange briefing carries no address or number until the reader gave a reason.</summary>
    public ConfidentialityTier Tier { get; init; }

    /// <summary>Whether the address and safe number were copied (blue, or orange after a reveal).</summary>
    public bool IdentityShown { get; init; } = true;

    /// <summary>She was asked and named no safe number: the briefing says so rather than offer another number.</summary>
    public bool NoSafeNumberGiven { get; init; }

    /// <summary>How she asked to be reached; the crew must not phone a victim who asked for a third party.</summary>
    public ContactChannel Channel { get; init; }

    /// <summary>The hours she can talk, in <see cref="SafeTimeZoneId"/>; null when she gave none.</summary>
    public TimeOnly? SafeFrom { get; init; }

    public TimeOnly? SafeUntil { get; init; }

    /// <summary>Her zone, or the unit's when she gave none.</summary>
    public string SafeTimeZoneId { get; init; } = "Europe/Paris";

    /// <summary>When a dispatcher acknowledged the request (its alert stopped); the crew may be sent later.</summary>
    public DateTime? AcknowledgedAtUtc { get; init; }

    /// <summary>The patrol governor held it back and a supervisor sent it (issue 18): a re-examined old file, not a fresh call.</summary>
    public bool ConfirmedProposal { get; init; }

    /// <summary>The file is part of a re-examination campaign.</summary>
    public bool Campaign { get; init; }

    /// <summary>A patrol request no dispatcher has taken on yet: acknowledging it (or sending a crew) ends that.</summary>
    public bool IsUnacknowledged => State == CaseState.PatrolRequested && AcknowledgedAtUtc is null;

    /// <summary>Acknowledged, and waiting for a free crew.</summary>
    public bool AwaitsCrew => State == CaseState.PatrolRequested && AcknowledgedAtUtc is not null;

    /// <summary>An unacknowledged request, or a missing crew report, past its deadline.</summary>
    public bool IsOverdue(DateTime nowUtc) => DueAtUtc is { } due && due <= nowUtc;

    /// <summary>
    /// The one place a briefing is cut from a case: only the fields named here leave the server. Questionnaire answers,
    /// notes, danger-grid answers, attempt notes, names and the code word itself are not copied.
    /// </summary>
    /// <remarks>
    /// The safe number is the one she named, never her usual number: that one may be the phone he reads. An orange case
    /// whose identity is not open to the reader (<paramref name="identityShown"/> false) gets no address and no number.
    /// </remarks>
    public static PatrolBriefing From(Case c, bool identityShown = true)
    {
        ArgumentNullException.ThrowIfNull(c);
        identityShown = identityShown || c.Tier == ConfidentialityTier.Blue;
        var outcomes = c.Attempts.OrderByDescending(a => a.AtUtc).Select(a => a.Outcome).ToList();
        var safe = c.Victim.SafeContact;
        return new PatrolBriefing(c.Id, c.Version, c.FileReference, c.Unit?.Code ?? "", c.State, c.Patrol.RequestedAtUtc ?? c.CreatedAtUtc, c.DueAtUtc,
            c.Patrol.Crew, identityShown ? c.Victim.Address : null, identityShown ? safe.SafePhone : null, safe.NoVoicemail, !string.IsNullOrWhiteSpace(safe.CodeWord),
            c.Perpetrator.Cohabiting, c.Perpetrator.WeaponsKnown,
            c.Perpetrator.UnderProtectionOrder || c.ProtectionMeasures.HasFlag(ProtectionMeasures.ProtectionOrder),
            c.ChildrenPresent, c.Danger, outcomes.Count, outcomes.Take(DispatchBoardService.OutcomesShown).ToList(), c.Patrol.Reason, c.Patrol.ReasonNote)
        {
            Tier = c.Tier,
            IdentityShown = identityShown,
            NoSafeNumberGiven = safe.NoSafeNumberGiven,
            Channel = safe.Channel,
            SafeFrom = safe.SafeFrom,
            SafeUntil = safe.SafeUntil,
            SafeTimeZoneId = safe.TimeZoneId ?? c.Unit?.TimeZoneId ?? "Europe/Paris",
            AcknowledgedAtUtc = c.Patrol.AcknowledgedAtUtc,
            ConfirmedProposal = c.Patrol.ProposedAtUtc is not null,
            Campaign = c.CampaignId is not null,
        };
    }
}

/// <summary>Reads the dispatch board within the user's scope (the département for a dispatcher or supervisor, all for an admin).</summary>
public sealed class DispatchBoardService(IDbContextFactory<CallbackDbContext> databases)
{
    /// <summary>How many of the latest call outcomes the briefing lists.</summary>
    public const int OutcomesShown = 3;

    /// <summary>The board as a reader with no reason given sees it: orange addresses and numbers left out.</summary>
    public Task<IReadOnlyList<PatrolBriefing>> LoadAsync(Actor actor, CancellationToken cancellationToken = default) =>
        LoadAsync(actor, new HashSet<Guid>(), cancellationToken);

    /// <summary>
    /// The board; orange cases carry their address and number only when their id is in <paramref name="revealed"/>
    /// (the reader gave a reason, <see cref="CaseWorkflowService.ConsultAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<PatrolBriefing>> LoadAsync(Actor actor, IReadOnlySet<Guid> revealed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revealed);
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // The board holds the patrols of the moment (tens, not thousands): reading the cases whole keeps one mapping,
        // PatrolBriefing.From, between the file and what the dispatcher's browser receives.
        var cases = await db.Cases.AsNoTracking().InScopeOf(actor)
            .Where(c => c.State == CaseState.PatrolRequested || c.State == CaseState.PatrolDispatched)
            .Include(c => c.Unit).Include(c => c.Attempts)
            .OrderBy(c => c.Patrol.RequestedAtUtc).ThenBy(c => c.Id)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return Order(cases.Select(c => PatrolBriefing.From(c, revealed.Contains(c.Id))));
    }

    /// <summary>
    /// The board's order. Requests no dispatcher has acknowledged yet (running against the acknowledgement deadline) come
    /// first; then those acknowledged and waiting for a crew; then the patrols under way. Within each, the most dangerous
    /// first and, at equal danger, the one waiting longest (issue 17.4). Sorted here rather than in SQL: the danger order
    /// is the enum's, and the board holds tens of rows.
    /// </summary>
    public static IReadOnlyList<PatrolBriefing> Order(IEnumerable<PatrolBriefing> briefings)
    {
        ArgumentNullException.ThrowIfNull(briefings);
        return briefings
            .OrderBy(b => b.IsUnacknowledged ? 0 : b.AwaitsCrew ? 1 : 2)
            .ThenByDescending(b => b.Danger)
            .ThenBy(b => b.RequestedAtUtc)
            .ThenBy(b => b.Id)
            .ToList();
    }
}

/// <summary>The dispatcher opens an orange briefing's address and number, giving <see cref="Reason"/>.</summary>
public sealed record RevealRequest(PatrolBriefing Briefing, string Reason);

/// <summary>The dispatcher acknowledges <see cref="Briefing"/> and sends <see cref="Crew"/>.</summary>
public sealed record DispatchOrder(PatrolBriefing Briefing, string Crew);

/// <summary>The dispatcher has seen <see cref="Briefing"/>: its alert stops; no crew yet.</summary>
public sealed record AcknowledgeOrder(PatrolBriefing Briefing);

/// <summary>The patrol is called off: she called back, or was reached another way.</summary>
public sealed record CallOffOrder(PatrolBriefing Briefing, PatrolCallOff Reason, string? Note);

/// <summary>What the crew found.</summary>
public sealed record OutcomeReport(PatrolBriefing Briefing, PatrolOutcome Outcome, string? Note);
