using Callback.Domain.Cases;
using Callback.Domain.Units;

namespace Callback.Domain.Campaigns;

/// <summary>What the schedule needs to know of one new campaign case.</summary>
public sealed record CampaignCandidate(Unit Unit, TriState Cohabiting, DangerLevel Danger, bool? PenalResponse, DateTime InterventionAtUtc);

/// <summary>A campaign case's own deadlines: its review, and the call that must reach her.</summary>
public sealed record CampaignSlot(DateTime ReviewDueUtc, DateTime ContactDueUtc);

/// <summary>How many of a campaign's cases fall due on one day of one unit (the dry run's table).</summary>
public sealed record CampaignDay(string UnitCode, DateOnly Day, int Cases, int Capacity);

/// <summary>
/// Paces a re-examination campaign to the cell (issue 18.1): each unit's cases are given contact deadlines so that no
/// day of the unit (its own calendar, in its time zone) holds more than its daily call capacity, counting the calls
/// already due that day (<see cref="Plan"/>'s <c>load</c>); the most urgent get the first days: a perpetrator living
/// with her first, then the higher danger, then a penal response still pending, then the most recent intervention.
/// The first day is <see cref="WorkflowOptions.CampaignContactPeriod"/> after the import, at the import's time of day,
/// so a small campaign keeps the deadline it always had; each review falls due the same number of days earlier as the
/// campaign's review period says, so reviews are paced alike. Deadlines run from the campaign, never from interventions.
/// </summary>
public static class CampaignSchedule
{
    /// <summary>
    /// The slot of each candidate, in the candidates' order. <paramref name="load"/> gives, per unit and local day, the
    /// calls already due there (other campaigns, ordinary cases); a day already full is skipped.
    /// </summary>
    public static IReadOnlyList<CampaignSlot> Plan(
        IReadOnlyList<CampaignCandidate> candidates, DateTime nowUtc, WorkflowOptions options,
        IReadOnlyDictionary<(int UnitId, DateOnly Day), int>? load = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(options);
        var slots = new CampaignSlot[candidates.Count];
        var reviewLead = options.CampaignContactPeriod - options.CampaignReviewPeriod;
        foreach (var unit in Enumerable.Range(0, candidates.Count).GroupBy(i => candidates[i].Unit.Id))
        {
            var first = candidates[unit.First()].Unit;
            var zone = first.TimeZone;
            var capacity = options.DailyCallCapacityOf(first.DailyCallCapacity);
            var startLocal = Unit.ToLocal(nowUtc + options.CampaignContactPeriod, zone);
            var day = DateOnly.FromDateTime(startLocal);
            var used = load?.GetValueOrDefault((first.Id, day)) ?? 0;
            foreach (var i in unit.OrderBy(i => candidates[i], MostUrgentFirst).ThenBy(i => i))
            {
                while (used >= capacity)
                {
                    day = day.AddDays(1);
                    used = load?.GetValueOrDefault((first.Id, day)) ?? 0;
                }

                used++;
                var contactDue = UtcOf(day.ToDateTime(TimeOnly.FromDateTime(startLocal)), zone);
                slots[i] = new CampaignSlot(Later(contactDue - reviewLead, nowUtc), contactDue);
            }
        }

        return slots;
    }

    /// <summary>
    /// How many days of calls already due a plan of <paramref name="cases"/> may have to read: up to the first campaign
    /// day, then enough days for every case at the smallest capacity, and as many again for days others have filled.
    /// </summary>
    public static int DaysToRead(int cases, IReadOnlyCollection<Unit> units, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(options);
        var smallest = units.Count == 0 ? options.DefaultDailyCallCapacity : units.Min(u => options.DailyCallCapacityOf(u.DailyCallCapacity));
        return (int)Math.Ceiling(options.CampaignContactPeriod.TotalDays) + (2 * ((cases / smallest) + 1)) + 1;
    }

    /// <summary>Cases due per unit and local day, in day order: what the dry run shows.</summary>
    public static IReadOnlyList<CampaignDay> Days(IReadOnlyList<CampaignCandidate> candidates, IReadOnlyList<CampaignSlot> slots, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(options);
        return Enumerable.Range(0, candidates.Count)
            .GroupBy(i => (Unit: candidates[i].Unit, Day: Unit.LocalDate(slots[i].ContactDueUtc, candidates[i].Unit.TimeZoneId)))
            .Select(g => new CampaignDay(g.Key.Unit.Code, g.Key.Day, g.Count(), options.DailyCallCapacityOf(g.Key.Unit.DailyCallCapacity)))
            .OrderBy(d => d.Day).ThenBy(d => d.UnitCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The urgency order of issue 18: negative when <c>a</c> is to be called first.</summary>
    public static IComparer<CampaignCandidate> MostUrgentFirst { get; } = Comparer<CampaignCandidate>.Create((a, b) =>
    {
        var cohabiting = (b.Cohabiting == TriState.Yes).CompareTo(a.Cohabiting == TriState.Yes);
        if (cohabiting != 0)
        {
            return cohabiting;
        }

        var danger = b.Danger.CompareTo(a.Danger);
        if (danger != 0)
        {
            return danger;
        }

        // "Still pending": no penal response recorded yet (no, or not known).
        var pending = (b.PenalResponse != true).CompareTo(a.PenalResponse != true);
        return pending != 0 ? pending : b.InterventionAtUtc.CompareTo(a.InterventionAtUtc);
    });

    /// <summary>A wall-clock time of a zone as UTC; a time the spring change skips is taken an hour later.</summary>
    private static DateTime UtcOf(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
}
