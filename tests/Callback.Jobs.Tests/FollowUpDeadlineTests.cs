using Callback.Domain.Cases;
using Callback.Jobs.Mail;
using Callback.Web.Features.Dispatch;
using Callback.Web.Persistence;

namespace Callback.Jobs.Tests;

/// <summary>
/// Issue 17 on both providers: a missed check-in sends one patrol when danger is high and raises one alert otherwise,
/// however often or late its alarm rings; calling a patrol off takes it off the board.
/// </summary>
public class FollowUpDeadlineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Reached and put under the plan of <paramref name="danger"/>: the first check-in is armed.</summary>
    private static async Task<Guid> UnderFollowUpAsync(Harness h, string reference, DangerLevel danger)
    {
        var id = await h.CaseAwaitingContactAsync(reference, danger);
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(true, danger, false, "{}") { Then = AfterContact.FollowUp }, h.OfficerA);
        return id;
    }

    /// <summary>The alarm rung twice on time and once six hours late, and two sweeps: what a retrying job store and a late node do.</summary>
    private static async Task RingEveryWayAsync(Harness h, CaseAlarm alarm)
    {
        var job = new DeadlineAlarmJob(h.Workflow, h.Alarms, h.Clock);
        h.Clock.SetUtcNow(alarm.DueUtc.AddSeconds(3));
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, Ct);
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
        h.Clock.SetUtcNow(alarm.DueUtc.AddHours(6));
        await job.RingAsync(alarm.CaseId, alarm.Version, alarm.Kind, Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AMissedHighDangerCheckIn_RequestsOnePatrol(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await UnderFollowUpAsync(h, "62-2026-017001", DangerLevel.High);
        var alarm = (await h.LoadAsync(id)).Alarm!;
        Assert.Equal(DeadlineKind.CheckInDeadline, alarm.Kind);
        Assert.Equal(h.Options.CheckInsFor(DangerLevel.High)[0] + h.Options.HighDangerCheckInDeadline, alarm.DueUtc - (await h.LoadAsync(id)).FollowUpStartedAtUtc!.Value);

        await RingEveryWayAsync(h, alarm);

        var c = await h.LoadAsync(id);
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(PatrolReason.CheckInDeadlineElapsed, c.Patrol.Reason);
        var audit = await h.AuditAsync(id);
        Assert.Single(audit, e => e.Action == nameof(CaseTrigger.CheckInDeadlineElapsed));
        Assert.DoesNotContain(audit, e => e.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.CheckInDeadline));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AMissedModerateCheckIn_RaisesOneAlert_SendsNoPatrol_AndTheCheckInStaysToDo(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await UnderFollowUpAsync(h, "62-2026-017002", DangerLevel.Moderate);
        var alarm = (await h.LoadAsync(id)).Alarm!;

        await RingEveryWayAsync(h, alarm);

        var c = await h.LoadAsync(id);
        Assert.Equal(CaseState.FollowUp, c.State);
        Assert.True(c.IsOverdue(h.Now), "the missed check-in stays on the queue, overdue, until someone calls");
        var audit = await h.AuditAsync(id);
        Assert.Single(audit, e => e.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.CheckInDeadline));
        Assert.DoesNotContain(audit, e => e.Action is nameof(CaseTrigger.CheckInDeadlineElapsed) or nameof(CaseTrigger.RequestPatrol));
        Assert.Contains(h.Notifier.Changes, n => n.CaseId == id && n.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.CheckInDeadline));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ALowDangerCase_FollowedForAMeasureEnding_RaisesOneAlertWhenThatCheckInIsMissed(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync("62-2026-017003", DangerLevel.Low);
        var release = h.Now.AddDays(20);
        await h.Workflow.AddMeasureAsync(id, await h.VersionAsync(id), MeasureKind.PerpetratorInCustody, null, release, h.OfficerA);
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(true, DangerLevel.Low, false, "{}") { Then = AfterContact.FollowUp }, h.OfficerA);
        var c = await h.LoadAsync(id);
        // Low danger has no plan of its own: the one check-in is the release's, a week before it.
        Assert.Equal(release - h.Options.MeasureCheckInLead, c.ContactWindowOpensAtUtc);

        await RingEveryWayAsync(h, c.Alarm!);

        Assert.Equal(CaseState.FollowUp, (await h.LoadAsync(id)).State);
        Assert.Single(await h.AuditAsync(id), e => e.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.CheckInDeadline));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task CallingOffAPatrol_TakesItOffTheBoard_AndItsAlarmNoLongerRings(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync("62-2026-017004", DangerLevel.High);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "voisins inquiets", h.OfficerA);
        var board = new DispatchBoardService(h.Databases);
        Assert.Contains(await board.LoadAsync(h.Dispatcher, Ct), b => b.Id == id);
        var acknowledgement = (await h.LoadAsync(id)).Alarm!;

        await h.Workflow.CallOffPatrolAsync(id, await h.VersionAsync(id), PatrolCallOff.VictimCalledBack, null, h.Dispatcher);

        Assert.DoesNotContain(await board.LoadAsync(h.Dispatcher, Ct), b => b.Id == id);
        var c = await h.LoadAsync(id);
        Assert.Equal(CaseState.AwaitingContact, c.State);
        // The request's acknowledgement alarm is spent: ringing it now changes nothing.
        h.Clock.SetUtcNow(acknowledgement.DueUtc.AddSeconds(1));
        var ringing = await h.Workflow.FireDeadlineAsync(acknowledgement.CaseId, acknowledgement.Version, acknowledgement.Kind, Ct);
        Assert.NotEqual(DeadlineFiring.Applied, ringing);
        Assert.DoesNotContain(await h.AuditAsync(id), e => e.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.DispatchAcknowledgementOverdue));
        Assert.Single(await h.AuditAsync(id), e => e.Action == nameof(CaseTrigger.CallOffPatrol));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Acknowledging_StopsTheAcknowledgementAlert_AndKeepsTheRequestOnTheBoard(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync("62-2026-017005", DangerLevel.High);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "voisins inquiets", h.OfficerA);
        var acknowledgement = (await h.LoadAsync(id)).Alarm!;

        await h.Workflow.AcknowledgeAsync(id, await h.VersionAsync(id), h.Dispatcher);
        await RingEveryWayAsync(h, acknowledgement);

        var row = Assert.Single(await new DispatchBoardService(h.Databases).LoadAsync(h.Dispatcher, Ct), b => b.Id == id);
        Assert.True(row.AwaitsCrew);
        Assert.DoesNotContain(await h.AuditAsync(id), e => e.Action == Domain.Audit.AuditActions.Alert(DeadlineKind.DispatchAcknowledgementOverdue));
    }

    [Fact]
    public void EveryDeadlineAlert_HasItsFrenchSubject()
    {
        foreach (var kind in Enum.GetValues<DeadlineKind>())
        {
            var action = Domain.Audit.AuditActions.Alert(kind);
            Assert.NotEqual(action, MailComposer.KindText(action));
        }
    }
}
