using Callback.Domain.Access;
using Callback.Domain.Campaigns;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Callback.Web.Features.Supervision;

/// <summary>One day of a unit's forecast: the calls owed that day against the capacity, and the misses projected.</summary>
/// <param name="Day">The calendar day in the unit's zone.</param>
/// <param name="Due">Calls falling due that day (<see cref="CallLoad"/>).</param>
/// <param name="Calls">What the cell owes that day: <paramref name="Due"/>, and on the first day the calls already overdue too.</param>
/// <param name="Capacity">The unit's daily call capacity (its own, or the configured default).</param>
/// <param name="ProjectedMisses">Due × (1 − the unit's recent compliance), rounded; null when the unit has no history to project from.</param>
public sealed record ForecastDay(DateOnly Day, int Due, int Calls, int Capacity, int? ProjectedMisses)
{
    public bool OverCapacity => Calls > Capacity;
}

/// <summary>
/// A unit's next <see cref="CapacityForecastService.Days"/> days. <see cref="History"/> is its compliance over its last
/// <see cref="CapacityForecastService.HistoryDays"/> local days, today included; its rate (null without decisions) is the
/// one the misses are projected at.
/// </summary>
public sealed record UnitForecast(
    int UnitId, string UnitCode, string UnitName, string TimeZoneId, int Capacity, bool CapacityIsDefault, int Overdue,
    CompliancePoint History, IReadOnlyList<ForecastDay> Days)
{
    public int OverCapacityDays => Days.Count(d => d.OverCapacity);
}

/// <summary>
/// The capacity forecast of the supervision page (issue 18.3): for each unit in the actor's scope (the rule the rest of
/// the page reads by), the calls falling due over the next days against its daily capacity, and the misses to expect if
/// the unit keeps the compliance of its last week.
/// </summary>
public sealed class CapacityForecastService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, IOptions<WorkflowOptions> options)
{
    public const int Days = 14;
    public const int HistoryDays = 7;

    public async Task<IReadOnlyList<UnitForecast>> LoadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().Where(CaseScope.ForUnits(actor)).OrderBy(u => u.Code).ToListAsync(cancellationToken);
        if (units.Count == 0)
        {
            return [];
        }

        var load = await CallLoad.PerDayAsync(db, units, now, Days, cancellationToken);
        // Today in a unit's zone is at earliest yesterday in UTC, and a local day starts up to 14 hours before the UTC day
        // of the same date: a day more than the history on each side covers every zone.
        var since = now.Date.AddDays(-(HistoryDays + 1));
        var decisions = await SupervisionService.DecisionsAsync(db, db.Cases.AsNoTracking().InScopeOf(actor), since, cancellationToken);
        var workflow = options.Value;

        return units.Select(unit =>
        {
            var today = load.FirstDayOf(unit.Id);
            var firstHistoryDay = today.AddDays(-(HistoryDays - 1));
            var recent = decisions.Where(d => d.UnitId == unit.Id && d.Day >= firstHistoryDay && d.Day <= today).ToList();
            var reached = recent.Count(d => d.Reached);
            var history = new CompliancePoint(firstHistoryDay, reached, recent.Count - reached);
            var capacity = workflow.DailyCallCapacityOf(unit.DailyCallCapacity);
            var days = Enumerable.Range(0, Days).Select(i => today.AddDays(i)).Select(day =>
            {
                var due = load.DueOn(unit.Id, day);
                return new ForecastDay(day, due, load.CallsOn(unit.Id, day), capacity, ProjectedMisses(due, history.Rate));
            }).ToList();
            return new UnitForecast(unit.Id, unit.Code, unit.Name, unit.TimeZoneId, capacity, unit.DailyCallCapacity is not > 0,
                load.Overdue[unit.Id], history, days);
        }).ToList();
    }

    /// <summary>The calls of a day expected to be missed at <paramref name="compliance"/>, to the nearest whole call; none projected without a rate.</summary>
    public static int? ProjectedMisses(int due, double? compliance) =>
        compliance is { } rate ? (int)Math.Round(due * (1 - rate), MidpointRounding.AwayFromZero) : null;
}
