using System.Globalization;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Crash.Tests;

/// <summary>
/// Checks every invariant from the recorded history alone: each case's audit entries are replayed through the lifecycle
/// and compared with the case row (state, alarm, deadline, call attempts), every deadline firing is matched with the
/// alarm it spent, and the audit chain is verified against its head.
/// </summary>
public static class HistoryCheck
{
    private const string ContactDeadlineElapsed = nameof(CaseTrigger.ContactDeadlineElapsed);
    private const string CheckInDeadlineElapsed = nameof(CaseTrigger.CheckInDeadlineElapsed);
    private const string AlertPrefix = "Alert.";

    /// <summary>The actions that ask for a patrol (an alert or a claim on a pending request asks for none).</summary>
    private static readonly HashSet<string> PatrolRequesting =
        [nameof(CaseTrigger.RequestPatrol), ContactDeadlineElapsed, CheckInDeadlineElapsed, nameof(CaseTrigger.MaxAttemptsReached), nameof(CaseTrigger.Review)];

    /// <summary>The actions that record a call (a first contact that starts a follow-up, and each check-in, are calls).</summary>
    private static readonly HashSet<string> Calls =
        [nameof(CaseTrigger.RecordAttempt), nameof(CaseTrigger.RecordContact), nameof(CaseTrigger.StartFollowUp), nameof(CaseTrigger.RecordCheckIn)];

    public static async Task<HistoryReport> RunAsync(IDbContextFactory<CallbackDbContext> databases, DateTime nowUtc, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cases = await db.Cases.AsNoTracking().Include(c => c.Attempts).ToListAsync(cancellationToken);
        var entries = (await db.AuditEntries.AsNoTracking().Where(e => e.CaseId != null).OrderBy(e => e.Sequence).ToListAsync(cancellationToken))
            .ToLookup(e => e.CaseId!.Value);
        var chain = await AuditWriter.VerifyAsync(db, cancellationToken);

        var report = new HistoryReport { Cases = cases.Count, ChainIntact = chain.IsIntact, ChainMessage = chain.Message, AuditEntries = chain.EntriesChecked };
        foreach (var c in cases)
        {
            Replay(c, entries[c.Id].ToList(), report);
            // Lost: an alarm whose instant passed (beyond the tolerance) and that nobody rang.
            if (c.AlarmDueUtc is { } due && due < nowUtc - tolerance)
            {
                report.Problems.Add($"case {c.Id}: {c.AlarmKind} due {due:O} never fired ({(nowUtc - due).TotalSeconds:0.0} s late)");
                report.LostDeadlines++;
            }
        }

        return report;
    }

    private static void Replay(Case c, List<AuditEntry> history, HistoryReport report)
    {
        CaseState? state = null;
        DeadlineKind? armed = null;
        var attempts = 0;
        foreach (var e in history)
        {
            report.Transitions++;
            if (e.Action == "Open")
            {
                if (state is not null)
                {
                    Fail(report, c, $"opened twice (entry {e.Sequence})", half: true);
                }

                state = CaseState.AwaitingReview;
                armed = DeadlineKind.ReviewOverdue;
                continue;
            }

            var from = Parse(e.FromState);
            var to = Parse(e.ToState) ?? state;
            if (from != state)
            {
                Fail(report, c, $"entry {e.Sequence} ({e.Action}) starts from {e.FromState} but the history had the case in {state}", half: true);
            }

            if (e.Action is ContactDeadlineElapsed or CheckInDeadlineElapsed || e.Action.StartsWith(AlertPrefix, StringComparison.Ordinal))
            {
                report.DeadlinesFired++;
                var kind = e.Action switch
                {
                    ContactDeadlineElapsed => DeadlineKind.ContactDeadline,
                    CheckInDeadlineElapsed => DeadlineKind.CheckInDeadline,
                    _ => Enum.Parse<DeadlineKind>(e.Action[AlertPrefix.Length..]),
                };
                if (armed != kind)
                {
                    report.Problems.Add($"case {c.Id}: {e.Action} at entry {e.Sequence} rang an alarm that was not set (or had already rung)");
                    report.DuplicateFirings++;
                }

                report.RecordLateness(e);
                armed = null;
            }

            if (to == CaseState.PatrolRequested && (from != CaseState.PatrolRequested || PatrolRequesting.Contains(e.Action)))
            {
                report.PatrolRequests++;
                if (state is CaseState.PatrolRequested or CaseState.PatrolDispatched)
                {
                    report.Problems.Add($"case {c.Id}: a second patrol request at entry {e.Sequence} while one was pending");
                    report.DuplicatePatrolRequests++;
                }
            }

            if (to == CaseState.PatrolProposed && from != CaseState.PatrolProposed)
            {
                report.Proposals++;
            }

            if (Calls.Contains(e.Action))
            {
                attempts++;
            }

            if (e.Action is nameof(CaseTrigger.StartFollowUp) or nameof(CaseTrigger.RecordCheckIn) or CheckInDeadlineElapsed || e.Action == AlertPrefix + nameof(DeadlineKind.CheckInDeadline))
            {
                report.FollowUpEntries++;
            }

            if (to != state)
            {
                armed = AlarmOf(to!.Value);
            }
            else if (e.Action == nameof(CaseTrigger.RecordCheckIn))
            {
                // The plan goes on: the next check-in is armed.
                armed = DeadlineKind.CheckInDeadline;
            }
            else if (e.Action == nameof(CaseTrigger.Acknowledge))
            {
                // Seen by dispatch: its acknowledgement alarm is spent without ringing.
                armed = null;
            }

            state = to;
        }

        if (state != c.State)
        {
            Fail(report, c, $"the history ends in {state} but the case row says {c.State}", half: true);
        }

        if (armed != c.AlarmKind)
        {
            Fail(report, c, $"the history leaves alarm {armed?.ToString() ?? "none"} but the case row has {c.AlarmKind?.ToString() ?? "none"}", half: true);
        }

        if ((c.State == CaseState.AwaitingContact || (c.State == CaseState.FollowUp && c.AlarmKind is not null)) && c.AlarmDueUtc != c.DueAtUtc)
        {
            Fail(report, c, $"{c.State} deadline {c.DueAtUtc:O} and alarm {c.AlarmDueUtc:O} disagree", half: true);
        }

        if (attempts != c.Attempts.Count)
        {
            Fail(report, c, $"{attempts} calls in the history but {c.Attempts.Count} call rows", half: true);
        }
    }

