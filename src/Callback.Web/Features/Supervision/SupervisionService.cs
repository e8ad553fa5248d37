using Callback.Domain.Access;
using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Supervision;

/// <summary>
/// Reads the supervisor's dashboard within scope (the département for a supervisor, all for an admin). "Overdue" is
/// computed here from each case's deadline and the clock; it is never stored.
/// </summary>
public sealed class SupervisionService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, Microsoft.Extensions.Options.IOptions<WorkflowOptions>? options = null)
{
    /// <summary>The "due soon" window: <see cref="WorkflowOptions.DueSoonWithin"/> (4 h by default, minutes in Training).</summary>
    public TimeSpan DueSoonWithin { get; } = (options?.Value ?? new WorkflowOptions()).DueSoonWithin;
    public const int DaysShown = 14;
    public const int WeeksShown = 8;
    public const int ListLimit = 100;

    /// <summary>
    /// The audit actions that decide compliance. A first contact is recorded only while the case awaits contact, and the
    /// lifecycle leaves that state when the deadline elapses: a RecordContact entry (closed at the first call) or a
    /// StartFollowUp entry (reached and put under follow-up) is a victim reached within the deadline (up to the sweep's
    /// lag). The other two are the deadline passing and the calls running out. A follow-up's check-ins are not first
    /// contacts and do not count again.
    /// </summary>
    private static readonly string[] Reached = [nameof(CaseTrigger.RecordContact), nameof(CaseTrigger.StartFollowUp)];
    private static readonly string[] ComplianceActions = [.. Reached, nameof(CaseTrigger.ContactDeadlineElapsed), nameof(CaseTrigger.MaxAttemptsReached)];

    public async Task<SupervisionModel> LoadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now + DueSoonWithin;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var inScope = db.Cases.AsNoTracking().InScopeOf(actor);
        var open = inScope.Where(c => c.State != CaseState.Closed);

        var overdue = await Rows(open.Where(c => c.DueAtUtc <= now).OrderBy(c => c.DueAtUtc), cancellationToken);
        var dueSoon = await Rows(open.Where(c => c.DueAtUtc > now && c.DueAtUtc <= soon).OrderBy(c => c.DueAtUtc), cancellationToken);
        var stale = await Rows(open.Where(c => c.CurrentClaim.Holder != null && c.CurrentClaim.ExpiresAtUtc <= now).OrderBy(c => c.CurrentClaim.ExpiresAtUtc), cancellationToken);
        var patrolAlerts = overdue.Where(r => r.State is CaseState.PatrolRequested or CaseState.PatrolDispatched).ToList();
        var closed = await Rows(inScope.Where(c => c.State == CaseState.Closed).OrderByDescending(c => c.ClosedAtUtc), cancellationToken, take: 10);

        var claims = await open.Where(c => c.CurrentClaim.Holder != null && c.CurrentClaim.ExpiresAtUtc > now)
            .GroupBy(c => c.CurrentClaim.Holder!)
            .Select(g => new { Officer = g.Key, Claimed = g.Count(), Overdue = g.Count(c => c.DueAtUtc <= now) })
            .ToListAsync(cancellationToken);

        var map = await open.GroupBy(c => c.Unit!.Departement)
            .Select(g => new DepartementCount(g.Key, g.Count(), g.Count(c => c.DueAtUtc <= now)))
            .ToListAsync(cancellationToken);

        var campaigns = await CampaignsAsync(db, inScope, cancellationToken);
        var referrals = await ReferralsAsync(db, inScope, cancellationToken);
        var viewerZone = await ViewerTimeZone.IdOfAsync(db, actor, cancellationToken);
        var (daily, weekly) = await ComplianceAsync(db, inScope, now, viewerZone, cancellationToken);

        var holders = overdue.Concat(dueSoon).Concat(stale).Select(r => r.HolderId).Concat(claims.Select(c => c.Officer)).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => holders.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        List<DeadlineRow> Named(List<DeadlineRow> rows) => rows.Select(r => r with { HolderName = r.HolderId is { } h ? names.GetValueOrDefault(h, h) : null }).ToList();

