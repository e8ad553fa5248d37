using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Callback.Domain.Intake;

namespace Callback.Domain.Units;

/// <summary>What an administrator says about a unit, as typed: <see cref="Checked"/> turns it into what is stored, or names every wrong field.</summary>
/// <param name="Name">The unit's name as its people say it.</param>
/// <param name="Departement">Its département's INSEE code ("62", "2A", "974").</param>
/// <param name="TimeZoneId">An IANA zone; empty for the département's own (Europe/Paris, or the overseas département's).</param>
/// <param name="SwitchboardPhone">The switchboard a victim may call back, in any French writing; stored in E.164.</param>
/// <param name="HelpPageUrl">The address the neutral card's QR code opens.</param>
/// <param name="DailyCallCapacity">How many calls the cell can make a day, for supervision; empty when unknown.</param>
/// <param name="EscalationEmail">Where escalations for this unit are sent.</param>
public sealed partial record UnitDetails(
    string Name,
    string Departement,
    string? TimeZoneId = null,
    string? SwitchboardPhone = null,
    string? HelpPageUrl = null,
    int? DailyCallCapacity = null,
    string? EscalationEmail = null)
{
    public const int MaxDailyCallCapacity = 100_000;

    /// <summary>The details normalised (INSEE code, IANA zone, E.164 phone), or an <see cref="InvalidUnitException"/> naming each wrong field.</summary>
    public UnitDetails Checked()
    {
        var errors = new List<UnitFieldError>();
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors.Add(new(UnitField.Name, "UnitNameRequired", "A unit needs a name (200 characters at most)."));
        }

        var departement = Departements.Normalise(Departement);
        if (departement is null)
        {
            errors.Add(new(UnitField.Departement, "UnitDepartementInvalid",
                $"\"{Departement}\" is not a French département (INSEE code 01 to 95, 2A, 2B, 971 to 974 or 976)."));
        }

        string? zone = null;
        if (string.IsNullOrWhiteSpace(TimeZoneId))
        {
            zone = departement is null ? null : Departements.DefaultTimeZone(departement);
        }
        else if ((zone = Departements.IanaZone(TimeZoneId)) is null)
        {
            errors.Add(new(UnitField.TimeZone, "UnitTimeZoneInvalid",
                $"\"{TimeZoneId}\" is not an IANA time zone (such as Europe/Paris or Indian/Reunion)."));
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(SwitchboardPhone) && (phone = FrenchPhoneNumbers.ToE164(SwitchboardPhone)) is null)
        {
            errors.Add(new(UnitField.SwitchboardPhone, "UnitPhoneInvalid", $"\"{SwitchboardPhone}\" is not a valid phone number."));
        }

        string? help = null;
        if (!string.IsNullOrWhiteSpace(HelpPageUrl))
        {
            help = HelpPageUrl.Trim();
            if (help.Length > 500 || !Uri.TryCreate(help, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                errors.Add(new(UnitField.HelpPageUrl, "UnitHelpPageInvalid", $"\"{help}\" is not a web address (https://...)."));
            }
        }

        if (DailyCallCapacity is < 0 or > MaxDailyCallCapacity)
        {
            errors.Add(new(UnitField.DailyCallCapacity, "UnitCapacityInvalid",
                string.Create(CultureInfo.InvariantCulture, $"{DailyCallCapacity} is not a daily number of calls (0 to {MaxDailyCallCapacity}).")));
        }

        string? email = null;
        if (!string.IsNullOrWhiteSpace(EscalationEmail))
        {
            email = EscalationEmail.Trim();
            if (email.Length > 254 || !MailAddress.TryCreate(email, out var address) || address.Address != email || !address.Host.Contains('.', StringComparison.Ordinal))
            {
                errors.Add(new(UnitField.EscalationEmail, "UnitEmailInvalid", $"\"{email}\" is not an e-mail address."));
            }
        }

        return errors.Count > 0
            ? throw new InvalidUnitException(errors)
            : new UnitDetails(name, departement!, zone, phone, help, DailyCallCapacity, email);
    }

    /// <summary>A unit's code: letters, digits, dashes and underscores, 32 at most ("CTC-62").</summary>
    public static string CheckCode(string? code)
    {
        var trimmed = code?.Trim() ?? "";
        return CodePattern().IsMatch(trimmed)
            ? trimmed
            : throw new InvalidUnitException([new(UnitField.Code, "UnitCodeInvalid",
                $"\"{code}\" is not a unit code (letters, digits, - and _, 32 characters at most).")]);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex CodePattern();
}

/// <summary>The fields of a unit, for an error to name the one that is wrong.</summary>
public enum UnitField
{
    Code,
    Name,
    Departement,
    TimeZone,
    SwitchboardPhone,
    HelpPageUrl,
    DailyCallCapacity,
    EscalationEmail,
}

/// <summary>One wrong field: which, a stable code the UI translates, and the English sentence the command line prints.</summary>
public sealed record UnitFieldError(UnitField Field, string Code, string Message);

/// <summary>A unit's details refused, with every wrong field named.</summary>
public sealed class InvalidUnitException : ArgumentException
{
    public InvalidUnitException()
    {
        Errors = [];
    }

    public InvalidUnitException(string message)
        : base(message)
    {
        Errors = [];
    }

    public InvalidUnitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public InvalidUnitException(IReadOnlyList<UnitFieldError> errors)
        : base(string.Join(" ", (errors ?? throw new ArgumentNullException(nameof(errors))).Select(e => $"{e.Field}: {e.Message}")))
    {
        Errors = errors;
    }

    public IReadOnlyList<UnitFieldError> Errors { get; }
}
