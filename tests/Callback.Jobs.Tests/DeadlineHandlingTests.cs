using Callback.Web.Persistence;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Callback.Jobs.Tests;

public class DeadlineHandlingTests
{
    private static int Count(IEnumerable<Domain.Audit.AuditEntry> audit, CaseTrigger trigger) =>
        audit.Count(e => e.Action == trigger.ToString());

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Case_NotContactedByItsDeadline_BecomesPatrolRequested(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var due = (await h.LoadAsync(id)).DueAtUtc!.Value;

        h.Clock.SetUtcNow(due.AddSeconds(1));
        var sweep = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        var c = await h.LoadAsync(id);
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(PatrolReason.ContactDeadlineElapsed, c.Patrol.Reason);
        Assert.Equal(1, sweep.Fired);
        var escalation = Assert.Single(await h.AuditAsync(id), e => e.Action == nameof(CaseTrigger.ContactDeadlineElapsed));
        Assert.Equal("system", escalation.Actor);
        Assert.Equal("AwaitingContact", escalation.FromState);
        Assert.Equal("PatrolRequested", escalation.ToState);
    }

    [Fact]
    public async Task Case_ContactedBeforeItsDeadline_IsNotEscalated()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        var due = (await h.LoadAsync(id)).DueAtUtc!.Value;
        h.Clock.SetUtcNow(due.AddHours(-1));
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(true, DangerLevel.Low, false, "{}"), h.OfficerA);

        h.Clock.SetUtcNow(due.AddHours(1));
        var sweep = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(CaseState.Closed, (await h.LoadAsync(id)).State);
        Assert.Equal(0, sweep.Fired);
        Assert.Equal(0, Count(await h.AuditAsync(id), CaseTrigger.ContactDeadlineElapsed));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AlarmJob_RunTwiceAndLate_ChangesTheCaseOnce(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var alarm = (await h.LoadAsync(id)).Alarm!;
        var job = new DeadlineAlarmJob(h.Workflow, h.Alarms, h.Clock);
        var ct = TestContext.Current.CancellationToken;

        h.Clock.SetUtcNow(alarm.DueUtc.AddSeconds(3));
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, ct);
        var afterFirst = await h.LoadAsync(id);
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, ct);
        h.Clock.SetUtcNow(alarm.DueUtc.AddHours(6));
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, ct);
        await h.Sweeper.SweepOnceAsync(ct);

        var final = await h.LoadAsync(id);
        Assert.Equal(CaseState.PatrolRequested, final.State);
        Assert.Equal(1, Count(await h.AuditAsync(id), CaseTrigger.ContactDeadlineElapsed));
        // The sweep at +6 h finds the acknowledgement alert due (a different alarm) and raises it once; the contact deadline stays applied once.
        Assert.Equal(afterFirst.Patrol.RequestedAtUtc, final.Patrol.RequestedAtUtc);
    }

    [Fact]
    public async Task AlarmJob_StartingASecondEarly_WaitsAndThenFires()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        var alarm = (await h.LoadAsync(id)).Alarm!;
        h.Clock.SetUtcNow(alarm.DueUtc.AddMilliseconds(-900));
        var job = new DeadlineAlarmJob(h.Workflow, h.Alarms, h.Clock);

        var ringing = job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, TestContext.Current.CancellationToken);
        while (!ringing.IsCompleted)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            h.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        await ringing;
        Assert.Equal(CaseState.PatrolRequested, (await h.LoadAsync(id)).State);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Sweep_FiresADeadlineWhoseJobWasLost(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await h.CaseAwaitingContactAsync($"62-2026-00000{i}"));
        }

        // No job ever ran (the recording alarms stand for a job store that lost them all).
        h.Clock.Advance(TimeSpan.FromDays(3));
        var sweep = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);
        var again = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5, sweep.Fired);
        foreach (var id in ids)
        {
            var c = await h.LoadAsync(id);
            Assert.Equal(CaseState.PatrolRequested, c.State);
        }

        Assert.Equal(0, again.Fired);
        Assert.Equal(5, (await h.AuditAsync()).Count(e => e.Action == nameof(CaseTrigger.ContactDeadlineElapsed)));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Sweep_FiresABurstInBatches_EachCaseOnce_AndTheChainStaysIntact(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider, o => o.SweepBatchSize = 40);
        var ids = new List<Guid>();
        for (var i = 0; i < 130; i++)
        {
            ids.Add(await h.CaseAwaitingContactAsync($"62-2026-{i:D6}"));
        }

        h.Clock.Advance(TimeSpan.FromDays(3));
        var sweep = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(130, sweep.Fired);
        var escalations = (await h.AuditAsync()).Where(e => e.Action == nameof(CaseTrigger.ContactDeadlineElapsed)).ToList();
        Assert.Equal(ids.Order(), escalations.Select(e => e.CaseId!.Value).Order());
        Assert.All(ids, id => Assert.Contains(h.Notifier.Changes, n => n.CaseId == id && n.State == CaseState.PatrolRequested));
        await using var db = await h.Databases.CreateDbContextAsync();
        Assert.True((await Domain.Audit.AuditWriter.VerifyAsync(db, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task RunningSweep_RingsADeadlineTheJobStoreMissed_OnceTheGraceHasPassed()
    {
        await using var h = await Harness.CreateAsync(o =>
        {
            o.SweepInterval = TimeSpan.FromMinutes(30);
            o.SweepGrace = TimeSpan.FromSeconds(2);
        });
        var id = await h.CaseAwaitingContactAsync();
        var due = (await h.LoadAsync(id)).DueAtUtc!.Value;
        h.Clock.SetUtcNow(due.AddSeconds(-10));
        var ct = TestContext.Current.CancellationToken;
        await h.Sweeper.StartAsync(ct);
        try
        {
            // The sweep's first round has run and found the deadline 10 s ahead: it now sleeps until due + grace.
            await Task.Delay(300, ct);
            h.Clock.SetUtcNow(due.AddSeconds(1));
            await Task.Delay(300, ct);
            Assert.Equal(CaseState.AwaitingContact, (await h.LoadAsync(id)).State);

            h.Clock.SetUtcNow(due.AddSeconds(2.1));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while ((await h.LoadAsync(id)).State != CaseState.PatrolRequested)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the sweep did not ring the deadline after its grace");
                await Task.Delay(50, ct);
            }
        }
        finally
        {
            await h.Sweeper.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Sweep_HandsOverOnlyTheAlarmsWithinTheHorizon_UpToItsCap()
    {
        await using var h = await Harness.CreateAsync(o =>
        {
            o.AlarmHorizon = TimeSpan.FromMinutes(10);
            o.MaxAlarmsPerRefill = 3;
        });
        var first = await h.CaseAwaitingContactAsync("62-2026-000000");
        for (var i = 1; i < 5; i++)
        {
            await h.CaseAwaitingContactAsync($"62-2026-00000{i}");
        }

        var armedAtCommit = h.Alarms.Armed.Count;
        var due = (await h.LoadAsync(first)).DueAtUtc!.Value;
        h.Clock.SetUtcNow(due.AddMinutes(-5));
        var sweep = await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, sweep.HandedOver);
        Assert.Equal(armedAtCommit + 3, h.Alarms.Armed.Count);
        Assert.All(h.Alarms.Armed.Skip(armedAtCommit), a => Assert.Equal(DeadlineKind.ContactDeadline, a.Kind));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Transition_AfterCommit_ArmsTheNewAlarmAndNotifies(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);

        var id = await h.CaseAwaitingContactAsync();

        var c = await h.LoadAsync(id);
        Assert.Equal(c.Alarm, h.Alarms.Armed[^1]);
        Assert.Equal([id, id], h.Notifier.Changes.Select(x => x.CaseId));
        Assert.Equal(CaseState.AwaitingContact, h.Notifier.Changes[^1].State);
    }

    [Fact]
    public async Task ReviewOverdue_RaisesOneAlertForSupervisors_AndKeepsTheState()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000009"), h.OfficerA);

        h.Clock.Advance(h.Options.ReviewDeadline + TimeSpan.FromMinutes(1));
        await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);
        await h.Sweeper.SweepOnceAsync(TestContext.Current.CancellationToken);

        var c = await h.LoadAsync(id);
        Assert.Equal(CaseState.AwaitingReview, c.State);
        Assert.True(c.IsOverdue(h.Now));
        Assert.Single(await h.AuditAsync(id), e => e.Action == "Alert.ReviewOverdue");
        Assert.Contains(h.Notifier.Changes, n => n.CaseId == id && n.Action == "Alert.ReviewOverdue");
    }

    [Fact]
    public async Task Officer_OfAnotherUnit_GetsNothing_AndTheAttemptIsAudited()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();

        await Assert.ThrowsAsync<CaseAccessDeniedException>(() => h.Workflow.GetAsync(id, h.OfficerB));
        await Assert.ThrowsAsync<CaseAccessDeniedException>(() =>
            h.Workflow.RecordAttemptAsync(id, 0, AttemptOutcome.NoAnswer, true, null, h.OfficerB));

        var denials = (await h.AuditAsync(id)).Where(e => e.Action == "AccessDenied").ToList();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, d => Assert.Equal("officer-b", d.Actor));
        Assert.Equal(CaseState.AwaitingContact, (await h.LoadAsync(id)).State);
    }

    [Fact]
    public async Task Dispatcher_CannotRecordACall_AndAnOfficerCannotReopen()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();

        await Assert.ThrowsAsync<ActionForbiddenException>(async () =>
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, true, null, h.Dispatcher));
        await h.Workflow.CloseAsync(id, await h.VersionAsync(id), ClosureReason.VictimDeclinedFollowUp, null, h.OfficerA);
        await Assert.ThrowsAsync<ActionForbiddenException>(async () =>
            await h.Workflow.ReopenAsync(id, await h.VersionAsync(id), "mistake", h.OfficerA));

        var reopened = await h.Workflow.ReopenAsync(id, await h.VersionAsync(id), "victim called the cell", h.Supervisor);
        Assert.Equal(CaseState.AwaitingContact, reopened.State);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Open_WithAReferenceAlreadyUsedInTheUnit_IsRefused(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000001"), h.OfficerA);

        var error = await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000001"), h.OfficerA));

        Assert.Contains("62-2026-000001", error.Message);
    }

    [Fact]
    public async Task SecondOfficer_CannotWorkACaseAnotherHolds()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();

        var error = await Assert.ThrowsAsync<CaseRuleException>(async () =>
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, true, null, h.OfficerA2));

        Assert.Contains("Another officer", error.Message);
        h.Clock.Advance(h.Options.StaleClaimAfter + TimeSpan.FromSeconds(1));
        var after = await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, true, null, h.OfficerA2);
        Assert.Equal("officer-a2", after.ClaimedBy);
    }

    /// <summary>
    /// On PostgreSQL a batch reads its cases unlocked, and in a burst the alarm that rings one of them on time commits
    /// first. The batch must then read and decide again, in one commit, instead of ringing every alarm on its own (a
    /// burst of 2,000 lost 2.6 s that way). Here another writer takes the middle case's alarm between the batch's read
    /// and its save.
    /// </summary>
    [Fact]
    public async Task ABatch_WhoseCaseAnotherWriterChanged_IsDecidedAgainInOneCommit_NotRungAlarmByAlarm()
    {
        var ct = TestContext.Current.CancellationToken;
        var interceptor = new AnotherWriterUnderTheFirstBatch();
        await using var h = await Harness.CreateAsync(DatabaseProvider.Postgres, database: o => o.AddInterceptors(interceptor));
        List<Guid> ids = [await h.CaseAwaitingContactAsync("62-2026-000101"), await h.CaseAwaitingContactAsync("62-2026-000102"),
            await h.CaseAwaitingContactAsync("62-2026-000103")];
        var due = (await h.LoadAsync(ids[0])).DueAtUtc!.Value;
        interceptor.Arm(ids[1], h.Databases);

        h.Clock.SetUtcNow(due.AddSeconds(1));
        var sweep = await h.Sweeper.SweepOnceAsync(ct);

        Assert.Equal(2, sweep.Fired);
        Assert.Equal(CaseState.PatrolRequested, (await h.LoadAsync(ids[0])).State);
        Assert.Equal(CaseState.AwaitingContact, (await h.LoadAsync(ids[1])).State);
        Assert.Equal(CaseState.PatrolRequested, (await h.LoadAsync(ids[2])).State);
        // The first save held the three cases and was refused; the second, read again, held the two still due.
        Assert.Equal([3, 2], interceptor.CasesPerSave);
        Assert.Equal(0, Count(await h.AuditAsync(ids[1]), CaseTrigger.ContactDeadlineElapsed));
        await using var db = await h.Databases.CreateDbContextAsync(ct);
        Assert.True((await Domain.Audit.AuditWriter.VerifyAsync(db, ct)).IsIntact);
    }

    /// <summary>Counts the cases each save changes; before the first save of several, another writer takes one case's alarm.</summary>
    private sealed class AnotherWriterUnderTheFirstBatch : SaveChangesInterceptor
    {
        private Guid? _target;
        private IDbContextFactory<Callback.Domain.Persistence.CallbackDbContext>? _databases;

        public List<int> CasesPerSave { get; } = [];

        public void Arm(Guid target, IDbContextFactory<Callback.Domain.Persistence.CallbackDbContext> databases) => (_target, _databases) = (target, databases);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (_target is not { } target || _databases is null)
            {
                return result;
            }

            CasesPerSave.Add(eventData.Context!.ChangeTracker.Entries<Case>().Count(e => e.State == EntityState.Modified));
            if (CasesPerSave.Count == 1)
            {
                // Committed on a connection of its own, as the alarm that rang on time would be.
                await using var other = await _databases.CreateDbContextAsync(cancellationToken);
                await other.Database.ExecuteSqlAsync(
                    $"UPDATE \"Cases\" SET \"Version\" = \"Version\" + 1, \"AlarmVersion\" = \"AlarmVersion\" + 1 WHERE \"Id\" = {target}",
                    cancellationToken);
            }

            return result;
        }
    }
}
