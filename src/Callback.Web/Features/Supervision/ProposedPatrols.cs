using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Callback.Web.Features.Supervision;

/// <summary>A patrol the governor held back, as the supervision page lists it: no name, no number, no address.</summary>
public sealed record ProposedPatrol(
    Guid Id, int Version, string FileReference, string UnitCode, string TimeZoneId, DangerLevel Danger, PatrolReason Reason,
    DateTime ProposedAtUtc, DateTime? DecisionDueUtc, string? CampaignName);

/// <summary>The proposals in a supervisor's scope, oldest first, and the governor's hourly limit they were held back by.</summary>
public sealed record ProposedPatrols(IReadOnlyList<ProposedPatrol> Rows, int LimitPerUnitPerHour)
{
    public static ProposedPatrols Empty { get; } = new([], 0);
}

/// <summary>
/// Reads the patrols the governor proposed (issue 18) within the supervisor's scope. Deciding on them goes through the
/// workflow (<see cref="CaseWorkflowService.ConfirmPatrolAsync"/>, <see cref="CaseWorkflowService.ConfirmPatrolsAsync"/>,
/// <see cref="CaseWorkflowService.DeclinePatrolAsync"/>), one audited transition each.
/// </summary>
public sealed class ProposedPatrolsService(IDbContextFactory<CallbackDbContext> databases, IOptions<PatrolGovernorOptions> governor)
{
    public async Task<ProposedPatrols> LoadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.Cases.AsNoTracking().InScopeOf(actor)
            .Where(c => c.State == CaseState.PatrolProposed)
            .OrderBy(c => c.Patrol.ProposedAtUtc).ThenBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.Version, c.FileReference, c.Unit!.Code, c.Unit.TimeZoneId, c.Danger, c.Patrol.Reason, c.Patrol.ProposedAtUtc, c.DueAtUtc,
                Campaign = db.Campaigns.Where(p => p.Id == c.CampaignId).OrderBy(p => p.Id).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return new ProposedPatrols(
            rows.Select(r => new ProposedPatrol(r.Id, r.Version, r.FileReference, r.Code, r.TimeZoneId, r.Danger,
                r.Reason ?? PatrolReason.ContactDeadlineElapsed, r.ProposedAtUtc ?? default, r.DueAtUtc, r.Campaign)).ToList(),
            governor.Value.MaxAutomaticPerUnitPerHour);
    }
}
