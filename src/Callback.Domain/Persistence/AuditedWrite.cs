using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;

namespace Callback.Domain.Persistence;

/// <summary>
/// One attempt of a <see cref="UnitOfWork"/>: the context and transaction the change is made in, the audit records that
/// commit with it, and what to do once it has committed. An attempt that fails is dropped whole, its effects with it.
/// </summary>
public sealed class AuditedWrite
{
    private List<AuditRecord>? _records;
    private List<CaseAlarm>? _alarms;
    private List<CaseChanged>? _changes;

    internal AuditedWrite(CallbackDbContext db) => Db = db;

    /// <summary>The context of this attempt, inside its transaction. Load, change and add through it; the unit of work saves.</summary>
    public CallbackDbContext Db { get; }

    internal IReadOnlyList<AuditRecord>? Records => _records;

    internal IReadOnlyList<CaseAlarm>? Alarms => _alarms;

    internal IReadOnlyList<CaseChanged>? Changes => _changes;

    /// <summary>Adds an entry to the audit chain, written in this transaction just before the save.</summary>
    public void Audit(AuditRecord record) => (_records ??= []).Add(record);

    /// <summary>Adds entries to the audit chain, in order, written in this transaction just before the save.</summary>
    public void Audit(IEnumerable<AuditRecord> records) => (_records ??= []).AddRange(records);

    /// <summary>
    /// Numbers and hashes <paramref name="records"/> onto the head now and returns the entries, for a caller that inserts
    /// thousands of them itself (<see cref="BulkInsert"/>) rather than through the change tracker. The moved head is saved
    /// by the unit of work with its optimistic check, so a conflict on it is retried like any other.
    /// </summary>
    public Task<IReadOnlyList<AuditEntry>> ChainNowAsync(IEnumerable<AuditRecord> records, CancellationToken cancellationToken) =>
        AuditWriter.ChainAsync(Db, records, cancellationToken);

    /// <summary>Sets <paramref name="alarm"/> once the transaction has committed; best effort (the sweep covers a failure).</summary>
    public void ArmAfterCommit(CaseAlarm alarm) => (_alarms ??= []).Add(alarm);

    /// <summary>Tells live pages of <paramref name="change"/> once the transaction has committed; best effort.</summary>
    public void NotifyAfterCommit(CaseChanged change) => (_changes ??= []).Add(change);
}
