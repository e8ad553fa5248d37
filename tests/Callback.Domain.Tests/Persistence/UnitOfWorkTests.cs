using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Domain.Tests.Persistence;

/// <summary>The one audited write: what it commits together, what it rolls back, how it retries, when its effects run.</summary>
public class UnitOfWorkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Run_CommitsTheChangeWithItsAuditEntries_ThenArmsAndNotifies(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);

        var (id, alarm) = await unitOfWork.RunAsync((write, ct) => OpenCaseAsync(h, write, "62-UOW-1", ct), StaleReads.Surface, Ct);

        var audit = await h.AuditAsync(id);
        Assert.Equal(AuditActions.Open, Assert.Single(audit).Action);
        Assert.Equal(CaseState.AwaitingReview, (await h.LoadAsync(id)).State);
        Assert.True((await VerifyAsync(h)).IsIntact);
        Assert.Equal([alarm], h.Alarms.Armed);
        Assert.Equal(id, Assert.Single(h.Notifier.Changes).CaseId);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Run_WhenTheWorkFailsAfterChanging_CommitsNothing_AndRunsNoEffect(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var auditBefore = (await h.AuditAsync()).Count;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.RunAsync<Guid>(async (write, ct) =>
        {
            _ = await OpenCaseAsync(h, write, "62-UOW-2", ct);
            // Saved inside the transaction, as a writer that needs a generated id does: the rollback takes it back too.
            await write.Db.SaveChangesAsync(ct);
            throw new InvalidOperationException("injected: the work failed after its first save");
        }, StaleReads.Surface, Ct));

        Assert.StartsWith("injected", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountCasesAsync(h));
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.Equal(auditBefore, await HeadSequenceAsync(h));
        Assert.Empty(h.Alarms.Armed);
        Assert.Empty(h.Notifier.Changes);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Run_WhenTheAuditInsertFails_RollsBackTheChange_AndRunsNoEffect(DatabaseProvider provider)
    {
        var failure = new FailOnCommand("INSERT INTO \"AuditEntries\"");
        await using var h = await Harness.CreateAsync(provider, database: o => o.AddInterceptors(failure));
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var auditBefore = (await h.AuditAsync()).Count;
        failure.Armed = true;

        await Assert.ThrowsAnyAsync<Exception>(() => unitOfWork.RunAsync((write, ct) => OpenCaseAsync(h, write, "62-UOW-3", ct), StaleReads.Surface, Ct));
        failure.Armed = false;

        Assert.True(failure.Tripped);
        Assert.Equal(0, await CountCasesAsync(h));
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.Empty(h.Alarms.Armed);
        Assert.Empty(h.Notifier.Changes);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Run_OnAChainConflict_TriesAgainOnAFreshRead_AndCommitsOnce(DatabaseProvider provider)
    {
        var conflicts = new StaleOriginalValue<AuditHead>(nameof(AuditHead.LastSequence), -1L) { Remaining = 3 };
        await using var h = await Harness.CreateAsync(provider, database: o => o.AddInterceptors(conflicts));
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var attempts = 0;

        var (id, _) = await unitOfWork.RunAsync((write, ct) =>
        {
            attempts++;
            return OpenCaseAsync(h, write, "62-UOW-4", ct);
        }, StaleReads.Surface, Ct);

        Assert.Equal(4, attempts);
        Assert.Equal(1, await CountCasesAsync(h));
        Assert.Single(await h.AuditAsync(id));
        Assert.True((await VerifyAsync(h)).IsIntact);
        Assert.Single(h.Alarms.Armed);
        Assert.Single(h.Notifier.Changes);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Run_WhenTheChainStaysInConflict_GivesUpAfterMaxAttempts_WithTheConflict(DatabaseProvider provider)
    {
        var conflicts = new StaleOriginalValue<AuditHead>(nameof(AuditHead.LastSequence), -1L) { Remaining = int.MaxValue };
        await using var h = await Harness.CreateAsync(provider, database: o => o.AddInterceptors(conflicts));
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var auditBefore = (await h.AuditAsync()).Count;
        var attempts = 0;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => unitOfWork.RunAsync((write, ct) =>
        {
            attempts++;
            return OpenCaseAsync(h, write, "62-UOW-5", ct);
        }, StaleReads.ReadAgain, Ct));

        Assert.Equal(UnitOfWork.MaxAttempts, attempts);
        Assert.Equal(0, await CountCasesAsync(h));
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.Empty(h.Alarms.Armed);
        Assert.Empty(h.Notifier.Changes);
    }

    [Theory]
    [InlineData(StaleReads.Surface, 1)]
    [InlineData(StaleReads.ReadAgain, 2)]
    public async Task Run_WhenARowItReadChangedMeanwhile_SurfacesIt_OrReadsAgain_AsTheWriteAsks(StaleReads staleReads, int expectedAttempts)
    {
        var stale = new StaleOriginalValue<Case>(nameof(Case.Version), -1) { Remaining = 0 };
        await using var h = await Harness.CreateAsync(database: o => o.AddInterceptors(stale));
        var id = await h.CaseAwaitingContactAsync();
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var version = await h.VersionAsync(id);
        stale.Remaining = 1;
        var attempts = 0;

        var run = unitOfWork.RunAsync(async (write, ct) =>
        {
            attempts++;
            var c = await write.Db.Cases.SingleAsync(x => x.Id == id, ct);
            c.AddNote("called the neighbour", "officer-a", h.Now);
            write.Db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
            write.Audit(c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, "officer-a")));
            return true;
        }, staleReads, Ct);

        if (staleReads == StaleReads.Surface)
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => run);
            Assert.Equal(version, await h.VersionAsync(id));
        }
        else
        {
            await run;
            Assert.Equal(version + 1, await h.VersionAsync(id));
        }

        Assert.Equal(expectedAttempts, attempts);
        Assert.True((await VerifyAsync(h)).IsIntact);
    }

    [Fact]
    public async Task Run_WhenNothingChangedAndNothingIsAudited_WritesNothing_AndRunsNoEffect()
    {
        await using var h = await Harness.CreateAsync();
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, h.Notifier);
        var auditBefore = (await h.AuditAsync()).Count;

        var found = await unitOfWork.RunAsync(async (write, ct) => await write.Db.Units.CountAsync(ct), StaleReads.Surface, Ct);

        Assert.Equal(2, found);
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.Empty(h.Notifier.Changes);
    }

    [Fact]
    public async Task AfterCommit_EffectsRun_OnlyOnceOthersCanSeeTheChange()
    {
        await using var h = await Harness.CreateAsync();
        var seen = new List<bool>();
        var notifier = new Probe(change => seen.Add(CaseVisibleToAnotherConnection(h, change.CaseId)));
        var unitOfWork = new UnitOfWork(h.Databases, NullLogger.Instance, h.Alarms, notifier);

        await unitOfWork.RunAsync((write, ct) => OpenCaseAsync(h, write, "62-UOW-6", ct), StaleReads.Surface, Ct);

        Assert.Equal([true], seen);
    }

    [Fact]
    public async Task AfterCommit_EffectsThatThrow_AreLogged_AndNeverReachTheCaller()
    {
        await using var h = await Harness.CreateAsync();
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var broken = new Probe(_ => throw new InvalidOperationException("injected: the live pages are down"));
        var unitOfWork = new UnitOfWork(h.Databases, factory.CreateLogger("test"), broken, broken);

        var (id, _) = await unitOfWork.RunAsync((write, ct) => OpenCaseAsync(h, write, "62-UOW-7", ct), StaleReads.Surface, Ct);

        Assert.Equal(CaseState.AwaitingReview, (await h.LoadAsync(id)).State);
        Assert.Contains($"Could not set 1 of 1 alarms, the first of case {id}", logs.Text(), StringComparison.Ordinal);
        Assert.Contains($"Could not notify live pages of a change to case {id}", logs.Text(), StringComparison.Ordinal);
    }

    private static async Task<(Guid Id, CaseAlarm Alarm)> OpenCaseAsync(Harness h, AuditedWrite write, string reference, CancellationToken ct)
    {
        var unit = await write.Db.Units.SingleAsync(u => u.Id == h.UnitA, ct);
        var c = Case.Open(h.Facts(reference), unit, h.Now, new DeadlinePolicy(h.Options));
        write.Db.Cases.Add(c);
        write.Audit(c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, "officer-a")));
        var alarm = c.Alarm ?? throw new InvalidOperationException("a new case has an alarm");
        write.ArmAfterCommit(alarm);
        write.NotifyAfterCommit(new CaseChanged(c.Id, c.UnitId, unit.Departement, c.State, AuditActions.Open, h.Now));
        return (c.Id, alarm);
    }

    private static bool CaseVisibleToAnotherConnection(Harness h, Guid id)
    {
        using var db = h.Databases.CreateDbContext();
        return db.Cases.Any(c => c.Id == id);
    }

    private static async Task<int> CountCasesAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return await db.Cases.CountAsync(Ct);
    }

    private static async Task<long> HeadSequenceAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return await db.AuditHeads.Select(x => x.LastSequence).SingleAsync(Ct);
    }

    private static async Task<AuditVerification> VerifyAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return await AuditWriter.VerifyAsync(db, Ct);
    }

    /// <summary>
    /// Makes the next saves believe they read <typeparamref name="TEntity"/> at another value of a concurrency token: the
    /// database then refuses the update as it refuses one made on a stale read, through EF Core's own check.
    /// </summary>
    private sealed class StaleOriginalValue<TEntity>(string property, object value) : SaveChangesInterceptor
        where TEntity : class
    {
        public int Remaining { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var entry = eventData.Context?.ChangeTracker.Entries<TEntity>().FirstOrDefault(e => e.State == EntityState.Modified);
            if (entry is not null && Remaining > 0)
            {
                Remaining--;
                entry.Property(property).OriginalValue = value;
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
    /// <summary>Alarms and notices in one, each handed to <paramref name="onEffect"/>.</summary>
    private sealed class Probe(Action<CaseChanged> onEffect) : IDeadlineAlarms, ICaseChangeNotifier
    {
        public void Arm(CaseAlarm alarm) => onEffect(new CaseChanged(alarm.CaseId, 0, "", CaseState.AwaitingReview, "Arm", default));

        public void Publish(CaseChanged change) => onEffect(change);
    }
}
