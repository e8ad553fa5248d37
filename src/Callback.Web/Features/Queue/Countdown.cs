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
    /// The first instant after <paramref name="nowUtc"/> at which a list of countdowns shows something else: a text or an
    /// overdue / due-now mark. A page redraws on its one-second tick only once this instant has come: beyond the hour a
    /// countdown moves once a minute, and 200 open queues re-rendering 200 rows every second kept a 2-core server busy
    /// (bench: circuits). Arithmetic only, so the tick of 500 open queues formats nothing to find that out.
    /// </summary>
    public static DateTime NextChangeUtc(IEnumerable<QueueRow> rows, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var next = DateTime.MaxValue;
        foreach (var row in rows)
        {
            if (row.DueAtUtc is { } due && NextTextChange(due, nowUtc) is var text && text < next)
            {
                next = text;
            }

            // The due-now mark comes on when the next attempt's time comes.
            if (row.NextAttemptAtUtc is { } attempt && attempt > nowUtc && attempt < next)
            {
                next = attempt;
            }
        }

        return next;
    }

    /// <summary>
    /// When <see cref="Format"/> next reads differently for one deadline. Before it, the text counts whole units down
    /// (hours beyond a day, minutes beyond an hour, seconds within it) and changes just after the time left passes a
    /// whole unit; at the deadline it turns overdue; after it, it counts whole units up and changes when they are full.
    /// </summary>
    private static DateTime NextTextChange(DateTime dueUtc, DateTime nowUtc)
    {
        var left = dueUtc - nowUtc;
        if (left > TimeSpan.Zero)
        {
            var unit = Unit(left).Ticks;
            var whole = left.Ticks / unit;
            return whole == 0 ? dueUtc : dueUtc.AddTicks(1 - whole * unit);
        }

        var late = -left;
        var step = Unit(late).Ticks;
        return dueUtc.AddTicks((late.Ticks / step + 1) * step);
    }

    /// <summary>The smallest unit <see cref="Duration"/> shows for a span of that length.</summary>
    private static TimeSpan Unit(TimeSpan span) =>
        span.TotalDays >= 1 ? TimeSpan.FromHours(1) : span.TotalHours >= 1 ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1);
}
