using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Web.Features.Queue;
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
    string? PatrolReason)
{
    /// <summary>An unacknowledged request, or a missing crew report, past its deadline.</summary>
    public bool IsOverdue(DateTime nowUtc) => DueAtUtc is { } due && due <= nowUtc;
}

/// <summary>Reads the dispatch board within the user's scope (the département for a dispatcher or supervisor, all for an admin).</summary>
public sealed class DispatchBoardService(IDbContextFactory<CallbackDbContext> databases)
{
    /// <summary>How many of the latest call outcomes the briefing lists.</summary>
    public const int OutcomesShown = 3;

    public async Task<IReadOnlyList<PatrolBriefing>> LoadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await QueueService.Scope(db.Cases.AsNoTracking(), actor)
            .Where(c => c.State == CaseState.PatrolRequested || c.State == CaseState.PatrolDispatched)
            // Oldest request first: the victim who has waited longest is seen first.
            .OrderBy(c => c.PatrolRequestedAtUtc)
            .Select(c => new
            {
                c.Id, c.Version, c.FileReference, UnitCode = c.Unit!.Code, c.State, c.PatrolRequestedAtUtc, c.DueAtUtc, c.PatrolCrew,
                c.Victim.Address, c.Victim.Phone, c.Victim.SafeContact.SafePhone, c.Victim.SafeContact.NoVoicemail, c.Victim.SafeContact.CodeWord,
                c.Perpetrator.Cohabiting, c.Perpetrator.WeaponsKnown, c.Perpetrator.UnderProtectionOrder, c.ProtectionMeasures,
                c.ChildrenPresent, c.Danger, c.PatrolReason,
            })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var attempts = (await db.CallAttempts.AsNoTracking().Where(a => ids.Contains(a.CaseId))
                .Select(a => new { a.CaseId, a.AtUtc, a.Outcome }).ToListAsync(cancellationToken))
            .GroupBy(a => a.CaseId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.AtUtc).Select(a => a.Outcome).ToList());

        return rows.Select(r =>
        {
            var outcomes = attempts.GetValueOrDefault(r.Id) ?? [];
            return new PatrolBriefing(r.Id, r.Version, r.FileReference, r.UnitCode, r.State, r.PatrolRequestedAtUtc ?? DateTime.MinValue, r.DueAtUtc,
                r.PatrolCrew, r.Address, r.SafePhone ?? r.Phone, r.NoVoicemail, !string.IsNullOrWhiteSpace(r.CodeWord), r.Cohabiting, r.WeaponsKnown,
                r.UnderProtectionOrder || r.ProtectionMeasures.HasFlag(ProtectionMeasures.ProtectionOrder), r.ChildrenPresent, r.Danger,
                outcomes.Count, outcomes.Take(OutcomesShown).ToList(), r.PatrolReason);
        }).ToList();
    }
}

/// <summary>The dispatcher acknowledges <see cref="Briefing"/> and sends <see cref="Crew"/>.</summary>
public sealed record DispatchOrder(PatrolBriefing Briefing, string Crew);

/// <summary>What the crew found.</summary>
public sealed record OutcomeReport(PatrolBriefing Briefing, PatrolOutcome Outcome, string? Note);
