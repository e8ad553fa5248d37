namespace Callback.Domain.Audit;

/// <summary>Checks an audit log, entry by entry, against its hashes, its numbering and its head.</summary>
public static class AuditChain
{
    /// <summary>
    /// Walks <paramref name="entries"/> (in the order the database returns them by sequence) and reports the first
    /// sequence number at which the chain breaks, or success with the number of entries checked.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEntry> entries, AuditHead? head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var expectedSequence = 1L;
        var previousHash = AuditHead.GenesisHash;
        long count = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expectedSequence)
            {
                var broken = Math.Min(entry.Sequence, expectedSequence);
                return AuditVerification.Broken(broken, count, entry.Sequence > expectedSequence
                    ? $"entry {expectedSequence} is missing (the next one is {entry.Sequence})"
                    : $"entry {entry.Sequence} is out of order or duplicated");
            }

            if (entry.PreviousHash != previousHash)
            {
                return AuditVerification.Broken(entry.Sequence, count, $"entry {entry.Sequence} does not link to entry {entry.Sequence - 1}");
            }

            if (entry.ComputeHash() != entry.Hash)
            {
                return AuditVerification.Broken(entry.Sequence, count, $"entry {entry.Sequence} was altered (its hash does not match its content)");
            }

            if (!entry.ReasonMatchesDigest())
            {
                return AuditVerification.Broken(entry.Sequence, count, $"entry {entry.Sequence}'s reason was altered (it does not match its digest)");
            }

            previousHash = entry.Hash;
            expectedSequence++;
            count++;
        }

        var lastInLog = expectedSequence - 1;
        if (head is not null)
        {
            if (head.LastSequence > lastInLog)
            {
                return AuditVerification.Broken(lastInLog + 1, count, $"the log ends at entry {lastInLog} but its head records entry {head.LastSequence}: entries were removed");
            }

            if (head.LastSequence < lastInLog)
            {
                return AuditVerification.Broken(head.LastSequence + 1, count, $"entries after {head.LastSequence} were added outside the application");
            }

            if (head.LastHash != previousHash)
            {
                return AuditVerification.Broken(lastInLog, count, $"entry {lastInLog} does not match the head of the chain");
            }
        }

        return AuditVerification.Intact(count);
    }
}

public sealed record AuditVerification(bool IsIntact, long? FirstBrokenSequence, long EntriesChecked, string Message)
{
    public static AuditVerification Intact(long count) => new(true, null, count, $"audit chain intact: {count} entries verified");

    public static AuditVerification Broken(long sequence, long checkedBefore, string why) =>
        new(false, sequence, checkedBefore, $"audit chain broken at entry {sequence}: {why}");
}
