namespace Callback.Domain.Cases;

/// <summary>
/// How the victim may be reached safely: the number she named as safe, the hours she can talk (in her own time
/// zone), the channel, whether a voicemail may be left, and a code word. Nothing here is ever derived from her usual
/// number: a safe number is one she named, and "she named none" is an answer of its own (<see cref="NoSafeNumberGiven"/>).
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
    /// <summary>The longest code word kept (the column's size).</summary>
    public const int MaxCodeWordLength = 100;

    public static SafeContact None { get; } = new(null, null, null, null, ContactChannel.Phone, NoVoicemail: false, CodeWord: null);

    /// <summary>
    /// She was asked and gave no safe number. Distinct from never asked (both have no <see cref="SafePhone"/>): the
    /// briefing says which, so a crew never takes a number nobody vouched for as safe.
    /// </summary>
    public bool NoSafeNumberGiven { get; init; }

    /// <summary>Whether the question of a safe number has an answer: a number, or "none given".</summary>
    public bool SafeNumberAnswered => SafePhone is not null || NoSafeNumberGiven;

    /// <summary>
    /// Checks what an officer typed and returns it cleaned (trimmed, blanks as null). Refusals name the field:
    /// a number of 6 to 15 digits, both safe hours or neither, a known time zone, a code word of at most 100 characters,
    /// and a number and "none given" not both.
    /// </summary>
    public SafeContact Validated()
    {
        var phone = Blank(SafePhone);
        if (phone is not null)
        {
            var digits = phone.Count(char.IsAsciiDigit);
            if (digits is < 6 or > 15 || phone.Any(ch => !char.IsAsciiDigit(ch) && " .-+()/".IndexOf(ch, StringComparison.Ordinal) < 0))
            {
                throw new CaseRuleException(Localization.DomainText.Get("SafeContact.PhoneInvalid"));
            }

            if (NoSafeNumberGiven)
            {
                throw new CaseRuleException(Localization.DomainText.Get("SafeContact.PhoneAndNone"));
            }
        }

        if (SafeFrom.HasValue != SafeUntil.HasValue)
        {
            throw new CaseRuleException(Localization.DomainText.Get("SafeContact.HoursIncomplete"));
        }

        var zone = Blank(TimeZoneId);
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw new CaseRuleException(Localization.DomainText.Format("SafeContact.TimeZoneUnknown", zone));
        }

        var codeWord = Blank(CodeWord);
        if (codeWord is { Length: > MaxCodeWordLength })
        {
            throw new CaseRuleException(Localization.DomainText.Get("SafeContact.CodeWordTooLong"));
        }

        if (!Enum.IsDefined(Channel))
        {
            throw new CaseRuleException(Localization.DomainText.Get("SafeContact.ChannelUnknown"));
        }

        return this with { SafePhone = phone, TimeZoneId = zone, CodeWord = codeWord };
    }

    /// <summary>The names of the fields that differ from <paramref name="before"/>, for the audit log (never the values).</summary>
    public IReadOnlyList<string> ChangedFrom(SafeContact before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var changed = new List<string>();
        if (SafePhone != before.SafePhone || NoSafeNumberGiven != before.NoSafeNumberGiven)
        {
            changed.Add(nameof(SafePhone));
        }

        if (SafeFrom != before.SafeFrom || SafeUntil != before.SafeUntil)
        {
            changed.Add("SafeHours");
        }

        if (TimeZoneId != before.TimeZoneId)
        {
            changed.Add(nameof(TimeZoneId));
        }

        if (Channel != before.Channel)
        {
            changed.Add(nameof(Channel));
        }

        if (NoVoicemail != before.NoVoicemail)
        {
            changed.Add(nameof(NoVoicemail));
        }

        if (CodeWord != before.CodeWord)
        {
            changed.Add(nameof(CodeWord));
        }

        return changed;
    }

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

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
