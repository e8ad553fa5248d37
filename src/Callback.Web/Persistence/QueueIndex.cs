namespace Callback.Web.Persistence;

/// <summary>
/// The officer queue's index, written in SQL by the migrations of each provider (<c>QueueIndexCoversItsOrder</c>, then
/// <c>QueueIndexHoldsTheId</c>): it names members of complex types (the claim, the perpetrator), which EF Core 10 does not
/// let the model index. Its columns are what the queue filters and orders by (<c>QueueService</c>), so the order of a
/// unit's open files comes from the index.
/// </summary>
internal static class QueueIndex
{
    /// <summary>
    /// The index as it stands. The id is its last column since the queue came a page at a time: the id settles the order's
    /// last ties, and without it in the index the database read the id from the row of every open file of the unit to
    /// sort them (the busiest unit's first page, 5,000 open files: 25 ms instead of 6; docs/performance.md).
    /// </summary>
    public const string Create = """
        CREATE INDEX "IX_Cases_Queue" ON "Cases" ("UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger",
            "ClaimedBy", "ClaimExpiresAtUtc", "Perpetrator_Cohabiting", "ContactWindowOpensAtUtc", "Id");
        """;

    /// <summary>The index as <c>QueueIndexCoversItsOrder</c> made it, before the id: that migration's history.</summary>
    public const string CreateWithoutId = """
        CREATE INDEX "IX_Cases_Queue" ON "Cases" ("UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger",
            "ClaimedBy", "ClaimExpiresAtUtc", "Perpetrator_Cohabiting", "ContactWindowOpensAtUtc");
        """;

    public const string Drop = """DROP INDEX "IX_Cases_Queue";""";
}
