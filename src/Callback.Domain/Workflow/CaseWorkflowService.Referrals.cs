using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Localization;
using Callback.Domain.Partners;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Workflow;

public sealed partial class CaseWorkflowService
{
    /// <summary>The referrals of a case with their partner, newest first, within the actor's scope (a denial is audited).</summary>
    public async Task<IReadOnlyList<ReferralEntry>> ReferralsAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        await GetAsync(caseId, actor, cancellationToken);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId)
            .Join(db.Partners, r => r.PartnerId, p => p.Id, (r, p) => new { Referral = r, p.Name, p.Kind })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Referral.AtUtc).ThenByDescending(r => r.Referral.Id)
            .Select(r => new ReferralEntry(r.Referral, r.Name, r.Kind)).ToList();
    }

    /// <summary>
    /// Records what the partner reported about a referral: one audit entry (the referral by id, the statuses by name: no
    /// personal data). <paramref name="expected"/> is the status the officer saw; if a colleague changed it meanwhile,
    /// the update is refused as a conflict rather than written over theirs.
    /// </summary>
    /// <exception cref="ActionForbiddenException">The actor's role may not update referrals.</exception>
    /// <exception cref="CaseAccessDeniedException">The case is outside the actor's scope (audited).</exception>
    /// <exception cref="CaseRuleException">The referral is not the case's, or already has that status.</exception>
    /// <exception cref="CaseConflictException">The status changed since the actor read it.</exception>
    public async Task UpdateReferralStatusAsync(
        Guid caseId, long referralId, ReferralStatus expected, ReferralStatus status, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(CaseAction.UpdateReferralStatus))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.Referrals"));
        }

        var c = await GetAsync(caseId, actor, cancellationToken);
        try
        {
            await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var referral = await write.Db.Referrals.SingleOrDefaultAsync(r => r.Id == referralId && r.CaseId == caseId, ct)
                    ?? throw new CaseRuleException(DomainText.Get("Referral.Unknown"));
                if (referral.Status != expected)
                {
                    throw new CaseConflictException(caseId);
                }

                var now = Now();
                var before = referral.UpdateStatus(status, actor.Id, now);
                var state = c.State.ToString();
                write.Audit(new AuditRecord(now, actor.Id, caseId, AuditActions.ReferralStatus, state, state, $"referral {referral.Id}: {before} -> {status}"));
                write.NotifyAfterCommit(new CaseChanged(caseId, c.UnitId, c.Unit!.Departement, c.State, AuditActions.ReferralStatus, now));
            }, StaleReads.Surface, cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new CaseConflictException(caseId, ex);
        }
    }
}
