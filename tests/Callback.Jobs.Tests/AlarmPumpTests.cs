using Callback.Domain.Cases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Jobs.Tests;

public class AlarmPumpTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static (AlarmPump Pump, SweepSignal Signal) Pump(int perSecond = 50)
    {
        var clock = new FakeTimeProvider(Now);
        var signal = new SweepSignal();
        var options = Options.Create(new WorkflowOptions { MaxAlarmsPerSecond = perSecond, AlarmHorizon = TimeSpan.FromMinutes(10) });
        var pump = new AlarmPump(new NoJobs(), clock, options, new JobStoreStatus(clock), signal, NullLogger<AlarmPump>.Instance);
        return (pump, signal);
    }

    [Fact]
    public void Burst_GivesTheJobStoreOnlyItsShareOfEachSecond_AndWakesTheSweepAtTheEndOfThatSecond()
    {
        var (pump, signal) = Pump(perSecond: 50);
        var due = Now.UtcDateTime.AddMinutes(2).AddMilliseconds(300);

        for (var i = 0; i < 1_000; i++)
        {
            pump.Arm(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, due));
        }

        Assert.Equal(50, pump.Backlog);
        Assert.Equal(due.AddMilliseconds(700), signal.Peek().EarliestUtc);
    }

    [Fact]
    public void AlarmBeyondTheHorizon_IsLeftToTheSweep()
    {
        var (pump, signal) = Pump();

        pump.Arm(new CaseAlarm(Guid.NewGuid(), 1, DeadlineKind.ContactDeadline, Now.UtcDateTime.AddHours(1)));

        Assert.Equal(0, pump.Backlog);
        Assert.Null(signal.Peek().EarliestUtc);
    }

    [Fact]
    public void SweepSignal_ForgetsTheWakeUpsASweepCovered_AndKeepsTheLaterOnes()
    {
        var signal = new SweepSignal();
        var t = Now.UtcDateTime;
        signal.WakeAt(t.AddSeconds(5.2));
        signal.WakeAt(t.AddSeconds(1.5));
        var changed = signal.Peek().Changed;
        signal.WakeAt(t.AddSeconds(0.1));

        Assert.True(changed.IsCompleted, "an earlier wake-up must interrupt the sweep's sleep");
        Assert.Equal(t.AddSeconds(1), signal.Peek().EarliestUtc);
        signal.Covered(t.AddSeconds(2));
        Assert.Equal(t.AddSeconds(6), signal.Peek().EarliestUtc);
    }
}
