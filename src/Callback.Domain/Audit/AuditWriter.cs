using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Audit;

/// <summary>Appends entries to the chain inside the caller's transaction; they commit with the change they record.</summary>
public static class AuditWriter
{
    public static async Task AppendAsync(CallbackDbContext db, IEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AuditEntries.AddRange(await ChainAsync(db, records, cancellationToken));
    }

    /// <summary>
    /// Numbers and hashes <paramref name="records"/> onto the head of the chain and returns the entries, for a caller
    /// that inserts them itself (the bulk import). The head is loaded into <paramref name="db"/> and moved there: the
    /// caller's <c>SaveChanges</c> writes it with its optimistic check, in the transaction that inserts the entries.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEntry>> ChainAsync(CallbackDbContext db, IEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        AuditHead? head = null;
        var entries = new List<AuditEntry>();
        foreach (var record in records)
        {
            if (head is null)
            {
                head = await db.LockAuditHeadAsync(cancellationToken);
            }

            var entry = AuditEntry.Next(head, record);
            entries.Add(entry);
            head.Advance(entry);
        }

        return entries;
    }

    /// <summary>Streams the whole log in sequence order and verifies it against its head.</summary>
    public static async Task<AuditVerification> VerifyAsync(CallbackDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditHead.SingletonId, cancellationToken);
        var entries = db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
        return await AuditChain.VerifyAsync(entries, head, cancellationToken);
    }
}