        return new SupervisionModel(
            now, DueSoonWithin, Named(overdue), Named(dueSoon),
            claims.Select(c => new OfficerLoad(c.Officer, names.GetValueOrDefault(c.Officer, c.Officer), c.Claimed, c.Overdue)).OrderByDescending(l => l.Claimed).ThenBy(l => l.Name, StringComparer.CurrentCulture).ToList(),
            Named(stale), Named(patrolAlerts), closed, campaigns, map.OrderBy(m => m.Departement, StringComparer.Ordinal).ToList(), daily, weekly)
        {
            Referrals = referrals,
        };
    }

    /// <summary>Every referral of a case in scope, open or closed, counted by the status its partner last reported.</summary>
    private static async Task<IReadOnlyList<ReferralStatusCount>> ReferralsAsync(CallbackDbContext db, IQueryable<Case> inScope, CancellationToken cancellationToken)
    {
        var ids = inScope.Select(c => c.Id);
        var counts = await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.CaseId))
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return Enum.GetValues<Domain.Partners.ReferralStatus>().Select(s => new ReferralStatusCount(s, counts.GetValueOrDefault(s))).ToList();
    }

    /// <summary>Officers of the units in the actor's scope, enabled, for the reassign action.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> OfficersAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var units = db.Units.Where(CaseScope.ForUnits(actor)).Select(u => (int?)u.Id);
        var officerRole = db.Roles.Where(r => r.Name == Roles.Officer).Select(r => r.Id);
        var officers = await db.Users.AsNoTracking()
            .Where(u => !u.Disabled && units.Contains(u.UnitId) && db.UserRoles.Any(ur => ur.UserId == u.Id && officerRole.Contains(ur.RoleId)))
            .Select(u => new { u.Id, u.DisplayName })
            .ToListAsync(cancellationToken);
        return officers.Select(o => (o.Id, o.DisplayName)).OrderBy(o => o.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    private static async Task<List<DeadlineRow>> Rows(IQueryable<Case> cases, CancellationToken cancellationToken, int take = ListLimit) =>
        await cases.Take(take)
            .Select(c => new DeadlineRow(c.Id, c.Version, c.FileReference, c.Unit!.Code, c.State, c.Danger, c.DueAtUtc, c.CurrentClaim.Holder, null))
            .ToListAsync(cancellationToken);

    private static async Task<IReadOnlyList<CampaignProgress>> CampaignsAsync(CallbackDbContext db, IQueryable<Case> inScope, CancellationToken cancellationToken)
    {
        var reached = db.CallAttempts.Where(a => a.Outcome == AttemptOutcome.Reached).Select(a => a.CaseId);
        var counts = await inScope.Where(c => c.CampaignId != null)
            .GroupBy(c => c.CampaignId!.Value)
            .Select(g => new
            {
                Id = g.Key,
                Total = g.Count(),
                Reviewed = g.Count(c => c.State != CaseState.AwaitingReview),
                Reached = g.Count(c => reached.Contains(c.Id)),
                Patrol = g.Count(c => c.Patrol.RequestedAtUtc != null),
                Closed = g.Count(c => c.State == CaseState.Closed),
            })
            .ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.Id).ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return counts.Select(c => new CampaignProgress(c.Id, campaigns[c.Id].Name, campaigns[c.Id].ImportedAtUtc, c.Total, c.Reviewed, c.Reached, c.Patrol, c.Closed))
            .OrderByDescending(c => c.ImportedAtUtc).ToList();
    }

    /// <summary>
    /// Per day over the last <see cref="DaysShown"/> days, and per ISO week (Monday) over the last <see cref="WeeksShown"/>.
    /// Each decision counts on its unit's calendar day, not the UTC day (a victim reached at 23:30 UTC in January was
    /// reached the next day in Paris); the days end on today in the viewer's unit's zone.
    /// </summary>
    private static async Task<(IReadOnlyList<CompliancePoint> Daily, IReadOnlyList<CompliancePoint> Weekly)> ComplianceAsync(
        CallbackDbContext db, IQueryable<Case> inScope, DateTime now, string viewerZone, CancellationToken cancellationToken)
    {
        var today = Unit.LocalDate(now, viewerZone);
        var firstWeek = Monday(today).AddDays(-7 * (WeeksShown - 1));
        var firstDay = today.AddDays(-(DaysShown - 1));
        // A local day starts up to 14 hours before the UTC day of the same date (UTC+14): one day earlier covers every zone.
        var since = (firstWeek < firstDay ? firstWeek : firstDay).AddDays(-1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var decisions = await DecisionsAsync(db, inScope, since, cancellationToken);

        IReadOnlyList<CompliancePoint> Series(DateOnly first, int count, int step, Func<DateOnly, DateOnly> bucket) =>
            Enumerable.Range(0, count).Select(i => first.AddDays(i * step)).Select(start =>
            {
                var inPeriod = decisions.Where(d => bucket(d.Day) == start).ToList();
                var reachedCount = inPeriod.Count(d => d.Reached);
                return new CompliancePoint(start, reachedCount, inPeriod.Count - reachedCount);
            }).ToList();

        return (Series(firstDay, DaysShown, 1, d => d), Series(firstWeek, WeeksShown, 7, Monday));
    }

    /// <summary>
    /// Every compliance decision (<see cref="ComplianceActions"/>) on a case in scope since <paramref name="sinceUtc"/>: its
    /// unit, the calendar day it was taken on in that unit's zone, and whether the victim was reached in time. The one
    /// compliance rule, read by this page's charts and by the capacity forecast.
    /// </summary>
    internal static async Task<IReadOnlyList<ComplianceDecision>> DecisionsAsync(
        CallbackDbContext db, IQueryable<Case> inScope, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        var rows = await (
                from e in db.AuditEntries.AsNoTracking()
                where ComplianceActions.Contains(e.Action) && e.AtUtc >= sinceUtc
                join c in inScope on e.CaseId equals (Guid?)c.Id
                select new { e.AtUtc, e.Action, c.UnitId, c.Unit!.TimeZoneId })
            .ToListAsync(cancellationToken);
        return rows.Select(d => new ComplianceDecision(d.UnitId, Unit.LocalDate(d.AtUtc, d.TimeZoneId), Reached.Contains(d.Action))).ToList();
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("P0", CultureInfo.CurrentCulture) : "—";

    /// <summary>
    /// A configured window as the page says it: "4 h", "1 h 30", or "4 min" under the hour (Training's deadlines are
    /// minutes, and "4 h" there was wrong by sixty times).
    /// </summary>
    internal static string Window(TimeSpan window, Microsoft.Extensions.Localization.IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return window < TimeSpan.FromHours(1)
            ? string.Format(CultureInfo.CurrentCulture, localizer["WindowMinutes"], Math.Max(1, (int)Math.Round(window.TotalMinutes)))
            : window.Minutes == 0
                ? string.Format(CultureInfo.CurrentCulture, localizer["WindowHours"], (int)window.TotalHours)
                : string.Format(CultureInfo.CurrentCulture, localizer["WindowHoursMinutes"], (int)window.TotalHours, window.Minutes);
    }

    /// <summary>A day of the statistics in the page's language: "22 nov. 2026", never the ISO 2026-11-22.</summary>
    internal static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.CurrentCulture);
}
