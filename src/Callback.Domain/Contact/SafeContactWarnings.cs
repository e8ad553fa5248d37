using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Content;

namespace Callback.Domain.Contact;

/// <summary>Why the officer should think before dialling.</summary>
public enum SafeContactWarningCode
{
    /// <summary>The victim asked to be contacted another way (SMS, in person).</summary>
    ChannelNotPhone = 0,

    /// <summary>It is outside the hours she said she can talk, in her time zone.</summary>
    OutsideSafeHours = 1,

    /// <summary>The number about to be called is not the one she named as safe, or she named none.</summary>
    NumberNotMarkedSafe = 2,

    /// <summary>No voicemail may be left: someone else may listen to it.</summary>
    NoVoicemail = 3,

    /// <summary>A code word was agreed: use it.</summary>
    CodeWord = 4,
}

/// <summary>A warning to show before the call, in French and English.</summary>
public sealed record SafeContactWarning(SafeContactWarningCode Code, LocalizedText Text);

/// <summary>
/// The checks made before a call to the victim (PRODUCT.md, "Safe contact"): the tool warns; the officer decides.
/// </summary>
public static class SafeContactWarnings
{
    /// <summary>
    /// The warnings for calling <paramref name="numberToCall"/> at <paramref name="nowUtc"/>, most serious first.
    /// Safe hours are read in the victim's time zone, or the unit's when she gave none. No warning repeats the code
    /// word or the number: the texts may be shown on a shared screen, and the case page shows those to whoever may see them.
    /// </summary>
    public static IReadOnlyList<SafeContactWarning> BeforeCall(SafeContact safeContact, string unitTimeZoneId, string? numberToCall, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(safeContact);
        ArgumentException.ThrowIfNullOrWhiteSpace(unitTimeZoneId);
        var warnings = new List<SafeContactWarning>();

        switch (safeContact.Channel)
        {
            case ContactChannel.Sms:
                warnings.Add(new(SafeContactWarningCode.ChannelNotPhone, new LocalizedText(
                    "La victime a demandé à être contactée par SMS, pas par appel.",
                    "The victim asked to be contacted by text message, not by a call.")));
                break;
            case ContactChannel.InPerson:
                warnings.Add(new(SafeContactWarningCode.ChannelNotPhone, new LocalizedText(
                    "La victime a demandé à être contactée en personne, pas par téléphone.",
                    "The victim asked to be contacted in person, not by phone.")));
                break;
            case ContactChannel.ThirdParty:
                warnings.Add(new(SafeContactWarningCode.ChannelNotPhone, new LocalizedText(
                    "La victime a demandé à être contactée par l'intermédiaire d'un tiers, pas directement.",
                    "The victim asked to be contacted through a third party, not directly.")));
                break;
        }

        if (!safeContact.IsWithinSafeHours(nowUtc, unitTimeZoneId))
        {
            warnings.Add(OutsideHours(safeContact, unitTimeZoneId, nowUtc));
        }

        if (safeContact.SafePhone is null && safeContact.NoSafeNumberGiven)
        {
            warnings.Add(new(SafeContactWarningCode.NumberNotMarkedSafe, new LocalizedText(
                "La victime n'a donné aucun numéro sûr : ce numéro est peut-être accessible à l'auteur.",
                "The victim gave no safe number: the author may have access to this number.")));
        }
        else if (safeContact.SafePhone is null)
        {
            warnings.Add(new(SafeContactWarningCode.NumberNotMarkedSafe, new LocalizedText(
                "Aucun numéro sûr n'a été noté : ce numéro est peut-être accessible à l'auteur.",
                "No safe number was recorded: the author may have access to this number.")));
        }
        else if (numberToCall is null || !PhoneNumbers.AreSame(safeContact.SafePhone, numberToCall))
        {
            warnings.Add(new(SafeContactWarningCode.NumberNotMarkedSafe, new LocalizedText(
                "Ce n'est pas le numéro que la victime a désigné comme sûr.",
                "This is not the number the victim named as safe.")));
        }

        if (safeContact.NoVoicemail)
        {
            warnings.Add(new(SafeContactWarningCode.NoVoicemail, new LocalizedText(
                "Ne laissez pas de message vocal.",
                "Do not leave a voicemail.")));
        }

        if (!string.IsNullOrWhiteSpace(safeContact.CodeWord))
        {
            warnings.Add(new(SafeContactWarningCode.CodeWord, new LocalizedText(
                "Un mot code a été convenu : utilisez-le pour vous présenter.",
                "A code word was agreed: use it to introduce yourself.")));
        }

        return warnings;
    }

    private static SafeContactWarning OutsideHours(SafeContact safeContact, string unitTimeZoneId, DateTime nowUtc)
    {
        var zoneId = safeContact.TimeZoneId ?? unitTimeZoneId;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        // IsWithinSafeHours is true when no hours were given, so both are set here.
        var from = safeContact.SafeFrom!.Value.ToString("HH:mm", CultureInfo.InvariantCulture);
        var until = safeContact.SafeUntil!.Value.ToString("HH:mm", CultureInfo.InvariantCulture);
        var now = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return new SafeContactWarning(SafeContactWarningCode.OutsideSafeHours, new LocalizedText(
            $"Hors des heures sûres de la victime : il est {now} dans son fuseau horaire ({zoneId}) ; la victime peut parler de {from} à {until}.",
            $"Outside the victim's safe hours: it is {now} where she is ({zoneId}); she can talk from {from} to {until}."));
    }
}

/// <summary>Compares French phone numbers however they were typed: spaces, dots, +33, 0033, overseas codes.</summary>
internal static class PhoneNumbers
{
    // Country codes whose national numbers are "0" followed by nine digits: metropolitan France and the overseas
    // départements of the units (Réunion and Mayotte share +262).
    private static readonly string[] FrenchCodes = ["33", "262", "590", "594", "596"];

    public static bool AreSame(string a, string b) => Normalise(a) is { Length: > 0 } x && x == Normalise(b);

    /// <summary>Digits only, in the national form ("0612345678") for French numbers, with a leading "+" for the rest.</summary>
    public static string Normalise(string number)
    {
        var trimmed = number.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        var international = trimmed.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal);
        if (!international)
        {
            return digits;
        }

        digits = trimmed.StartsWith('+') ? digits : digits[2..];
        // "+33 (0)6 ..." is still written: a trunk 0 after the country code is dropped.
        foreach (var code in FrenchCodes)
        {
            if (digits.StartsWith(code, StringComparison.Ordinal))
            {
                var national = digits[code.Length..];
                national = national.Length == 10 && national[0] == '0' ? national[1..] : national;
                if (national.Length == 9)
                {
                    return "0" + national;
                }
            }
        }

        return "+" + digits;
    }
}
