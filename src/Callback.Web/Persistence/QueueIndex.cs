namespace Callback.Web.Persistence;

/// <summary>
/// The officer queue's index, written in SQL by the migration <c>QueueIndexCoversItsOrder</c> of each provider: it names
/// members of complex types (the claim, the perpetrator), which EF Core 10 does not let the model index. Its columns are
/// what the queue filters and orders by (<c>QueueService</c>), so the order of a unit's open files comes from the index.
/// </summary>
internal static class QueueIndex
{
    public const string Create = """
        CREATE INDEX "IX_Cases_Queue" ON "Cases" ("UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger",
            "ClaimedBy", "ClaimExpiresAtUtc", "Perpetrator_Cohabiting", "ContactWindowOpensAtUtc");
        """;

    public const string Drop = """DROP INDEX "IX_Cases_Queue";""";
}
