using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Callback.Domain.Persistence;

/// <summary>
/// The one way to make an audited change (the role of eShop's <c>ResilientTransaction</c>): a context and a transaction
/// per attempt, the change and its audit entries chained onto the head, one save, one commit; then, and only then, the
/// alarms and live-page notifications the change registered. Every writer of the audit chain goes through it, so they
/// all lock, retry and recover the same way.
/// </summary>
/// <remarks>
/// <para>
/// On SQLite the transaction begins IMMEDIATE: the rows, the audit head and the deadline are read under the file's one
/// write lock, so nothing moves under a write. On PostgreSQL the rows are read unlocked (a version token refuses a stale
/// save) and the audit head is locked when the entries are chained (<see cref="CallbackDbContext.LockAuditHeadAsync"/>),
/// so writers on several nodes extend one chain in turn. No savepoints: if anything fails, all of it rolls back, and
/// EF Core's automatic ones would cost two round trips per save for nothing.
/// </para>
/// <para>
/// A conflict on the audit head (another writer extended the chain first) is always retried, from a fresh context, up
/// to <see cref="MaxAttempts"/> attempts. A conflict on the write's own rows is the write's to judge: see
/// <see cref="StaleReads"/>. When the attempts run out, the conflict is thrown as EF Core reported it.
/// </para>
/// <para>
/// Effects after the commit are best effort and never throw into the caller: the change is committed, the sweep
/// re-reads every deadline from the database, and live pages reload on their own timer too. Before the commit they
/// would announce a change that might still roll back.
/// </para>
/// </remarks>
public sealed partial class UnitOfWork(
    IDbContextFactory<CallbackDbContext> databases,
    ILogger logger,
    IDeadlineAlarms? alarms = null,
    ICaseChangeNotifier? notifier = null)
{
    /// <summary>How many times a write is attempted before a conflict is surfaced.</summary>
    public const int MaxAttempts = 8;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits what it changed with the audit records it gave. A work
    /// that changed nothing and audited nothing is rolled back. Any exception from the work rolls everything back and
    /// reaches the caller unchanged; the work may run again after a conflict, so it must read what it decides on.
    /// </summary>
    public async Task<TResult> RunAsync<TResult>(
        Func<AuditedWrite, CancellationToken, Task<TResult>> work, StaleReads staleReads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var write = new AuditedWrite(db);
            var result = await work(write, cancellationToken);
            if (write.Records is null && !db.ChangeTracker.HasChanges())
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }

            try
            {
                if (write.Records is { } records)
                {
                    await Notifications.AlertOutbox.QueueForAlertsAsync(db, records, cancellationToken);
                    await AuditWriter.AppendAsync(db, records, cancellationToken);
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsChainConflict(ex))
            {
                LogChainRetry(logger, attempt);
                continue;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts && staleReads == StaleReads.ReadAgain)
            {
                LogStaleRetry(logger, attempt);
                continue;
            }

            AfterCommit(write);
            return result;
        }
    }

    /// <summary>Runs <paramref name="work"/> as <see cref="RunAsync{TResult}"/> does, for a write that returns nothing.</summary>
    public Task RunAsync(Func<AuditedWrite, CancellationToken, Task> work, StaleReads staleReads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(async (write, ct) =>
        {
            await work(write, ct);
            return true;
        }, staleReads, cancellationToken);
    }

    /// <summary>Writes <paramref name="record"/> alone, for an event that changes nothing else (a sign-in, a denial, a read).</summary>
    public Task AuditAsync(AuditRecord record, CancellationToken cancellationToken) =>
        RunAsync(
            (write, _) =>
            {
                write.Audit(record);
                return Task.CompletedTask;
            },
            StaleReads.Surface,
            cancellationToken);

    /// <summary>
    /// Another writer extended the chain first: the head's optimistic check failed, or the database refused an entry's
    /// sequence. Any other failure of the same save (a full disk, a broken connection) is not a conflict and is not retried.
    /// </summary>
    private static bool IsChainConflict(DbUpdateException ex) =>
        (ex is DbUpdateConcurrencyException || ex.InnerException is System.Data.Common.DbException)
        && ex.Entries.Any(e => e.Entity is AuditHead or AuditEntry);

    private void AfterCommit(AuditedWrite write)
    {
        if (write.Alarms is { } toArm)
        {
            Arm(toArm);
        }

        if (write.Changes is { } changes)
        {
            foreach (var change in changes)
            {
                try
                {
                    notifier?.Publish(change);
                }
#pragma warning disable CA1031 // A live page missing one push reloads on its own timer; the change is committed.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogNotifyFailed(logger, ex, change.CaseId);
                }
            }
        }
    }

    private void Arm(IReadOnlyList<CaseAlarm> toArm)
    {
        if (alarms is null)
        {
            return;
        }

        // One line for a whole import's worth of failures: a broken alarm queue would otherwise log thousands.
        var failed = 0;
        (Exception Error, Guid CaseId)? first = null;
        foreach (var alarm in toArm)
        {
            try
            {
                alarms.Arm(alarm);
            }
#pragma warning disable CA1031 // The deadline is safe in the database; the sweep sets any alarm that failed here.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                first ??= (ex, alarm.CaseId);
            }
        }

        if (first is { } error)
        {
            LogAlarmFailed(logger, error.Error, failed, toArm.Count, error.CaseId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit chain moved under a write; attempt {Attempt} failed, trying again")]
    private static partial void LogChainRetry(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rows read by a write changed before its commit; attempt {Attempt} failed, reading again")]
    private static partial void LogStaleRetry(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set {Failed} of {Count} alarms, the first of case {CaseId}; the sweep will fire their deadlines")]
    private static partial void LogAlarmFailed(ILogger logger, Exception exception, int failed, int count, Guid caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify live pages of a change to case {CaseId}")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, Guid caseId);
}
