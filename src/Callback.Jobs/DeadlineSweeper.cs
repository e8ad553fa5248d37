using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Jobs;

/// <summary>
/// The safety net under the alarms, independent of the job store: every few seconds it fires each deadline that is due
/// in the database (alarm lost, job store stalled, crash between commit and scheduling, downtime), and it hands the
/// alarms entering the horizon over to the job store. Firing is idempotent, so several sweepers on several nodes agree.
/// </summary>
public sealed partial class DeadlineSweeper(
    IDbContextFactory<CallbackDbContext> databases,
    CaseWorkflowService workflow,
    IDeadlineAlarms alarms,
    SweepSignal signal,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    /// <summary>A sweep stops after this many batches so one round cannot run forever on rows that keep conflicting.</summary>
    private const int MaxBatchesPerSweep = 1_000;

    private DateTime _handedOverUntilUtc = DateTime.MinValue;

    /// <summary>When the last sweep finished, for /health.</summary>
    public DateTime? LastSweepUtc { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var startedUtc = Now();
            try
            {
                await SweepOnceAsync(stoppingToken);
                signal.Covered(startedUtc);
            }
#pragma warning disable CA1031 // One failed round (database busy, say) must not end the sweeping: the next tick tries again.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, ex);
            }

            await WaitForNextRoundAsync(await NextWakeAsync(startedUtc, stoppingToken), stoppingToken);
        }
    }

    /// <summary>
    /// The next periodic round, or sooner: the grace after the next deadline the database knows of, so a deadline the
    /// job store fails to ring on time is rung by the sweep shortly after.
    /// </summary>
    private async Task<DateTime> NextWakeAsync(DateTime startedUtc, CancellationToken cancellationToken)
    {
        var tick = startedUtc + options.Value.SweepInterval;
        try
        {
            var now = Now();
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var next = await db.Cases.AsNoTracking().Where(c => c.AlarmDueUtc != null && c.AlarmDueUtc > now)
                .OrderBy(c => c.AlarmDueUtc).Select(c => c.AlarmDueUtc).FirstOrDefaultAsync(cancellationToken);
            return next is { } due && due + options.Value.SweepGrace < tick ? due + options.Value.SweepGrace : tick;
        }
#pragma warning disable CA1031 // Not knowing the next deadline only means waiting for the periodic round.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogSweepFailed(logger, ex);
            return tick;
        }
    }

    /// <summary>Sleeps until the next periodic round, or until the instant a burst asked for, whichever comes first.</summary>
    private async Task WaitForNextRoundAsync(DateTime nextTickUtc, CancellationToken stoppingToken)
    {
        while (true)
        {
            var (earliest, changed) = signal.Peek();
            var wakeUtc = earliest is { } e && e < nextTickUtc ? e : nextTickUtc;
            var delay = wakeUtc - Now();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var sleeping = Task.Delay(delay, clock, wait.Token);
            var first = await Task.WhenAny(sleeping, changed);
            await wait.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
            if (first == sleeping)
            {
                return;
            }
        }
    }

    /// <summary>One round: fire what is due, then hand over what comes within the horizon.</summary>
    public async Task<SweepResult> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.SweepBatchSize;
        int fired = 0, stale = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
        {
            var now = Now();
            List<CaseAlarm> due;
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            {
                due = await db.Cases.AsNoTracking()
                    .Where(c => c.AlarmDueUtc != null && c.AlarmDueUtc <= now)
                    .OrderBy(c => c.AlarmDueUtc)
                    .Select(c => new CaseAlarm(c.Id, c.AlarmVersion, c.AlarmKind!.Value, c.AlarmDueUtc!.Value))
                    .Take(batchSize)
                    .ToListAsync(cancellationToken);
            }

            // One transaction per batch: a burst of thousands is fired in seconds, not one commit at a time.
            var firedNow = await workflow.FireDeadlinesAsync(due, cancellationToken);
            fired += firedNow;
            stale += due.Count - firedNow;

            if (due.Count < batchSize)
            {
                break;
            }
        }

        var handedOver = await HandOverUpcomingAsync(cancellationToken);
        LastSweepUtc = Now();
        if (fired > 0)
        {
            LogSwept(logger, fired, stale, handedOver);
        }

        return new SweepResult(fired, stale, handedOver);
    }

    private async Task<int> HandOverUpcomingAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var horizon = now + options.Value.AlarmHorizon;
        var from = _handedOverUntilUtc;
        List<CaseAlarm> upcoming;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            upcoming = await db.Cases.AsNoTracking()
                .Where(c => c.AlarmDueUtc != null && c.AlarmDueUtc > from && c.AlarmDueUtc > now && c.AlarmDueUtc <= horizon)
                .OrderBy(c => c.AlarmDueUtc)
                .Take(options.Value.MaxAlarmsPerRefill)
                .Select(c => new CaseAlarm(c.Id, c.AlarmVersion, c.AlarmKind!.Value, c.AlarmDueUtc!.Value))
                .ToListAsync(cancellationToken);
        }

        foreach (var alarm in upcoming)
        {
            alarms.Arm(alarm);
        }

        // Beyond the cap, the rest of this window stays in the database: the sweep fires it when it falls due.
        _handedOverUntilUtc = horizon;
        return upcoming.Count;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline sweep failed; retrying at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep fired {Fired} deadlines ({Stale} already handled), handed {HandedOver} alarms to the job store")]
    private static partial void LogSwept(ILogger logger, int fired, int stale, int handedOver);
}

public sealed record SweepResult(int Fired, int Stale, int HandedOver);
