using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Features.Queue;

/// <summary>Time left to a deadline, as officers read it: "2 h 05 min", "1 j 4 h", or "en retard de 12 min".</summary>
public static class Countdown
{
    public static string Format(DateTime? dueUtc, DateTime nowUtc, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (dueUtc is not { } due)
        {
            return "—";
        }

        var left = due - nowUtc;
        var text = Duration(left, localizer);
        return left <= TimeSpan.Zero ? string.Format(CultureInfo.CurrentCulture, localizer["Overdue"], text) : text;
    }

    /// <summary>A span without its sign, in the same words: "2 h 05 min", "1 j 4 h", "3 min 12 s".</summary>
    public static string Duration(TimeSpan span, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        span = span.Duration();
        return span.TotalDays >= 1
            ? string.Format(CultureInfo.CurrentCulture, localizer["DurationDays"], (int)span.TotalDays, span.Hours)
            : span.TotalHours >= 1
                ? string.Format(CultureInfo.CurrentCulture, localizer["DurationHours"], (int)span.TotalHours, span.Minutes)
                : string.Format(CultureInfo.CurrentCulture, localizer["DurationMinutes"], span.Minutes, span.Seconds);
    }

    /// <summary>
    /// What a list of countdowns shows at <paramref name="nowUtc"/>: their texts and their overdue / due-now marks, as one
    /// number. A page re-renders on its one-second tick only when this changes: beyond the hour a countdown moves once a
    /// minute, and 200 open queues re-rendering 200 rows every second kept a 2-core server busy (bench: circuits).
    /// </summary>
    public static int Shown(IEnumerable<QueueRow> rows, DateTime nowUtc, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var shown = new HashCode();
        foreach (var row in rows)
        {
            shown.Add(Format(row.DueAtUtc, nowUtc, localizer), StringComparer.Ordinal);
            shown.Add(row.IsOverdue(nowUtc));
            shown.Add(row.IsDueNow(nowUtc));
        }

        return shown.ToHashCode();
    }
}
