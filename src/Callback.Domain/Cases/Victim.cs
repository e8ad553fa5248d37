using Callback.Domain.Localization;

namespace Callback.Domain.Cases;

/// <summary>
/// The person the case protects. Every field here is personal data: it never goes into logs, job arguments or URLs,
/// and retention erases it.
/// </summary>
public sealed class Victim
{
    private Victim()
    {
    }

    public Victim(string firstName, string lastName, string? phone, string? address)
    {
        FirstName = Require(firstName, "Victim.FirstNameRequired");
        LastName = Require(lastName, "Victim.LastNameRequired");
        Phone = Blank(phone);
        Address = Blank(address);
    }

    public string FirstName { get; private set; } = "";
    public string LastName { get; private set; } = "";
    public string? Phone { get; private set; }
    public string? Address { get; private set; }
    public SafeContact SafeContact { get; private set; } = SafeContact.None;

    /// <summary>Initials only, for lists where the identity must stay masked.</summary>
    public string Initials => $"{Initial(FirstName)}{Initial(LastName)}";

    /// <summary>The last two digits of the phone number, for masked lists.</summary>
    public string PhoneTail => Phone is { Length: >= 2 } p ? p[^2..] : "";

    internal void UpdateFacts(string firstName, string lastName, string? phone, string? address)
    {
        FirstName = Require(firstName, "Victim.FirstNameRequired");
        LastName = Require(lastName, "Victim.LastNameRequired");
        Phone = Blank(phone);
        Address = Blank(address);
    }

    internal void UseSafeContact(SafeContact safeContact) => SafeContact = safeContact;

    /// <summary>Retention: the names become empty, the numbers, address and code word go; safe hours and channel stay.</summary>
    internal void Erase()
    {
        FirstName = "";
        LastName = "";
        Phone = null;
        Address = null;
        SafeContact = SafeContact with { SafePhone = null, CodeWord = null };
    }

    private static char Initial(string s) => s.Length > 0 ? char.ToUpperInvariant(s[0]) : '?';

    private static string Require(string value, string messageKey) =>
        string.IsNullOrWhiteSpace(value) ? throw new CaseRuleException(DomainText.Get(messageKey)) : value.Trim();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

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

/// <summary>The presumed author, as far as the file knows him.</summary>
public sealed class Perpetrator
{
    private Perpetrator()
    {
    }

    public Perpetrator(string? name, TriState cohabiting)
    {
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        Cohabiting = cohabiting;
    }

    public string? Name { get; private set; }
    public TriState Cohabiting { get; private set; }
    public bool InCustody { get; private set; }
    public bool Evicted { get; private set; }
    public bool UnderProtectionOrder { get; private set; }
    public bool WeaponsKnown { get; private set; }

    internal void UpdateName(string? name) => Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    internal void Record(TriState cohabiting, bool inCustody, bool evicted, bool underProtectionOrder, bool weaponsKnown)
    {
        Cohabiting = cohabiting;
        InCustody = inCustody;
        Evicted = evicted;
        UnderProtectionOrder = underProtectionOrder;
        WeaponsKnown = weaponsKnown;
    }

    internal void RecordCohabitation(TriState cohabiting) => Cohabiting = cohabiting;
}
