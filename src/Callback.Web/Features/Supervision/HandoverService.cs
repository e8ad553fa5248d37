using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Supervision;

/// <summary>One open case an officer holds, as the handover lists it.</summary>
public sealed record HeldCase(Guid Id, int Version, string FileReference, CaseState State, DateTime? DueAtUtc, bool Assigned);

/// <summary>What a handover did: cases handed over, and those someone changed meanwhile (left as they are).</summary>
public sealed record HandoverResult(int HandedOver, IReadOnlyList<string> Changed);

/// <summary>
/// A shift handover (issue 16.9): the open cases an officer holds, in the supervisor's scope, handed to another officer
/// in one go. Each case is one reassignment through the workflow, one audit entry each; a case changed since the list was
/// read is left alone and named, never overwritten.
/// </summary>
public sealed class HandoverService(IDbContextFactory<CallbackDbContext> databases, CaseWorkflowService workflow, SupervisionService supervision, TimeProvider clock)
{
    public async Task<IReadOnlyList<HeldCase>> HeldByAsync(Actor actor, string officerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var held = await db.Cases.AsNoTracking().InScopeOf(actor)
            .Where(c => c.State != CaseState.Closed && c.CurrentClaim.Holder == officerId && c.CurrentClaim.ExpiresAtUtc > now)
            .OrderBy(c => c.DueAtUtc)
            .Select(c => new { c.Id, c.Version, c.FileReference, c.State, c.DueAtUtc, c.CurrentClaim.ExpiresAtUtc })
            .ToListAsync(cancellationToken);
        return held.Select(c => new HeldCase(c.Id, c.Version, c.FileReference, c.State, c.DueAtUtc, c.ExpiresAtUtc == CaseClaim.Indefinite)).ToList();
    }

    public async Task<HandoverResult> HandOverAsync(Actor actor, IReadOnlyList<HeldCase> cases, string toOfficerId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(cases);
        // The same choices as the form offers: an enabled officer of a unit in the supervisor's scope.
        if (!(await supervision.OfficersAsync(actor, cancellationToken)).Any(o => o.Id == toOfficerId))
        {
            throw new CaseRuleException(Domain.Localization.DomainText.Get("Case.ReassignOfficerRequired"));
        }

        var handed = 0;
        var changed = new List<string>();
        foreach (var held in cases)
        {
            try
            {
                await workflow.ReassignAsync(held.Id, held.Version, toOfficerId, reason, actor, cancellationToken);
                handed++;
            }
            catch (CaseConflictException)
            {
                changed.Add(held.FileReference);
            }
        }

        return new HandoverResult(handed, changed);
    }
}
