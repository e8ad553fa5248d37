using System.Globalization;
using Callback.Domain.Cases;

namespace Callback.Web.Features.Cases;

/// <summary>Whether she named a safe number: the review and the call panel ask, and "none given" is an answer.</summary>
public enum SafeNumberAnswer
{
    NotAnswered,
    Number,
    NoneGiven,
}

/// <summary>
/// The safe contact as an officer edits it (review form, correction during a call). It starts from what the case holds,
/// never from her usual number; the values start empty while an orange identity is still hidden.
/// </summary>
public sealed class SafeContactDraft
{
    public SafeNumberAnswer Answer { get; set; }
    public string? Phone { get; set; }
    public ContactChannel Channel { get; set; } = ContactChannel.Phone;
    public string? SafeFrom { get; set; }
    public string? SafeUntil { get; set; }
    public string? TimeZoneId { get; set; }
    public bool NoVoicemail { get; set; }
    public string? CodeWord { get; set; }

    /// <summary>The draft of <paramref name="current"/>; with <paramref name="showValues"/> false (orange, not revealed) the number and code word stay out of the page.</summary>
    public static SafeContactDraft Of(SafeContact current, bool showValues)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!showValues)
        {
            return new SafeContactDraft();
        }

        return new SafeContactDraft
        {
            Answer = current.SafePhone is not null ? SafeNumberAnswer.Number : current.NoSafeNumberGiven ? SafeNumberAnswer.NoneGiven : SafeNumberAnswer.NotAnswered,
            Phone = current.SafePhone,
            Channel = current.Channel,
            SafeFrom = current.SafeFrom?.ToString("HH:mm", CultureInfo.InvariantCulture),
            SafeUntil = current.SafeUntil?.ToString("HH:mm", CultureInfo.InvariantCulture),
            TimeZoneId = current.TimeZoneId,
            NoVoicemail = current.NoVoicemail,
            CodeWord = current.CodeWord,
        };
    }

    /// <summary>
    /// The safe contact to record, or the resource key of what is wrong with the form (the domain checks the rest and
    /// words its own refusals): the safe-number question unanswered, or hours that are not hh:mm.
    /// </summary>
    public (SafeContact? Contact, string? ErrorKey) Build()
    {
        if (Answer == SafeNumberAnswer.NotAnswered || (Answer == SafeNumberAnswer.Number && string.IsNullOrWhiteSpace(Phone)))
        {
            return (null, "SafeNumberRequired");
        }

        if (!TryTime(SafeFrom, out var from) || !TryTime(SafeUntil, out var until))
        {
            return (null, "SafeHoursFormat");
        }

        var phone = Answer == SafeNumberAnswer.Number ? Phone : null;
        return (new SafeContact(phone, from, until, TimeZoneId, Channel, NoVoicemail, CodeWord) { NoSafeNumberGiven = Answer == SafeNumberAnswer.NoneGiven }, null);
    }

    private static bool TryTime(string? text, out TimeOnly? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (TimeOnly.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