    /// <summary>The alarm a case carries on entering <paramref name="state"/>.</summary>
    private static DeadlineKind? AlarmOf(CaseState state) => state switch
    {
        CaseState.AwaitingReview => DeadlineKind.ReviewOverdue,
        CaseState.AwaitingContact => DeadlineKind.ContactDeadline,
        CaseState.PatrolRequested => DeadlineKind.DispatchAcknowledgementOverdue,
        CaseState.PatrolDispatched => DeadlineKind.PatrolReportOverdue,
        CaseState.FollowUp => DeadlineKind.CheckInDeadline,
        CaseState.PatrolProposed => DeadlineKind.PatrolProposalOverdue,
        _ => null,
    };

    private static CaseState? Parse(string? state) => state is null ? null : Enum.Parse<CaseState>(state);

    private static void Fail(HistoryReport report, Case c, string what, bool half)
    {
        report.Problems.Add($"case {c.Id}: {what}");
        if (half)
        {
            report.HalfApplied++;
        }
    }
}

public sealed class HistoryReport
{
    private readonly List<double> _lateness = [];

    public int Cases { get; init; }
    public long AuditEntries { get; init; }
    public bool ChainIntact { get; init; }
    public string ChainMessage { get; init; } = "";
    public int Transitions { get; set; }
    public int DeadlinesFired { get; set; }
    public int PatrolRequests { get; set; }

    /// <summary>Plans started, check-ins made and check-ins missed: the follow-up was exercised.</summary>
    public int FollowUpEntries { get; set; }

    /// <summary>Automatic patrols the governor held back as proposals: the campaign path was exercised.</summary>
    public int Proposals { get; set; }
    public int LostDeadlines { get; set; }
    public int DuplicateFirings { get; set; }
    public int DuplicatePatrolRequests { get; set; }
    public int HalfApplied { get; set; }
    public List<string> Problems { get; } = [];

    /// <summary>How late each deadline rang (its due instant is in the entry's reason), including the app's downtime.</summary>
    public void RecordLateness(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        const string prefix = "deadline ";
        if (entry.Reason is { } reason && reason.StartsWith(prefix, StringComparison.Ordinal)
            && DateTime.TryParse(reason[prefix.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var due))
        {
            _lateness.Add((entry.AtUtc - due).TotalSeconds);
        }
    }

    public double LatenessPercentile(double p)
    {
        if (_lateness.Count == 0)
        {
            return 0;
        }

        var sorted = _lateness.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cases {Cases}, transitions {Transitions} (audit entries {AuditEntries}), deadlines fired {DeadlinesFired} " +
        $"(lateness p50 {LatenessPercentile(0.5):0.0} s, p99 {LatenessPercentile(0.99):0.0} s, max {LatenessPercentile(1):0.0} s), " +
        $"patrol requests {PatrolRequests}, patrols proposed {Proposals}, follow-up entries {FollowUpEntries}, lost {LostDeadlines}, duplicate firings {DuplicateFirings}, " +
        $"duplicate patrol requests {DuplicatePatrolRequests}, half-applied {HalfApplied}, chain {(ChainIntact ? "intact" : "BROKEN")} ({ChainMessage})");
}
