namespace Callback.Domain.Cases;

/// <summary>
/// How the victim may be reached safely: the number she named as safe, the hours she can talk (in her own time
/// zone), the channel, whether a voicemail may be left, and a code word.
/// </summary>
public sealed record SafeContact(
    string? SafePhone,
    TimeOnly? SafeFrom,
    TimeOnly? SafeUntil,
    string? TimeZoneId,
    ContactChannel Channel,
    bool NoVoicemail,
    string? CodeWord)
{
    public static SafeContact None { get; } = new(null, null, null, null, ContactChannel.Phone, NoVoicemail: false, CodeWord: null);

    /// <summary>True when <paramref name="nowUtc"/> falls inside the safe hours in the victim's time zone, or no hours were given.</summary>
    public bool IsWithinSafeHours(DateTime nowUtc, string fallbackTimeZoneId)
    {
        if (SafeFrom is not { } from || SafeUntil is not { } until)
        {
            return true;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId ?? fallbackTimeZoneId);
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone));
        return from <= until ? local >= from && local < until : local >= from || local < until;
    }
}
