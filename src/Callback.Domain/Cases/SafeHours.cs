namespace Callback.Domain.Cases;

/// <summary>The arithmetic of a victim's safe hours, in her own time zone, across midnight and daylight-saving changes.</summary>
public static class SafeHours
{
    /// <summary>
    /// The first instant at or after <paramref name="fromUtc"/> inside her safe hours: <paramref name="fromUtc"/> itself
    /// when it is inside (or she gave no hours), else the next opening of her hours. An opening that falls in a
    /// spring-forward gap opens at the end of the gap; one that falls in an autumn hour that happens twice opens at the
    /// first of the two.
    /// </summary>
    public static DateTime NextMomentWithin(DateTime fromUtc, SafeContact safeContact, string fallbackTimeZoneId)
    {
        ArgumentNullException.ThrowIfNull(safeContact);
        fromUtc = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc);
        if (safeContact.SafeFrom is not { } opens || safeContact.IsWithinSafeHours(fromUtc, fallbackTimeZoneId))
        {
            return fromUtc;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(safeContact.TimeZoneId ?? fallbackTimeZoneId);
        var local = TimeZoneInfo.ConvertTimeFromUtc(fromUtc, zone);
        for (var day = 0; day <= 2; day++)
        {
            var candidate = ToUtc(local.Date.AddDays(day) + opens.ToTimeSpan(), zone);
            if (candidate > fromUtc)
            {
                return candidate;
            }
        }

        return fromUtc;
    }

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            // The clocks jumped over this minute: the hours open when the clocks land.
            local = local.AddMinutes(1);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The hour happens twice: the first time is the earliest instant, the larger offset.
            return DateTime.SpecifyKind(local - zone.GetAmbiguousTimeOffsets(local).Max(), DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
