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

    public Victim(string firstName, string lastName, string? phone, string? address, DateOnly? birthDate = null)
    {
        BirthDate = birthDate;
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

    /// <summary>Given by the file or not at all: with the name, it tells one person across files (ImportField.VictimBirthDate).</summary>
    public DateOnly? BirthDate { get; private set; }

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

    internal void EraseBirthDate() => BirthDate = null;

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
