using Callback.Domain.Access;
using Callback.Domain.Partners;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Partners;

/// <summary>The partner directory per département: what the call cell refers to, and what an Admin edits.</summary>
public sealed class PartnerDirectory(IDbContextFactory<CallbackDbContext> databases)
{
    /// <summary>Active partners serving a département: its own and the national ones.</summary>
    public async Task<IReadOnlyList<Partner>> ServingAsync(string departement, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Partners.AsNoTracking()
            .Where(p => p.Active && (p.Departement == null || p.Departement == departement))
            .OrderBy(p => p.Departement == null).ThenBy(p => p.Kind).ThenBy(p => p.Name)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Partner>> AllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Partners.AsNoTracking().OrderBy(p => p.Departement ?? "").ThenBy(p => p.Kind).ThenBy(p => p.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The referrals of a case, with the partner's name, newest first.</summary>
    public async Task<IReadOnlyList<(Referral Referral, string PartnerName)>> ReferralsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId)
            .Join(db.Partners, r => r.PartnerId, p => p.Id, (r, p) => new { Referral = r, p.Name })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Referral.AtUtc).Select(r => (r.Referral, r.Name)).ToList();
    }

    public async Task AddAsync(Partner partner, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.Partners.Add(partner);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(int id, Action<Partner> change, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        RequireAdmin(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var partner = await db.Partners.SingleAsync(p => p.Id == id, cancellationToken);
        change(partner);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Loads the shipped directory into an empty table (demo and first start).</summary>
    public async Task<int> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await db.Partners.AnyAsync(cancellationToken))
        {
            return 0;
        }

        var partners = PartnerDirectorySeed.Load();
        db.Partners.AddRange(partners);
        await db.SaveChangesAsync(cancellationToken);
        return partners.Count;
    }

    private static void RequireAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.Partners))
        {
            throw new ActionForbiddenException("Only an Admin edits the partner directory.");
        }
    }
}
