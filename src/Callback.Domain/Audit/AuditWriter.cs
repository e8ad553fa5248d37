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

    /// <summary>
    /// Streams the whole log in sequence order and verifies it against its head. The head and the log are two reads: on
    /// a live database a write may commit between them and show entries past the head read first. So when the log runs
    /// past its head, the head is read again; if it moved, the application wrote them and the log is verified again
    /// against the new head (a few times at most); if it did not, they were added outside it and the break stands.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(CallbackDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await ReadHeadAsync(db, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var entries = db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
            var verified = await AuditChain.VerifyAsync(entries, head, cancellationToken);
            if (verified.IsIntact || head is null || attempt == MaxVerifications || verified.FirstBrokenSequence != head.LastSequence + 1)
            {
                return verified;
            }

            var again = await ReadHeadAsync(db, cancellationToken);
            if (again is null || again.LastSequence == head.LastSequence)
            {
                return verified;
            }

            head = again;
        }
    }

    private const int MaxVerifications = 5;

    private static Task<AuditHead?> ReadHeadAsync(CallbackDbContext db, CancellationToken cancellationToken) =>
        db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditHead.SingletonId, cancellationToken);
}
