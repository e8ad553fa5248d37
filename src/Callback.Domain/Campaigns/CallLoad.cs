using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Campaigns;

/// <summary>
/// The calls falling due per unit and per calendar day of the unit's zone, from an instant on: what the capacity
/// forecast draws and what a campaign scheduler must leave room for.
/// </summary>
/// <remarks>
/// A call falls due on the day of its deadline, in the unit's zone (a case due at 23:30 UTC in January is due the next
/// day in Paris):
/// <list type="bullet">
/// <item>a case awaiting contact, by <see cref="Case.DueAtUtc"/> (the contact deadline);</item>
/// <item>a case awaiting review, by <see cref="Case.CampaignContactDueUtc"/> when it belongs to a campaign (its review
/// comes before, but the call is owed by the campaign's contact deadline), else by <see cref="Case.DueAtUtc"/>;</item>
/// <item>a case under follow-up, by <see cref="Case.DueAtUtc"/> (the next check-in).</item>
/// </list>
/// Closed cases and the patrol states owe no call from the cell and are not counted.
/// <para>
/// A call whose deadline passed before <c>fromUtc</c> is <see cref="Overdue"/>, not due on a day: a supervisor reads
/// "already overdue" apart from what falls due today, and the figures for today are not swollen by a backlog that may be
/// weeks old. The cell still owes those calls today: <see cref="CallsOn"/> adds them to the first day, which is what a
/// scheduler filling the room left on a day must subtract.
/// </para>
/// </remarks>
public sealed class CallLoad
{
    private readonly Dictionary<(int UnitId, DateOnly Day), int> _due;
    private readonly Dictionary<int, int> _overdue;
    private readonly Dictionary<int, DateOnly> _firstDay;

    private CallLoad(DateTime fromUtc, int days, Dictionary<(int, DateOnly), int> due, Dictionary<int, int> overdue, Dictionary<int, DateOnly> firstDay)
    {
        FromUtc = fromUtc;
        Days = days;
        _due = due;
        _overdue = overdue;
        _firstDay = firstDay;
    }

    /// <summary>The instant the load was read from: calls due before it are <see cref="Overdue"/>.</summary>
    public DateTime FromUtc { get; }

    /// <summary>How many calendar days each unit's load covers, its first day included.</summary>
    public int Days { get; }

    /// <summary>Calls due per unit and local day from <see cref="FromUtc"/> on; every unit and day of the window is present, zero included.</summary>
    public IReadOnlyDictionary<(int UnitId, DateOnly Day), int> Due => _due;

    /// <summary>Calls whose deadline passed before <see cref="FromUtc"/>, per unit (zero included).</summary>
    public IReadOnlyDictionary<int, int> Overdue => _overdue;

    /// <summary>A unit's first day: the calendar day <see cref="FromUtc"/> falls on in its zone.</summary>
    public DateOnly FirstDayOf(int unitId) => _firstDay[unitId];

    /// <summary>The calls due on <paramref name="day"/> in the unit's zone (0 outside the window).</summary>
    public int DueOn(int unitId, DateOnly day) => _due.GetValueOrDefault((unitId, day));

    /// <summary>The calls the cell owes on <paramref name="day"/>: those due that day, and on its first day the overdue ones too.</summary>
    public int CallsOn(int unitId, DateOnly day) =>
        DueOn(unitId, day) + (_firstDay.TryGetValue(unitId, out var first) && first == day ? _overdue[unitId] : 0);

    /// <summary>
    /// Reads the calls due for <paramref name="units"/> over <paramref name="days"/> calendar days of each unit's zone, the
    /// first being the day <paramref name="fromUtc"/> falls on there. Counts the overdue calls in the database and reads two
    /// columns of the calls in the window, grouped in memory (the local day depends on each unit's zone, which neither provider computes alike).
    /// </summary>
    public static async Task<CallLoad> PerDayAsync(
        CallbackDbContext db, IReadOnlyCollection<Unit> units, DateTime fromUtc, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        fromUtc = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc);

        var zones = units.DistinctBy(u => u.Id).ToDictionary(u => u.Id, u => u.TimeZone);
        var firstDay = zones.ToDictionary(z => z.Key, z => DateOnly.FromDateTime(Unit.ToLocal(fromUtc, z.Value)));
        var due = new Dictionary<(int, DateOnly), int>(zones.Count * days);
        foreach (var (unitId, first) in firstDay)
        {
            for (var i = 0; i < days; i++)
            {
                due[(unitId, first.AddDays(i))] = 0;
            }
        }

        var overdue = zones.Keys.ToDictionary(id => id, _ => 0);
        if (zones.Count == 0)
        {
            return new CallLoad(fromUtc, days, due, overdue, firstDay);
        }

        // A local day ends at most 14 hours after the UTC day of the same date (UTC-12 is the widest the other way):
        // a day more than the window covers every zone, and the local day decides below.
        var until = fromUtc.AddDays(days + 1);
        var ids = zones.Keys.ToList();
        var owed = db.Cases.AsNoTracking()
            .Where(c => ids.Contains(c.UnitId)
                && (c.State == CaseState.AwaitingContact || c.State == CaseState.FollowUp || c.State == CaseState.AwaitingReview))
            .Select(c => new { c.UnitId, Due = c.State == CaseState.AwaitingReview && c.CampaignContactDueUtc != null ? c.CampaignContactDueUtc : c.DueAtUtc });
        // The overdue are only counted (a backlog may be large); the window's rows are read, two columns each.
        foreach (var unit in await owed.Where(c => c.Due < fromUtc).GroupBy(c => c.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
        {
            overdue[unit.Key] = unit.Count;
        }

        var rows = await owed.Where(c => c.Due >= fromUtc && c.Due < until).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var key = (row.UnitId, DateOnly.FromDateTime(Unit.ToLocal(row.Due!.Value, zones[row.UnitId])));
            if (due.TryGetValue(key, out var count))
            {
                due[key] = count + 1;
            }
        }

        return new CallLoad(fromUtc, days, due, overdue, firstDay);
    }
}
