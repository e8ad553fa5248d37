using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Jobs.Mail;

/// <summary>The outbox at a glance, from the database (every node's sender writes there): for /health and the supervision page.</summary>
public sealed record OutboxReport(int Unsent, int Failing, DateTime? OldestUnsentUtc, string? LastError)
{
    /// <summary>An unsent message older than this, with SMTP configured, means the sender is not keeping up or not running.</summary>
    public static readonly TimeSpan TooOld = TimeSpan.FromMinutes(5);

    public static async Task<OutboxReport> ReadAsync(IDbContextFactory<CallbackDbContext> databases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var unsent = db.OutboxMessages.AsNoTracking().Where(m => m.SentUtc == null);
        var count = await unsent.CountAsync(cancellationToken);
        if (count == 0)
        {
            return new(0, 0, null, null);
        }

        var oldest = await unsent.MinAsync(m => (DateTime?)m.CreatedUtc, cancellationToken);
        var failing = unsent.Where(m => m.Attempts > 0);
        var failingCount = await failing.CountAsync(cancellationToken);
        var lastError = failingCount == 0 ? null
            : await failing.OrderByDescending(m => m.NextAttemptUtc).ThenBy(m => m.Id).Select(m => m.LastError).FirstOrDefaultAsync(cancellationToken);
        return new(count, failingCount, oldest, lastError);
    }
}
