using Callback.Web.Persistence;
using Callback.Domain.Cases;
using Callback.Web.Features.Queue;
using Callback.Web.Live;
using Callback.Domain.Workflow;
using Microsoft.Extensions.Logging.Abstractions;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Callback.Web.Tests.Workplace;

public class QueueServiceTests
{
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_PutsOverdueFirst_ThenDueNow_ThenByDeadline_WithHigherDangerFirstBetweenEquals(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        // Day 0, 20:00: four files of 19:00 reviewed. Low and moderate: window at D1 19:00, deadline D2 19:00. High: due at once, deadline 24:00.
        await h.CaseAwaitingContactAsync("62-low-a", DangerLevel.Low);
        await h.CaseAwaitingContactAsync("62-moderate", DangerLevel.Moderate);
        await h.CaseAwaitingContactAsync("62-low-b", DangerLevel.Low);
        await h.CaseAwaitingContactAsync("62-high", DangerLevel.High);
        // Day 1, 01:00: a new file, review due at 13:00.
        h.Clock.Advance(TimeSpan.FromHours(5));
        await h.Workflow.OpenAsync("CTC-62", h.Facts("62-unreviewed"), h.OfficerA);
        // Day 1, 20:00: a fresh file reviewed, its window opens only tomorrow.
        h.Clock.Advance(TimeSpan.FromHours(19));
        await h.CaseAwaitingContactAsync("62-fresh", DangerLevel.Moderate);

        var rows = (await queue.LoadAsync(h.Supervisor, new QueueFilter())).Rows;

        var order = rows.Select(r => r.FileReference).ToList();
        Assert.Equal(["62-high", "62-unreviewed"], order[..2]);               // overdue, by deadline
        Assert.Equal("62-moderate", order[2]);                                 // due now, higher danger first
        Assert.Equal(["62-low-a", "62-low-b"], order[3..5].Order());           // due now, same deadline, same danger
        Assert.Equal("62-fresh", order[5]);                                    // window not yet open
        Assert.Equal([0, 0, 1, 1, 1, 2], rows.Select(r => r.Urgency(h.Now)));
    }

    /// <summary>
    /// Issue 20.4: the queue comes a page at a time. Its pages follow one another without a file twice or a file missed
    /// (ties are settled by the id), the total is the whole queue's, and a page asked past the end, the queue having
    /// shrunk under the officer, reads the last one.
    /// </summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_ComesAPageAtATime_EveryFileOnExactlyOnePage_InTheQueuesOrder(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        // Opened in the same instant: they share their review deadline, so only the id orders them.
        var opened = new List<string>();
        for (var i = 0; i < QueueService.PageSize + 3; i++)
        {
            var reference = $"62-page-{i:D3}";
            await h.Workflow.OpenAsync("CTC-62", h.Facts(reference), h.OfficerA);
            opened.Add(reference);
        }

        var first = await queue.LoadAsync(h.OfficerA, new QueueFilter());
        var second = await queue.LoadAsync(h.OfficerA, new QueueFilter(), page: 1);
        var beyond = await queue.LoadAsync(h.OfficerA, new QueueFilter(), page: 7);
        var whole = await queue.LoadAsync(h.OfficerA, new QueueFilter(State: CaseState.AwaitingReview));

