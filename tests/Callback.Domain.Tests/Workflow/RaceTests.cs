using System.Diagnostics;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Tests.Workflow;

/// <summary>
/// Races on a real SQLite file through the workflow service, each caller with its own context and transaction: two users
/// on one case at the same instant, a thousand times, and one user's hundred clicks on the same action. The file has the
/// app's pragmas (WAL, busy timeout, BEGIN IMMEDIATE) except that commits are not flushed to disk: locking decides a
/// race, durability does not, and a thousand fsyncs would make this test a minute slower.
/// </summary>
public class RaceTests(ITestOutputHelper output)
{
    private const int Trials = 1_000;
    private const int MaxAttempts = 10_000;
    private const int Clicks = 100;

    /// <summary>A case waiting for its first call, of a victim of its own (<see cref="OneVictimsCaseAsync"/>).</summary>
    private static Task<Guid> AwaitingContact(Harness h, int trial) => OneVictimsCaseAsync(h, trial);

    /// <summary>A victim reached and put under follow-up: her first check-in is armed (issue 17).</summary>
    private static async Task<Guid> UnderFollowUp(Harness h, int trial)
    {
        var id = await OneVictimsCaseAsync(h, trial);
        await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(false, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, h.OfficerA);
        return id;
    }

    /// <summary>A patrol asked for and not yet acknowledged.</summary>
    private static async Task<Guid> PatrolRequested(Harness h, int trial)
    {
        var id = await OneVictimsCaseAsync(h, trial);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "worried", h.OfficerA);
        return id;
    }

    /// <summary>
    /// A campaign case whose calls ran out while the unit's automatic patrols were spent: the governor proposed its patrol
    /// (issue 18). The unit's places are spent for two days of the harness's clock once, on the first call.
    /// </summary>
    private static async Task<Guid> PatrolProposed(Harness h, int trial)
    {
        var id = await OneVictimsCaseAsync(h, trial);
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            var campaign = await db.Campaigns.OrderBy(c => c.Id).Select(c => (int?)c.Id).FirstOrDefaultAsync();
            if (campaign is null)
            {
                var opened = new global::Callback.Domain.Units.Campaign("Réexamen", h.Now, h.Now, h.Now, "supervisor-62");
                db.Campaigns.Add(opened);
                await db.SaveChangesAsync();
                campaign = opened.Id;
                var hour = global::Callback.Domain.Workflow.PatrolGovernor.HourOf(h.Now);
                for (var spent = hour; spent < hour + 48; spent++)
                {
                    await db.Database.ExecuteSqlAsync($"INSERT INTO \"PatrolBudgets\" (\"UnitId\", \"Hour\", \"Raised\") VALUES ({h.UnitA}, {spent}, {int.MaxValue})");
                }
            }

            await db.Cases.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.CampaignId, campaign));
        }

        for (var call = 0; call < h.Options.MaxAttempts; call++)
        {
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, false, null, h.OfficerA);
        }

        return id;
    }

    /// <summary>Two users, each with the version they last saw, released together by a barrier, from the state <c>Start</c> leaves.</summary>
    private static readonly (string Name, Func<Harness, int, Task<Guid>> Start, Func<Harness, Guid, int, Task> First, Func<Harness, Guid, int, Task> Second)[] Pairs =
    [
        ("contact vs patrol", AwaitingContact, (h, id, v) => h.Workflow.RecordContactAsync(id, v, new ContactReport(false, DangerLevel.Moderate, false, null), h.OfficerA),
            (h, id, v) => h.Workflow.RequestPatrolAsync(id, v, "worried", h.Supervisor)),
        ("attempt vs danger", AwaitingContact, (h, id, v) => h.Workflow.RecordAttemptAsync(id, v, AttemptOutcome.NoAnswer, false, null, h.OfficerA),
            (h, id, v) => h.Workflow.RaiseDangerAsync(id, v, DangerLevel.High, "new threats", h.Supervisor)),
        ("note vs close", AwaitingContact, (h, id, v) => h.Workflow.AddNoteAsync(id, v, "called the neighbour", h.OfficerA2),
            (h, id, v) => h.Workflow.CloseAsync(id, v, ClosureReason.Duplicate, null, h.Supervisor)),
        ("note vs note", AwaitingContact, (h, id, v) => h.Workflow.AddNoteAsync(id, v, "first", h.OfficerA),
            (h, id, v) => h.Workflow.AddNoteAsync(id, v, "second", h.OfficerA2)),
        ("check-in vs close", UnderFollowUp, (h, id, v) => h.Workflow.RecordContactAsync(id, v, new ContactReport(false, DangerLevel.Moderate, false, null), h.OfficerA),
            (h, id, v) => h.Workflow.CloseAsync(id, v, ClosureReason.Other, "moved away", h.Supervisor)),
        ("measure vs check-in", UnderFollowUp, (h, id, v) => h.Workflow.AddMeasureAsync(id, v, MeasureKind.ProtectionOrder, null, h.Now.AddDays(12), h.OfficerA2),
            (h, id, v) => h.Workflow.RecordContactAsync(id, v, new ContactReport(false, DangerLevel.Moderate, false, null), h.OfficerA)),
        ("acknowledge vs call off", PatrolRequested, (h, id, v) => h.Workflow.AcknowledgeAsync(id, v, h.Dispatcher),
            (h, id, v) => h.Workflow.CallOffPatrolAsync(id, v, PatrolCallOff.VictimCalledBack, null, h.OfficerA)),
        ("confirm vs decline", PatrolProposed, (h, id, v) => h.Workflow.ConfirmPatrolAsync(id, v, null, h.Supervisor),
            (h, id, v) => h.Workflow.DeclinePatrolAsync(id, v, "her sister saw her this morning", Harness.Admin)),
        ("dispatch vs call off", PatrolRequested, (h, id, v) => h.Workflow.DispatchAsync(id, v, "PS-1", h.Dispatcher),
            (h, id, v) => h.Workflow.CallOffPatrolAsync(id, v, PatrolCallOff.ReachedAnotherWay, null, h.OfficerA)),
    ];

    [Fact]
    public async Task TwoUsersOnOneCase_AtTheSameInstant_AThousandTimes_ExactlyOneWinsEachTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync(database: Harness.NoFsync);
        var watch = Stopwatch.StartNew();
        int conflicts = 0, overlapping = 0, trial = 0;
        var raced = new Dictionary<Guid, (int Version, int Entries)>();
        // A thousand real races: trials go on until a thousand had both calls in flight at once (on a loaded machine one
        // call may finish before the other starts; that trial must still have one winner, but it is not counted as a race).
        for (; overlapping < Trials && trial < MaxAttempts; trial++)
        {
            var (name, start, first, second) = Pairs[trial % Pairs.Length];
            var id = await start(h, trial);
            var version = await h.VersionAsync(id);
            raced[id] = (version, await AuditCountAsync(h, id, ct));

            using var barrier = new Barrier(2);
            var results = await Task.WhenAll(
                RaceAsync(barrier, () => first(h, id, version), ct),
                RaceAsync(barrier, () => second(h, id, version), ct));

            var winners = results.Count(r => r.Error is null);
            Assert.True(winners == 1, $"trial {trial} ({name}): {winners} winners; errors: {string.Join(", ", results.Select(r => r.Error?.GetType().Name ?? "none"))}");
            Assert.IsType<CaseConflictException>(results.Single(r => r.Error is not null).Error);
            conflicts++;
            // Both calls were in flight at once (neither finished before the other started): a real race, not a queue.
            overlapping += results[0].StartedTicks < results[1].EndedTicks && results[1].StartedTicks < results[0].EndedTicks ? 1 : 0;
        }

        // Each case moved one version past the race, and its audit gained the winner's entry: nothing of the loser.
        await using (var check = await h.Databases.CreateDbContextAsync(ct))
        {
            var versions = await check.Cases.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Version, ct);
            var entries = await check.AuditEntries.AsNoTracking().Where(e => e.CaseId != null).GroupBy(e => e.CaseId!.Value)
                .Select(g => new { Id = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, ct);
            Assert.All(raced, r => Assert.Equal(r.Value.Version + 1, versions[r.Key]));
            Assert.All(raced, r => Assert.Equal(r.Value.Entries + 1, entries[r.Key]));
        }

        await using var db = await h.Databases.CreateDbContextAsync(ct);
        var chain = await AuditWriter.VerifyAsync(db, ct);
        output.WriteLine($"{trial} trials in {watch.Elapsed.TotalSeconds:0.0} s: {trial} winners, {conflicts} conflicts, {overlapping} with both calls in flight at once; {chain.Message}");
        Assert.True(chain.IsIntact, chain.Message);
        Assert.True(overlapping == Trials, $"only {overlapping} of {trial} trials really overlapped: the race did not happen");
    }

    [Fact]
    public async Task AHundredClicksOnTheSameAction_WithTheSameVersion_HaveOneEffect()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync(database: Harness.NoFsync);
        var id = await h.CaseAwaitingContactAsync();
        var version = await h.VersionAsync(id);
        var entriesBefore = (await h.AuditAsync(id)).Count;

        using var gate = new Barrier(Clicks);
        var results = await Task.WhenAll(Enumerable.Range(0, Clicks).Select(_ =>
            RaceAsync(gate, () => h.Workflow.RecordAttemptAsync(id, version, AttemptOutcome.NoAnswer, false, null, h.OfficerA), ct)));

        Assert.Single(results, r => r.Error is null);
        Assert.All(results.Where(r => r.Error is not null), r => Assert.IsType<CaseConflictException>(r.Error));
        var c = await h.LoadAsync(id);
        Assert.Single(c.Attempts);
        Assert.Equal(1, c.AttemptCount);
        Assert.Equal(version + 1, c.Version);
        Assert.Equal(entriesBefore + 1, (await h.AuditAsync(id)).Count);
        await using var db = await h.Databases.CreateDbContextAsync(ct);
        Assert.True((await AuditWriter.VerifyAsync(db, ct)).IsIntact);
    }

    private static async Task<int> AuditCountAsync(Harness h, Guid id, CancellationToken ct)
    {
        await using var db = await h.Databases.CreateDbContextAsync(ct);
        return await db.AuditEntries.CountAsync(e => e.CaseId == id, ct);
    }

    private static Task<RaceResult> RaceAsync(Barrier barrier, Func<Task> act, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(async () =>
        {
            barrier.SignalAndWait(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await act();
                return new RaceResult(null, started, Stopwatch.GetTimestamp());
            }
#pragma warning disable CA1031 // The race's loser is the point of the test: its exception is the result.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return new RaceResult(ex, started, Stopwatch.GetTimestamp());
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private sealed record RaceResult(Exception? Error, long StartedTicks, long EndedTicks);

    /// <summary>
    /// A case awaiting contact whose victim is nobody else's: a new file of a victim with an open case raises that case's
    /// danger (issue 19), which would move the earlier trials' cases on.
    /// </summary>
    private static async Task<Guid> OneVictimsCaseAsync(Harness h, int trial)
    {
        var facts = h.Facts($"62-RACE-{trial:00000}") with
        {
            Victim = new Victim("Camille", "Martin", $"07{trial:00000000}", $"{trial} rue des Lilas"),
        };
        var id = await h.Workflow.OpenAsync("CTC-62", facts, h.OfficerA);
        await h.Workflow.ReviewAsync(id, await h.VersionAsync(id), Harness.Findings(), h.OfficerA);
        return id;
    }
}
