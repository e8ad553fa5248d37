using Callback.Domain.Audit;

namespace Callback.Domain.Tests.Audit;

public class AuditChainTests
{
    private static readonly DateTime At = new(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc);

    private static (List<AuditEntry> Entries, AuditHead Head) Chain(int count)
    {
        var head = AuditHead.Genesis();
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            var entry = AuditEntry.Next(head, new AuditRecord(At.AddSeconds(i), "officer-1", Guid.NewGuid(), "RecordAttempt", "AwaitingContact", "AwaitingContact", $"attempt {i}"));
            head.Advance(entry);
            entries.Add(entry);
        }

        return (entries, head);
    }

    private static Task<AuditVerification> Verify(IEnumerable<AuditEntry> entries, AuditHead head) =>
        AuditChain.VerifyAsync(entries.ToAsyncEnumerable(), head, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Verify_AnUntouchedChain_IsIntact()
    {
        var (entries, head) = Chain(10);

        var result = await Verify(entries, head);

        Assert.True(result.IsIntact, result.Message);
        Assert.Equal(10, result.EntriesChecked);
    }

    [Fact]
    public async Task Verify_WithAMiddleEntryRemoved_NamesTheMissingSequence()
    {
        var (entries, head) = Chain(10);
        entries.RemoveAt(4);

        var result = await Verify(entries, head);

        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_WithTheLastEntryRemoved_IsCaughtByTheHead()
    {
        var (entries, head) = Chain(10);
        entries.RemoveAt(9);

        var result = await Verify(entries, head);

        Assert.Equal(10, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_WithTwoEntriesSwapped_NamesTheFirstOutOfPlace()
    {
        var (entries, head) = Chain(10);
        (entries[3], entries[4]) = (entries[4], entries[3]);

        var result = await Verify(entries, head);

        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_WithAForgedEntryInPlaceOfARealOne_NamesIt()
    {
        var (entries, head) = Chain(10);
        var before = AuditHead.Genesis();
        foreach (var e in entries.Take(6))
        {
            before.Advance(e);
        }

        // A forger rebuilds entry 7 with a clean hash of its own, but cannot rewrite the link that entry 8 holds.
        entries[6] = AuditEntry.Next(before, new AuditRecord(At, "officer-2", null, "Close", "AwaitingContact", "Closed", "forged"));

        var result = await Verify(entries, head);

        Assert.Equal(8, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task AReasonErased_KeepsTheChainIntact_ItsDigestStays_AndItsSaltGoesWithIt()
    {
        var (entries, head) = Chain(10);
        var digest = entries[4].ReasonDigest;

        entries[4].EraseReason();

        Assert.True(entries[4].IsReasonErased);
        Assert.Equal((null, null, digest), (entries[4].Reason, entries[4].ReasonSalt, entries[4].ReasonDigest));
        Assert.True((await Verify(entries, head)).IsIntact);
    }

    [Fact]
    public async Task AReasonRewritten_IsCaughtByItsDigest_EvenThoughTheEntrysHashCoversOnlyTheDigest()
    {
        var (entries, head) = Chain(10);
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Reason))!.SetValue(entries[4], "nothing happened");

        var result = await Verify(entries, head);

        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Contains("reason was altered", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoEntriesWithTheSameReason_HaveDifferentDigests_SoAnErasedReasonCannotBeGuessedFromAnother()
    {
        var (entries, _) = Chain(1);
        var again = AuditEntry.Next(AuditHead.Genesis(), new AuditRecord(At, "officer-1", null, "RecordAttempt", null, null, entries[0].Reason));

        Assert.NotEqual(entries[0].ReasonDigest, again.ReasonDigest);
        Assert.Equal(64, again.ReasonDigest!.Length);
    }

    [Fact]
    public void AnEntryWithoutAReason_HasNoDigest_AndItsHashIsWhatItWasBeforeDigests()
    {
        var entry = AuditEntry.Next(AuditHead.Genesis(), new AuditRecord(At, "system", null, "Open", null, "AwaitingReview", null));

        Assert.Null(entry.ReasonDigest);
        Assert.False(entry.IsReasonErased);
        // Computed by hand from the canonical form: entries written before reasons had digests verify unchanged.
        var canonical = "1:1;27:2026-11-26T08:00:00.000000Z;6:system;-;4:Open;-;14:AwaitingReview;-;64:" + AuditHead.GenesisHash + ";";
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), entry.Hash);
    }
}
