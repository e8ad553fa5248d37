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
}
