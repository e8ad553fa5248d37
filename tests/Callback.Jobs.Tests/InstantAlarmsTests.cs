using System.Collections.Concurrent;
using Callback.Domain.Cases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Jobs.Tests;

/// <summary>Issue 16.7: a deadline of the next minutes rings at its instant, from memory, once per alarm.</summary>
public class InstantAlarmsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private sealed class Rings
    {
        public ConcurrentQueue<(CaseAlarm Alarm, DateTimeOffset At)> Heard { get; } = new();

        public Queue<DeadlineFiring> Answers { get; } = new();
    }

    private static (InstantAlarms Alarms, FakeTimeProvider Clock, Rings Rings) Create()
    {
        var clock = new FakeTimeProvider(Now);
        var rings = new Rings();
        var alarms = new InstantAlarms(clock, (alarm, _) =>
        {
            rings.Heard.Enqueue((alarm, clock.GetUtcNow()));
            return Task.FromResult(rings.Answers.Count > 0 ? rings.Answers.Dequeue() : DeadlineFiring.Applied);
        }, NullLogger<InstantAlarms>.Instance);
        return (alarms, clock, rings);
    }

    [Fact]
    public void AnAlarm_RingsAtItsInstant_NotBefore_AndOnlyOnce_EvenScheduledTwice()
    {
        var (alarms, clock, rings) = Create();
        var alarm = new CaseAlarm(Guid.NewGuid(), 3, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddSeconds(3));

        alarms.Schedule(alarm);
        alarms.Schedule(alarm);
        clock.Advance(TimeSpan.FromMilliseconds(2_999));
        Assert.Empty(rings.Heard);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        clock.Advance(TimeSpan.FromSeconds(10));

        var (heard, at) = Assert.Single(rings.Heard);
        Assert.Equal(alarm, heard);
        Assert.Equal(Now.AddSeconds(3), at);
        Assert.Equal(0, alarms.Pending);
    }

    [Fact]
    public void ATimerAMomentEarly_AsksAgainTwentyMillisecondsLater_UntilTheWorkflowSaysDue()
    {
        var (alarms, clock, rings) = Create();
        rings.Answers.Enqueue(DeadlineFiring.NotDueYet);
        rings.Answers.Enqueue(DeadlineFiring.NotDueYet);
        alarms.Schedule(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddSeconds(1)));

        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromMilliseconds(20));
        clock.Advance(TimeSpan.FromMilliseconds(20));
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([Now.AddSeconds(1), Now.AddSeconds(1.02), Now.AddSeconds(1.04)], rings.Heard.Select(r => r.At));
        Assert.Equal(0, alarms.Pending);
    }

    [Fact]
    public void BeyondItsLimit_AlarmsAreLeftToTheJobStoreAndTheSweep()
    {
        var (alarms, clock, rings) = Create();
        for (var i = 0; i < InstantAlarms.MaxPending + 100; i++)
        {
            alarms.Schedule(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddMinutes(5)));
        }

        Assert.Equal(InstantAlarms.MaxPending, alarms.Pending);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(InstantAlarms.MaxPending, rings.Heard.Count);
    }

    [Fact]
    public void ThePump_GivesTheInstantAlarmsWhatItGivesTheJobStore_WithinTheHorizonAndTheBurstShare()
    {
        var (alarms, _, _) = Create();
        var pump = new AlarmPump(new NoJobs(), new FakeTimeProvider(Now),
            Options.Create(new WorkflowOptions { MaxAlarmsPerSecond = 50, AlarmHorizon = TimeSpan.FromMinutes(10) }),
            new JobStoreStatus(TimeProvider.System), new SweepSignal(), NullLogger<AlarmPump>.Instance, alarms);

        pump.Arm(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddHours(1)));
        for (var i = 0; i < 200; i++)
        {
            pump.Arm(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddMinutes(2)));
        }

        Assert.Equal(50, alarms.Pending);
        Assert.Equal(50, pump.Backlog);
    }
}
