using System.Globalization;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Notifications;

/// <summary>
/// Writes the e-mail of each alert into the outbox, in the transaction that writes the alert's audit entry
/// (<see cref="UnitOfWork"/> calls it just before chaining the entries): an alert that commits has its message, one that
/// rolls back has none, and no writer of alerts has to remember to ask. Recipients are the unit's escalation address and
/// the supervisors of its département, resolved now, in the same transaction.
/// </summary>
public static class AlertOutbox
{
    /// <summary>The kind of the system-wide alert raised when the job store stops answering.</summary>
    public const string JobStoreDown = AuditActions.AlertPrefix + "JobStoreDown";

    /// <summary>The kind of a unit's morning digest.</summary>
    public const string Digest = "Digest";

    /// <summary>Adds one outbox row per alert among <paramref name="records"/> that has someone to tell; other records cost nothing.</summary>
    public static async Task QueueForAlertsAsync(CallbackDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        List<AuditRecord>? alerts = null;
        foreach (var r in records)
        {
            if (r.CaseId is not null && r.Action.StartsWith(AuditActions.AlertPrefix, StringComparison.Ordinal))
            {
                (alerts ??= []).Add(r);
            }
        }

        if (alerts is null)
        {
            return;
        }

        var ids = alerts.Select(a => a.CaseId!.Value).Distinct().ToList();
        var cases = await db.Cases.Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.FileReference, c.UnitId }).ToDictionaryAsync(c => c.Id, cancellationToken);
        var recipients = await RecipientsAsync(db, cases.Values.Select(c => c.UnitId).Distinct().ToList(), cancellationToken);
        foreach (var alert in alerts)
        {
            if (cases.TryGetValue(alert.CaseId!.Value, out var c) && recipients.TryGetValue(c.UnitId, out var to) && to.Count > 0)
            {
                db.Add(new OutboxMessage(alert.Action, string.Join(',', to), c.UnitId, c.Id, c.FileReference, DeadlineOf(alert), null, alert.AtUtc));
            }
        }
    }

    /// <summary>How often the job-store alert may be mailed: a store that flaps, or several nodes that see it fail, send one per period.</summary>
    public static readonly TimeSpan JobStoreDownPeriod = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Adds the system-wide job-store alert: every unit's escalation address and every supervisor. Its key is the
    /// half-hour it falls in, so a second one in the same half-hour (another node, a flapping store) is refused by the
    /// database at the save.
    /// </summary>
    public static async Task QueueJobStoreDownAsync(CallbackDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var units = await db.Units.Select(u => u.Id).ToListAsync(cancellationToken);
        var to = (await RecipientsAsync(db, units, cancellationToken)).Values.SelectMany(a => a).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (to.Count > 0)
        {
            var period = new DateTime(nowUtc.Ticks - (nowUtc.Ticks % JobStoreDownPeriod.Ticks), DateTimeKind.Utc);
            db.Add(new OutboxMessage(JobStoreDown, string.Join(',', to), null, null, null, nowUtc, null, nowUtc,
                $"jobstore-down:{period.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}"));
        }
    }

    /// <summary>
    /// The addresses to tell about each of <paramref name="unitIds"/>: its escalation address, then the e-mail of every
    /// enabled supervisor whose unit is in the same département, without repeats.
    /// </summary>
    public static async Task<Dictionary<int, List<string>>> RecipientsAsync(CallbackDbContext db, IReadOnlyCollection<int> unitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(unitIds);
        var units = await db.Units.Where(u => unitIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Departement, u.EscalationEmail }).ToListAsync(cancellationToken);
        var departements = units.Select(u => u.Departement).Distinct().ToList();
        var supervisors = await (
            from user in db.Users
            join unit in db.Units on user.UnitId equals unit.Id
            join link in db.UserRoles on user.Id equals link.UserId
            join role in db.Roles on link.RoleId equals role.Id
            where role.Name == Roles.Supervisor && !user.Disabled && user.Email != null && departements.Contains(unit.Departement)
            select new { unit.Departement, Email = user.Email! }).ToListAsync(cancellationToken);
        var result = new Dictionary<int, List<string>>();
        foreach (var unit in units)
        {
            var to = new List<string>();
            if (!string.IsNullOrWhiteSpace(unit.EscalationEmail))
            {
                to.Add(unit.EscalationEmail);
            }

            to.AddRange(supervisors.Where(s => s.Departement == unit.Departement).Select(s => s.Email).Order(StringComparer.Ordinal));
            result[unit.Id] = to.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        return result;
    }

    /// <summary>The deadline an alert names: <see cref="Cases.Case.FireDeadline"/> writes "deadline {due:O}" as its reason.</summary>
    private static DateTime DeadlineOf(AuditRecord alert)
    {
        const string prefix = "deadline ";
        return alert.Reason is { } reason && reason.StartsWith(prefix, StringComparison.Ordinal)
            && DateTime.TryParse(reason.AsSpan(prefix.Length), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var due)
            ? due
            : alert.AtUtc;
    }
}
