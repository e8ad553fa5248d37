using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Jobs.Tests;

/// <summary>
/// Two nodes (two service providers, two pools, two clocks) on one PostgreSQL database, writing at the same time: what
/// the head-row lock and the case's concurrency token must guarantee whichever node acts.
/// </summary>
public class SeveralNodesTests
{
    [Fact]
    public async Task ConcurrentWritersOnTwoNodes_ExtendOneChain_WithNoForkAndNoGap()
    {
        await using var a = await Harness.CreateAsync(DatabaseProvider.Postgres);
        await using var b = await a.SecondNodeAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await a.CaseAwaitingContactAsync($"62-2026-{i:D6}"));
        }

        var before = (await a.AuditAsync()).Count;
        // Each node writes notes on every case, all at once: cases conflict (retried by re-reading), the chain is shared.
        var writes = ids.SelectMany(id => new[] { a, b }.Select(node => NotesAsync(node, id, 5))).ToList();
        var written = (await Task.WhenAll(writes)).Sum();

        var audit = await a.AuditAsync();
        Assert.Equal(ids.Count * 2 * 5, written);
        Assert.Equal(before + written, audit.Count);
        Assert.Equal(Enumerable.Range(1, audit.Count).Select(i => (long)i), audit.Select(e => e.Sequence));
        await using var db = await a.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var verification = await AuditWriter.VerifyAsync(db, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Fact]
    public async Task DeadlinesRungByTwoNodesAtOnce_ChangeEachCaseOnce_AndRaiseOneAlertEach()
    {
        await using var a = await Harness.CreateAsync(DatabaseProvider.Postgres, o => o.SweepBatchSize = 25);
        await using var b = await a.SecondNodeAsync(o => o.SweepBatchSize = 25);
        var alarms = new List<CaseAlarm>();
        for (var i = 0; i < 60; i++)
        {
            var id = await a.CaseAwaitingContactAsync($"62-2026-{i:D6}");
            alarms.Add((await a.LoadAsync(id)).Alarm!);
        }

        var due = alarms.Max(x => x.DueUtc).AddSeconds(2);
        a.Clock.SetUtcNow(due);
        b.Clock.SetUtcNow(due);
        var ct = TestContext.Current.CancellationToken;
        var jobA = new DeadlineAlarmJob(a.Workflow, a.Alarms, a.Clock);
        var jobB = new DeadlineAlarmJob(b.Workflow, b.Alarms, b.Clock);
        // Every way a deadline can be rung, on both nodes at once: both sweeps and both nodes' jobs for every alarm.
        var ringing = new List<Task>
        {
            a.Sweeper.SweepOnceAsync(ct),
            b.Sweeper.SweepOnceAsync(ct),
        };
        ringing.AddRange(alarms.Select(x => jobA.RingAsync(x.CaseId, x.Version, x.Kind, ct)));
        ringing.AddRange(alarms.Select(x => jobB.RingAsync(x.CaseId, x.Version, x.Kind, ct)));
        await Task.WhenAll(ringing);

        var audit = await a.AuditAsync();
        foreach (var alarm in alarms)
        {
            Assert.Single(audit, e => e.CaseId == alarm.CaseId && e.Action == nameof(CaseTrigger.ContactDeadlineElapsed));
            Assert.Equal(CaseState.PatrolRequested, (await a.LoadAsync(alarm.CaseId)).State);
        }

        // One patrol alert per case, whichever node raised it.
        var alerts = a.Notifier.Changes.Concat(b.Notifier.Changes).Where(c => c.State == CaseState.PatrolRequested).ToList();
        Assert.Equal(alarms.Select(x => x.CaseId).Order(), alerts.Select(c => c.CaseId).Order());
        await using var db = await a.Databases.CreateDbContextAsync(ct);
        Assert.True((await AuditWriter.VerifyAsync(db, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task Database_RefusesToDeleteTheAuditHead_OrMoveItBack()
    {
        await using var h = await Harness.CreateAsync(DatabaseProvider.Postgres);
        await h.CaseAwaitingContactAsync();

        var delete = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => h.ExecuteSqlAsync("DELETE FROM \"AuditHeads\""));
        var back = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => h.ExecuteSqlAsync("UPDATE \"AuditHeads\" SET \"LastSequence\" = 1"));
        var truncate = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => h.ExecuteSqlAsync("TRUNCATE \"AuditEntries\""));

        Assert.Contains("only moves forward", delete.MessageText, StringComparison.Ordinal);
        Assert.Contains("only moves forward", back.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", truncate.MessageText, StringComparison.Ordinal);
    }

    private static async Task<int> NotesAsync(Harness node, Guid id, int count)
    {
        var written = 0;
        while (written < count)
        {
            try
            {
                await node.Workflow.AddNoteAsync(id, await node.VersionAsync(id), $"note {written}", node.OfficerA);
                written++;
            }
            catch (CaseConflictException)
            {
                // The other node wrote this case first: read the new version and write again.
            }
        }

        return written;
    }
}
