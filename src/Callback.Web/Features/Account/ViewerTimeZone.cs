using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Account;

/// <summary>The zone a user reads times and days in: their unit's; metropolitan France's for a user without a unit.</summary>
public static class ViewerTimeZone
{
    public static async Task<string> IdOfAsync(CallbackDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        return actor.UnitId is { } unitId
            ? await db.Units.Where(u => u.Id == unitId).Select(u => u.TimeZoneId).SingleOrDefaultAsync(cancellationToken) ?? Unit.DefaultTimeZoneId
            : Unit.DefaultTimeZoneId;
    }

    /// <summary>The instant a calendar day begins in a zone (an hour later where midnight does not exist that day).</summary>
    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(midnight, zone);
    }
}
