using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.People;

/// <summary>
/// Gives the cases made before the key table existed (or by any writer that left them without) their keys, so search
/// and matching find them too. Idempotent: only a case with no key at all and personal data still held (retention
/// deletes the keys of an anonymised case, and they must stay deleted) is given keys, each batch in its own transaction
/// and checked again inside it. The ids are read once, then the cases a thousand at a time, so a large database is one
/// scan; a batch a second node wrote first is read again, and what it left is done.
/// </summary>
public static class PersonKeyBackfill
{
    public const int CasesPerBatch = 1_000;

    private const int TriesPerBatch = 3;

    /// <summary>Writes the missing keys; returns how many cases were given keys.</summary>
    public static async Task<int> RunAsync(IDbContextFactory<CallbackDbContext> databases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        List<Guid> missing;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            missing = await Missing(db).Select(c => c.Id).ToListAsync(cancellationToken);
        }

        var given = 0;
        foreach (var ids in missing.Chunk(CasesPerBatch))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    given += await BatchAsync(databases, ids, cancellationToken);
                    break;
                }
                catch (DbUpdateException) when (attempt < TriesPerBatch)
                {
                    // Another node gave some of these cases their keys first: read the batch again.
                }
            }
        }

        return given;
    }

    private static async Task<int> BatchAsync(IDbContextFactory<CallbackDbContext> databases, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cases = await Missing(db).AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, cases.SelectMany(PersonKey.Of).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return cases.Count;
    }

    private static IQueryable<Cases.Case> Missing(CallbackDbContext db) =>
        db.Cases.Where(c => c.AnonymisedAtUtc == null && !db.PersonKeys.Any(k => k.CaseId == c.Id));
}
