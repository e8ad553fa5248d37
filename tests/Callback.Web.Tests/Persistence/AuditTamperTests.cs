using Callback.Domain.Audit;
using Callback.Domain.Contact;
using System.Data.Common;
using Callback.Web.Cli;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Tests.Persistence;

public class AuditTamperTests
{
    /// <summary>A small history of 2 cases: about a dozen entries.</summary>
    private static async Task<Harness> WithHistoryAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var h = await Harness.CreateAsync(provider);
        foreach (var reference in new[] { "62-2026-000001", "62-2026-000002" })
        {
            var id = await h.CaseAwaitingContactAsync(reference);
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, true, null, h.OfficerA);
            await h.Workflow.AddNoteAsync(id, await h.VersionAsync(id), "voicemail full", h.OfficerA);
            await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.Voicemail, true, null, h.OfficerA);
        }

        return h;
    }

    /// <summary>What someone with the database file in hand would do first: remove the triggers that guard the log.</summary>
    private static Task DropGuardsAsync(Harness h) =>
        h.ExecuteSqlAsync("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;");

    private static async Task<AuditVerification> VerifyAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync();
        return await AuditWriter.VerifyAsync(db, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task UntouchedLog_Verifies(DatabaseProvider provider)
    {
        await using var h = await WithHistoryAsync(provider);

        var result = await VerifyAsync(h);

        Assert.True(result.IsIntact, result.Message);
        Assert.Equal((await h.AuditAsync()).Count, result.EntriesChecked);
        Assert.True(result.EntriesChecked >= 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task EditedRow_IsDetectedAtItsSequence(long sequence)
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);

        await h.ExecuteSqlAsync($"UPDATE AuditEntries SET Reason = 'nothing happened' WHERE Sequence = {sequence}");

        Assert.Equal(sequence, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task EditedActor_IsDetected()
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);

        await h.ExecuteSqlAsync("UPDATE AuditEntries SET Actor = 'officer-b' WHERE Sequence = 4");

        Assert.Equal(4, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public async Task DeletedRow_IsDetectedAtItsSequence(long sequence)
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);

        await h.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {sequence}");

        Assert.Equal(sequence, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task DeletedLastRow_IsDetectedByTheHead()
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);
        var last = (await h.AuditAsync())[^1].Sequence;

        await h.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {last}");

        Assert.Equal(last, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task InsertedRow_IsDetected()
    {
        await using var h = await WithHistoryAsync();
        var entries = await h.AuditAsync();
        var last = entries[^1];
        var forged = last.Sequence + 1;

        await h.ExecuteSqlAsync(
            $"INSERT INTO AuditEntries (Sequence, AtUtc, Actor, CaseId, Action, FromState, ToState, Reason, PreviousHash, Hash) " +
            $"VALUES ({forged}, '2026-03-02 21:00:00', 'officer-a', NULL, 'Close', 'AwaitingContact', 'Closed', 'forged', '{last.Hash}', '{new string('a', 64)}')");

        Assert.Equal(forged, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task ReplacedRow_IsDetectedAtItsSequence()
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);
        var victim = (await h.AuditAsync())[5];

        await h.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = 6");
        await h.ExecuteSqlAsync(
            $"INSERT INTO AuditEntries (Sequence, AtUtc, Actor, CaseId, Action, FromState, ToState, Reason, PreviousHash, Hash) " +
            $"VALUES (6, '2026-03-02 21:00:00', 'officer-a', NULL, 'Close', 'AwaitingContact', 'Closed', 'forged', '{victim.PreviousHash}', '{victim.Hash}')");

        Assert.Equal(6, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task ReorderedRows_AreDetectedAtTheFirstOfThem()
    {
        await using var h = await WithHistoryAsync();
        await DropGuardsAsync(h);

        await h.ExecuteSqlAsync("""
            UPDATE AuditEntries SET Sequence = -1 WHERE Sequence = 4;
            UPDATE AuditEntries SET Sequence = 4 WHERE Sequence = 5;
            UPDATE AuditEntries SET Sequence = 5 WHERE Sequence = -1;
            """);

        Assert.Equal(4, (await VerifyAsync(h)).FirstBrokenSequence);
    }

    [Fact]
    public async Task Application_RefusesToUpdateOrDeleteAnAuditRow()
    {
        await using var h = await WithHistoryAsync();
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var entry = await db.AuditEntries.FirstAsync(TestContext.Current.CancellationToken);

        db.Entry(entry).Property(e => e.Reason).CurrentValue = "rewritten";
        var update = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        db.Entry(entry).State = EntityState.Deleted;
        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Database_RefusesToUpdateOrDeleteAnAuditRow(DatabaseProvider provider)
    {
        await using var h = await WithHistoryAsync(provider);

        var update = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync("UPDATE \"AuditEntries\" SET \"Reason\" = 'x' WHERE \"Sequence\" = 1"));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync("DELETE FROM \"AuditEntries\""));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.True((await VerifyAsync(h)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Database_AllowsOneUpdate_TheErasureOfAReasonsText_AndNothingElse(DatabaseProvider provider)
    {
        await using var h = await WithHistoryAsync(provider);
        var entries = await h.AuditAsync();
        var withReason = entries.First(e => e.Reason is not null).Sequence;
        var withoutReason = entries.First(e => e.Reason is null).Sequence;

        await h.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Reason\" = NULL, \"ReasonSalt\" = NULL WHERE \"Sequence\" = {withReason}");
        var rewrite = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"Reason\" = 'x' WHERE \"Sequence\" = (SELECT MIN(\"Sequence\") FROM \"AuditEntries\" WHERE \"Reason\" IS NOT NULL)"));
        var erasureAndMore = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"Reason\" = NULL, \"ReasonSalt\" = NULL, \"Actor\" = 'someone' WHERE \"Sequence\" = (SELECT MIN(\"Sequence\") FROM \"AuditEntries\" WHERE \"Reason\" IS NOT NULL)"));
        var digestGone = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"ReasonDigest\" = NULL WHERE \"Sequence\" = {withReason}"));
        var noDigest = await Assert.ThrowsAnyAsync<DbException>(() => h.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"Reason\" = NULL, \"ReasonSalt\" = NULL WHERE \"Sequence\" = {withoutReason}"));

        Assert.All(new[] { rewrite, erasureAndMore, digestGone, noDigest }, e => Assert.Contains("append-only", e.Message, StringComparison.Ordinal));
        var erased = (await h.AuditAsync()).Single(e => e.Sequence == withReason);
        Assert.True(erased.IsReasonErased);
        Assert.True((await VerifyAsync(h)).IsIntact);
    }

    [Fact]
    public async Task ARewrittenReason_IsDetectedByItsDigest_WithTheGuardsDropped()
    {
        await using var h = await WithHistoryAsync();
        var sequence = (await h.AuditAsync()).First(e => e.ReasonDigest is not null).Sequence;
        await DropGuardsAsync(h);

        await h.ExecuteSqlAsync($"UPDATE AuditEntries SET Reason = 'nothing happened' WHERE Sequence = {sequence}");

        var result = await VerifyAsync(h);
        Assert.Equal(sequence, result.FirstBrokenSequence);
        Assert.Contains("reason was altered", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Application_SavesTheErasureOfAReason_AndStillRefusesAnyOtherChange()
    {
        await using var h = await WithHistoryAsync();
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var entries = await db.AuditEntries.Where(e => e.ReasonDigest != null).OrderBy(e => e.Sequence).Take(2).ToListAsync(TestContext.Current.CancellationToken);

        entries[0].EraseReason();
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        entries[1].EraseReason();
        db.Entry(entries[1]).Property(e => e.Actor).CurrentValue = "someone";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        Assert.True((await h.AuditAsync()).Single(e => e.Sequence == entries[0].Sequence).IsReasonErased);
    }

    [Fact]
    public async Task AuditVerifyCommand_ExitsZeroWhenIntact_AndOneNamingTheBrokenEntry()
    {
        await using var h = await WithHistoryAsync();
        var intact = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["audit", "verify"], h.Services, intact));
        Assert.Contains("intact", intact.ToString());

        await DropGuardsAsync(h);
        await h.ExecuteSqlAsync("UPDATE AuditEntries SET Reason = 'x' WHERE Sequence = 3");
        var broken = new StringWriter();

        Assert.Equal(1, await CommandLine.RunAsync(["audit", "verify"], h.Services, broken));
        Assert.Contains("broken at entry 3", broken.ToString());
    }
}