        Assert.Equal((QueueService.PageSize, QueueService.PageSize + 3, 0, 2), (first.Rows.Count, first.Total, first.Page, first.PageCount));
        Assert.Equal((1, QueueService.PageSize, false, true), (first.First, first.Last, first.HasPrevious, first.HasNext));
        Assert.Equal((3, 1, QueueService.PageSize + 1, QueueService.PageSize + 3, true, false),
            (second.Rows.Count, second.Page, second.First, second.Last, second.HasPrevious, second.HasNext));
        Assert.Equal(opened.Order(StringComparer.Ordinal), first.Rows.Concat(second.Rows).Select(r => r.FileReference).Order(StringComparer.Ordinal));
        Assert.Equal(second.Rows.Select(r => r.Id), beyond.Rows.Select(r => r.Id));
        Assert.Equal(1, beyond.Page);
        Assert.Equal(first.Rows.Select(r => r.Id), whole.Rows.Select(r => r.Id));
        var empty = await queue.LoadAsync(h.OfficerB, new QueueFilter(), page: 3);
        Assert.Equal((0, 0, 0, 0, 1, false), (empty.Rows.Count, empty.Total, empty.Page, empty.First, empty.PageCount, empty.HasNext));
    }

    /// <summary>
    /// Issue 20.3: the default view is a compiled query, one per shape of scope. Over files of two units, in every state the
    /// queue shows or hides, some claimed, one handed over, it returns page by page exactly what the same view composed on
    /// the fly returns, for an officer of each unit, a second officer, a supervisor, a dispatcher and an admin, one after
    /// another on the same compiled queries.
    /// </summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TheCompiledDefaultView_ReadsExactlyWhatTheComposedOneReads_ForEveryScope(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        await FilesOfTwoUnitsAsync(h, ct);

        await AssertSamePagesAsync(h,
            (actor, page) => queue.LoadAsync(actor, new QueueFilter(), page, compileDefaultView: false, ct),
            (actor, page) => queue.LoadAsync(actor, new QueueFilter(), page, compileDefaultView: true, ct));

        // Not vacuous: each scope saw its own files, the admin all, and the patrol is the dispatch board's.
        var totals = new Dictionary<string, int>();
        foreach (var actor in new[] { h.OfficerA, h.OfficerB, h.Supervisor, Harness.Admin })
        {
            totals[actor.Id] = (await queue.LoadAsync(actor, new QueueFilter(), cancellationToken: ct)).Total;
        }

        Assert.True(totals[h.OfficerA.Id] > QueueService.PageSize, $"officer A: {totals[h.OfficerA.Id]} files");
        Assert.True(totals[h.OfficerB.Id] > 0);
        Assert.Equal(totals[h.OfficerA.Id], totals[h.Supervisor.Id]);
        Assert.Equal(totals[h.OfficerA.Id] + totals[h.OfficerB.Id], totals[Harness.Admin.Id]);
        Assert.Equal("62-handed", (await queue.LoadAsync(h.OfficerA2, new QueueFilter(), cancellationToken: ct)).Rows[0].FileReference);
        var adminRows = new List<QueueRow>();
        for (var page = 0; page * QueueService.PageSize < totals[Harness.Admin.Id]; page++)
        {
            adminRows.AddRange((await queue.LoadAsync(Harness.Admin, new QueueFilter(), page, cancellationToken: ct)).Rows);
        }

        Assert.Equal(totals[Harness.Admin.Id], adminRows.Select(r => r.Id).Distinct().Count());
        Assert.DoesNotContain(adminRows, r => r.FileReference == "62-patrol");
    }

    /// <summary>
    /// Issue 20.5: with the change broadcaster, the default view's pages are read once for all the actors of one scope. Each
    /// actor still gets exactly what her own read gives: her unit's files and no other's, and what was handed over to her
    /// first (she reads her own page). A read serves the others until a change is heard or a second has passed; then the
    /// next page reads afresh and shows what changed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ASharedRead_GivesEachActorWhatHerOwnReadGives_UntilAChangeIsHeardOrASecondHasPassed(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync(provider);
        var own = new QueueService(h.Databases, h.Clock);
        var changes = new CaseChangeBroadcaster(NullLogger<CaseChangeBroadcaster>.Instance);
        var shared = new QueueService(h.Databases, h.Clock, changes);
        await FilesOfTwoUnitsAsync(h, ct);

        await AssertSamePagesAsync(h,
            (actor, page) => own.LoadAsync(actor, new QueueFilter(), page, compileDefaultView: true, ct),
            (actor, page) => shared.LoadAsync(actor, new QueueFilter(), page, ct));

        // Shared: officer A and the supervisor each took the read made for their scope, not one of their own.
        var first = await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct);
        Assert.Same(first.Rows, (await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct)).Rows);
        Assert.Same((await shared.LoadAsync(h.Supervisor, new QueueFilter(), cancellationToken: ct)).Rows,
            (await shared.LoadAsync(h.Dispatcher, new QueueFilter(), cancellationToken: ct)).Rows);
        // The second officer of the unit holds a handed-over file: her page is her own, the handover first.
        var hers = await shared.LoadAsync(h.OfficerA2, new QueueFilter(), cancellationToken: ct);
        Assert.Equal("62-handed", hers.Rows[0].FileReference);
        Assert.NotEqual("62-handed", first.Rows[0].FileReference);

        // A file claimed, the change not yet heard: the read made before it still serves, within its second.
        var top = first.Rows.First(r => r.ClaimedBy is null);
        await h.Workflow.ClaimAsync(top.Id, top.Version, h.OfficerA, ct);
        Assert.Same(first.Rows, (await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct)).Rows);

        // Heard: the next page reads afresh, and shows the claim.
        changes.Publish(new CaseChanged(top.Id, h.UnitA, "62", CaseState.AwaitingContact, "Claim", h.Now));
        var after = await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct);
        Assert.NotSame(first.Rows, after.Rows);
        Assert.Equal("officer-a", after.Rows.Single(r => r.Id == top.Id).ClaimedBy);

        // Not heard (another node's change lost on its way), but a second later: read afresh too.
        var next = after.Rows.First(r => r.ClaimedBy is null);
        await h.Workflow.ClaimAsync(next.Id, next.Version, h.OfficerA, ct);
        Assert.Same(after.Rows, (await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct)).Rows);
        h.Clock.Advance(QueueService.SharedFor + TimeSpan.FromMilliseconds(1));
        Assert.Equal("officer-a", (await shared.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct)).Rows.Single(r => r.Id == next.Id).ClaimedBy);
    }

    /// <summary>
    /// Files of two units in every state the queue shows or hides, some claimed, one handed over to officer A2, one gone to
    /// the dispatch board: more than a page for unit A.
    /// </summary>
    private static async Task FilesOfTwoUnitsAsync(Harness h, CancellationToken ct)
    {
        for (var i = 0; i < 2 * QueueService.PageSize; i++)
        {
            var id = await h.Workflow.OpenAsync(i % 3 == 0 ? "CTC-59" : "CTC-62", h.Facts($"file-{i:D3}"), i % 3 == 0 ? h.OfficerB : h.OfficerA, ct);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            if (i % 4 != 0)
            {
                await h.Workflow.ReviewAsync(id, await h.VersionAsync(id), Harness.Findings(i % 5 == 0 ? DangerLevel.High : DangerLevel.Moderate), i % 3 == 0 ? h.OfficerB : h.OfficerA, ct);
            }

            if (i % 7 == 1)
            {
                await h.Workflow.ClaimAsync(id, await h.VersionAsync(id), i % 3 == 0 ? h.OfficerB : h.OfficerA, ct);
            }
        }

        var handed = await h.CaseAwaitingContactAsync("62-handed", DangerLevel.Low);
        await h.Workflow.ReassignAsync(handed, await h.VersionAsync(handed), h.OfficerA2.Id, "relève", h.Supervisor, ct);
        var patrol = await h.CaseAwaitingContactAsync("62-patrol");
        await h.Workflow.RequestPatrolAsync(patrol, await h.VersionAsync(patrol), "worried", h.OfficerA, ct);
        h.Clock.Advance(TimeSpan.FromMinutes(30));
    }

    /// <summary>
    /// The first three pages of the default view, read both ways by an officer of each unit, a second officer, a supervisor, a
    /// dispatcher and an admin, then the first officer again: the same rows, length and page.
    /// </summary>
    private static async Task AssertSamePagesAsync(Harness h, Func<Actor, int, Task<QueueSlice>> expected, Func<Actor, int, Task<QueueSlice>> actual)
    {
        foreach (var actor in new[] { h.OfficerA, h.OfficerB, h.OfficerA2, h.Supervisor, h.Dispatcher, Harness.Admin, h.OfficerA })
        {
            for (var page = 0; page < 3; page++)
            {
                var want = await expected(actor, page);
                var got = await actual(actor, page);
                Assert.Equal((want.Total, want.Page), (got.Total, got.Page));
                Assert.Equal(want.Rows, got.Rows);
            }
        }
    }

    /// <summary>Issue 17: a case under follow-up returns to the queue when its check-in opens; cohabitation puts her first among equals.</summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_ListsAFollowUpWhenItsCheckInOpens_AndPutsACohabitingVictimFirstBetweenEqualDeadlines(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        var followed = await h.CaseAwaitingContactAsync("62-followed");
        await h.Workflow.RecordContactAsync(followed, await h.VersionAsync(followed),
            new ContactReport(true, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, h.OfficerA);
        Assert.DoesNotContain((await queue.LoadAsync(h.OfficerA, new QueueFilter())).Rows, r => r.FileReference == "62-followed");
        Assert.Contains((await queue.LoadAsync(h.OfficerA, new QueueFilter(State: CaseState.FollowUp))).Rows, r => r.FileReference == "62-followed");

        h.Clock.Advance(h.Options.CheckInsFor(DangerLevel.Moderate)[0] + TimeSpan.FromMinutes(1));
        // Two victims in high danger, reviewed at the same instant: same deadline; the one living with him comes first,
        // though her file was opened second.
        await h.CaseAwaitingContactAsync("62-high-alone", DangerLevel.High);
        var cohabiting = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-high-cohabiting"), h.OfficerA);
        await h.Workflow.ReviewAsync(cohabiting, await h.VersionAsync(cohabiting), Harness.Findings(DangerLevel.High) with { Cohabiting = TriState.Yes }, h.OfficerA);

        var rows = (await queue.LoadAsync(h.OfficerA, new QueueFilter())).Rows;

        Assert.Equal(["62-high-cohabiting", "62-high-alone", "62-followed"], rows.Select(r => r.FileReference));
        Assert.Equal([TriState.Yes, TriState.No], rows.Take(2).Select(r => r.Cohabiting));
        Assert.Equal(CaseState.FollowUp, rows[2].State);
    }

    /// <summary>
    /// Issue 16.1, as a user saw it: a file to review due in 5 min 49 s was listed below a victim to call due in 17 min 03 s,
    /// because a review counted as "not yet due" while the call's window was open. A review can be done at once: whatever
    /// the state, what is workable now is ordered by its deadline.
    /// </summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_OrdersAReviewAndACallByTheirDeadlines_WhateverTheirStates(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        // Day 0, 20:00: a file of 19:00 reviewed; its window opens D1 19:00, its deadline is D2 19:00.
        await h.CaseAwaitingContactAsync("62-call");
        // Day 2, 06:48:46: a new file, review due 12 h later, at 18:48:46.
        h.Clock.Advance(new TimeSpan(1, 10, 48, 46));
        await h.Workflow.OpenAsync("CTC-62", h.Facts("62-review"), h.OfficerA);
        // Day 2, 18:42:57: the review is due in 5 min 49 s, the call in 17 min 03 s.
        h.Clock.Advance(new TimeSpan(11, 54, 11));
        // A call whose window is not open yet stays below both.
        await h.CaseAwaitingContactAsync("62-later");

        var rows = (await queue.LoadAsync(h.OfficerA, new QueueFilter())).Rows;

        Assert.Equal(["62-review", "62-call", "62-later"], rows.Select(r => r.FileReference));
        Assert.Equal([TimeSpan.FromSeconds(349), TimeSpan.FromSeconds(1023)], rows.Take(2).Select(r => r.DueAtUtc!.Value - h.Now));
        Assert.Equal([1, 1, 2], rows.Select(r => r.Urgency(h.Now)));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_PutsWhatASupervisorAssignedToTheOfficerFirst_ForHerOnly(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var queue = new QueueService(h.Databases, h.Clock);
        await h.CaseAwaitingContactAsync("62-overdue-soon", DangerLevel.High);
        var handed = await h.CaseAwaitingContactAsync("62-handed", DangerLevel.Low);
        await h.Workflow.ReassignAsync(handed, await h.VersionAsync(handed), h.OfficerA2.Id, "relève", h.Supervisor);

        var hers = (await queue.LoadAsync(h.OfficerA2, new QueueFilter())).Rows;
        var others = (await queue.LoadAsync(h.OfficerA, new QueueFilter())).Rows;

        Assert.Equal(["62-handed", "62-overdue-soon"], hers.Select(r => r.FileReference));
        Assert.Equal([true, false], hers.Select(r => r.Assigned));
        Assert.Equal(["62-overdue-soon", "62-handed"], others.Select(r => r.FileReference));
        Assert.Equal([false, true], others.Select(r => r.Assigned));
    }

    [Fact]
    public async Task Queue_MasksTheVictim_AndShowsOnlyTheUnitOfAnOfficer()
    {
        await using var h = await Harness.CreateAsync();
        await h.CaseAwaitingContactAsync("62-2026-000001");
        var queue = new QueueService(h.Databases, h.Clock);

        var mine = (await queue.LoadAsync(h.OfficerA, new QueueFilter())).Rows;
        var other = (await queue.LoadAsync(h.OfficerB, new QueueFilter())).Rows;

        var row = Assert.Single(mine);
        Assert.Equal("C. M.", row.Initials);
        Assert.Equal($"•• {h.Facts("62-2026-000001").Victim.Phone![^2..]}", row.PhoneTail);
        Assert.DoesNotContain(h.Facts("62-2026-000001").Victim.Phone!, row.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Martin", row.ToString(), StringComparison.Ordinal);
        Assert.Empty(other);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Queue_Filters_MineAndUnclaimed_AndAStaleClaimReturnsToThePool(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await h.CaseAwaitingContactAsync("62-claimed");
        await h.Workflow.OpenAsync("CTC-62", h.Facts("62-free"), h.OfficerA2);
        var queue = new QueueService(h.Databases, h.Clock);

        Assert.Equal(["62-claimed"], (await queue.LoadAsync(h.OfficerA, new QueueFilter(MineOnly: true))).Rows.Select(r => r.FileReference));
        Assert.DoesNotContain("62-claimed", (await queue.LoadAsync(h.OfficerA, new QueueFilter(UnclaimedOnly: true))).Rows.Select(r => r.FileReference));

        h.Clock.Advance(h.Options.StaleClaimAfter + TimeSpan.FromSeconds(1));

        Assert.Contains("62-claimed", (await queue.LoadAsync(h.OfficerA, new QueueFilter(UnclaimedOnly: true))).Rows.Select(r => r.FileReference));
        Assert.Empty((await queue.LoadAsync(h.OfficerA, new QueueFilter(MineOnly: true))).Rows);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task RevealIdentity_OnAnOrangeCase_IsAuditedWithItsReason_AndRefusedWithoutOne(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();

        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.RevealIdentityAsync(id, "  ", h.OfficerA));
        await h.Workflow.RevealIdentityAsync(id, "calling her back", h.OfficerA);

        var opening = Assert.Single(await h.AuditAsync(id), e => e.Action == "OpenIdentity");
        Assert.Equal("officer-a", opening.Actor);
        Assert.Equal("calling her back", opening.Reason);
        await Assert.ThrowsAsync<Domain.Workflow.CaseAccessDeniedException>(() => h.Workflow.RevealIdentityAsync(id, "curious", h.OfficerB));
    }

    /// <summary>
    /// The queue's SQL, as EF Core sends it for an officer's default view, is planned on SQLite through the queue's own
    /// index: one unit's open states read and ordered from the index. A filter written as one OR of the three states had
    /// the planner read every file of the unit through another index (68 ms instead of 6 at a million files), and so did a
    /// join to the units written from the file's side (c.UnitId = u.Id).
    /// </summary>
    [Fact]
    public async Task TheOfficersDefaultQueue_IsPlannedThroughTheQueueIndex_NotAScanOfTheUnit()
    {
        var ct = TestContext.Current.CancellationToken;
        var sent = new SentCommands();
        await using var h = await Harness.CreateAsync(database: o => o.AddInterceptors(sent));
        await h.CaseAwaitingContactAsync("62-plan");
        var queue = new QueueService(h.Databases, h.Clock);
        lock (sent.Commands)
        {
            sent.Commands.Clear();
        }

        Assert.Single((await queue.LoadAsync(h.OfficerA, new QueueFilter(), cancellationToken: ct)).Rows);

        var (sql, parameters) = sent.Commands.Last(c => c.Sql.Contains("ORDER BY", StringComparison.Ordinal) && c.Sql.Contains("\"Cases\"", StringComparison.Ordinal));
        var plan = await PlanAsync(h.ConnectionString, sql, parameters, ct);

        Assert.Contains(plan, step => step.Contains("INDEX IX_Cases_Queue (UnitId=? AND State=?)", StringComparison.Ordinal));
        // Every key of the order is in the index, the id that settles the last ties included: without it the database read
        // the id off the row of each of the unit's open files to sort them (26 ms instead of 3 for 5,000, bench 'queue').
        Assert.Equal(["UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger", "ClaimedBy", "ClaimExpiresAtUtc", "Perpetrator_Cohabiting", "ContactWindowOpensAtUtc", "Id"],
            await IndexColumnsAsync(h.ConnectionString, "IX_Cases_Queue", ct));
        // (The page of 50 it then reads back, "SCAN c0", is the subquery's result, not the table.)
        Assert.DoesNotContain(plan, step => step.Contains("IX_Cases_UnitId_FileReference", StringComparison.Ordinal) || step == "SCAN c" || step.StartsWith("SCAN c ", StringComparison.Ordinal));

        // The queue's length, shown under the page, comes in the same statement (one round trip, not two), counted
        // through the same index, and once: SQLite computes a scalar subquery that names no column of the row once.
        Assert.Single(sent.Commands, c => c.Sql.Contains("\"Cases\"", StringComparison.Ordinal));
        Assert.Contains("COUNT(*)", sql, StringComparison.Ordinal);
        var subquery = plan.IndexOf("SCALAR SUBQUERY 1");
        Assert.True(subquery >= 0, string.Join(" | ", plan));
        Assert.Contains("USING COVERING INDEX IX_Cases_Queue (UnitId=? AND State=?)", plan[subquery + 1], StringComparison.Ordinal);
        Assert.DoesNotContain("CORRELATED", plan[subquery], StringComparison.Ordinal);
    }

    private static async Task<List<string>> IndexColumnsAsync(string connectionString, string index, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno";
        var columns = new List<string>();
        await using var reader = await pragma.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task<List<string>> PlanAsync(string connectionString, string sql, List<(string Name, object? Value)> parameters, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private sealed class SentCommands : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (Commands)
            {
                Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
            }

            return ValueTask.FromResult(result);
        }
    }
}
