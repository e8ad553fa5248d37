using Callback.Domain.Cases;
using Callback.Domain.Notifications;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Jobs.Mail;

/// <summary>
/// Queues each unit's morning digest once its local clock has passed <see cref="SmtpSettings.DigestHour"/>: the cases due
/// today, the overdue ones and the patrols awaiting their report, by reference only. Asked every round of the sender; a
/// unique key per unit and local day makes it once, whichever node asks first. A node that was down at 07:00 sends the
/// day's digest when it comes back.
/// </summary>
public sealed class MorningDigest(IDbContextFactory<CallbackDbContext> databases, SmtpSettings settings, TimeProvider clock)
{
    /// <summary>Queues the digests due now; returns how many it queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        var keys = units.ToDictionary(u => u.Id, u => Key(u.Code, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, u.TimeZone))));
        var queuedKeys = keys.Values.ToList();
        var already = (await db.OutboxMessages.AsNoTracking().Where(m => m.DedupKey != null && queuedKeys.Contains(m.DedupKey))
            .Select(m => m.DedupKey!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var queued = 0;
        foreach (var unit in units)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(now, unit.TimeZone);
            if (already.Contains(keys[unit.Id]))
            {
                continue;
            }

            if (local.Hour < settings.DigestHour)
            {
                continue;
            }

            var dayEndUtc = TimeZoneInfo.ConvertTimeToUtc(local.Date.AddDays(1), unit.TimeZone);
            var open = await db.Cases.AsNoTracking()
                .Where(c => c.UnitId == unit.Id && c.State != CaseState.Closed && (c.State == CaseState.PatrolDispatched || (c.DueAtUtc != null && c.DueAtUtc < dayEndUtc)))
                .OrderBy(c => c.DueAtUtc)
                .Select(c => new { c.Id, c.FileReference, c.State, c.DueAtUtc }).ToListAsync(cancellationToken);
            var lines = open.Select(c => new DigestLine(
                c.State == CaseState.PatrolDispatched ? DigestLine.PatrolAwaitingOutcome : c.DueAtUtc < now ? DigestLine.Overdue : DigestLine.DueToday,
                c.FileReference, c.DueAtUtc, c.Id)).OrderBy(l => l.Kind, StringComparer.Ordinal);
            var to = (await AlertOutbox.RecipientsAsync(db, [unit.Id], cancellationToken))[unit.Id];
            if (to.Count == 0)
            {
                continue;
            }

            db.OutboxMessages.Add(new OutboxMessage(AlertOutbox.Digest, string.Join(',', to), unit.Id, null, null, null,
                string.Join('\n', lines.Select(l => l.Format())), now, keys[unit.Id]));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                queued++;
            }
            catch (DbUpdateException)
            {
                // Another node queued it first: the unique key refused the second.
                db.ChangeTracker.Clear();
            }
        }

        return queued;
    }

    private static string Key(string unitCode, DateOnly localDay) => $"digest:{unitCode}:{localDay:yyyy-MM-dd}";
}
