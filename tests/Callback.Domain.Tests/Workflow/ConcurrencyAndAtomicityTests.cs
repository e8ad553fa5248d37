using Callback.Web.Persistence;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Tests.Workflow;

public class ConcurrencyAndAtomicityTests
{
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TwoUsersActingOnTheSameVersion_ExactlyOneWins_TheOtherGetsAConflict(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var version = await h.VersionAsync(id);

        var results = await Task.WhenAll(
            Outcome(() => h.Workflow.AddNoteAsync(id, version, "called the neighbour", h.OfficerA)),
            Outcome(() => h.Workflow.RaiseDangerAsync(id, version, DangerLevel.High, "new threats", h.Supervisor)));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is CaseConflictException);
        Assert.Equal(version + 1, await h.VersionAsync(id));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ConcurrencyToken_RefusesASaveBasedOnAStaleRead_EvenWithoutTheWorkflowsCheck(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        await using var first = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await using var second = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var a = await first.Cases.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        var b = await second.Cases.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);

        a.AddNote("first", "officer-a", h.Now);
        first.Entry(a).Property(c => c.Version).CurrentValue = a.Version + 1;
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);
        b.AddNote("second", "officer-a2", h.Now);
        second.Entry(b).Property(c => c.Version).CurrentValue = b.Version + 1;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Transition_WhenTheAuditWriteFails_CommitsNothing_AndSetsNoAlarm(DatabaseProvider provider)
    {
        var failure = new FailOnCommand("INSERT INTO \"AuditEntries\"");
        await using var h = await Harness.CreateAsync(provider, database: o => o.AddInterceptors(failure));
        var id = await h.CaseAwaitingContactAsync();
        var before = await h.LoadAsync(id);
        var auditBefore = (await h.AuditAsync()).Count;
        var alarmsBefore = h.Alarms.Armed.Count;
        var notificationsBefore = h.Notifier.Changes.Count;
        failure.Armed = true;

        await Assert.ThrowsAnyAsync<Exception>(() =>
            h.Workflow.RequestPatrolAsync(id, before.Version, "screams heard by a neighbour", h.OfficerA));
        failure.Armed = false;

        var after = await h.LoadAsync(id);
        Assert.True(failure.Tripped, "the injected failure must have fired between the case update and the audit insert");
        Assert.Equal(CaseState.AwaitingContact, after.State);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Alarm, after.Alarm);
        Assert.Null(after.Patrol.Reason);
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
        Assert.Equal(alarmsBefore, h.Alarms.Armed.Count);
        Assert.Equal(notificationsBefore, h.Notifier.Changes.Count);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Transition_WhenTheCaseUpdateFails_WritesNoAuditEntry(DatabaseProvider provider)
    {
        var failure = new FailOnCommand("UPDATE \"Cases\"");
        await using var h = await Harness.CreateAsync(provider, database: o => o.AddInterceptors(failure));
        var id = await h.CaseAwaitingContactAsync();
        var auditBefore = (await h.AuditAsync()).Count;
        failure.Armed = true;

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, true, null, h.OfficerA));
        failure.Armed = false;

        Assert.True(failure.Tripped);
        Assert.Empty((await h.LoadAsync(id)).Attempts);
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);
    }

    private static async Task<Exception?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (CaseConflictException ex)
        {
            return ex;
        }
    }
}
