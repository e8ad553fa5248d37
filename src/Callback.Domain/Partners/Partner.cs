using System.Text.RegularExpressions;

namespace Callback.Domain.Partners;

/// <summary>What a partner does for the victim.</summary>
public enum PartnerKind
{
    /// <summary>Victim-support association (France Victimes network).</summary>
    VictimSupport = 0,

    /// <summary>Social worker in a police station or gendarmerie (intervenant social).</summary>
    SocialWorker = 1,

    /// <summary>A listening and advice line (3919).</summary>
    Helpline = 2,

    /// <summary>Emergency or longer-term shelter (115).</summary>
    Shelter = 3,

    /// <summary>Police and gendarmerie emergency (17).</summary>
    Emergency = 4,

    /// <summary>Lawyers or jurists, such as the France Victimes jurists of La Réunion.</summary>
    Lawyer = 5,
}

/// <summary>
/// An entry of the partner directory: an association, a social worker, a helpline or shelter a victim can be referred
/// to. A partner without a département is national and serves every unit. Partners are deactivated, never deleted:
/// past referrals keep pointing at them.
/// </summary>
public sealed partial class Partner
{
    private Partner()
    {
    }

    /// <exception cref="ArgumentException">A required field is blank, or the département is not an INSEE code.</exception>
    public Partner(string? departement, PartnerKind kind, string name, string phone, string? email = null, string? address = null, string? notes = null)
    {
        Departement = CheckDepartement(departement);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a partner kind.");
        }

        Kind = kind;
        UpdateDetails(name, phone, email, address, notes);
    }

    public int Id { get; private set; }

    /// <summary>Département code as INSEE writes it ("62", "2A", "974"); null for a national partner.</summary>
    public string? Departement { get; private set; }

    public PartnerKind Kind { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>As it is dialled: a national short number ("3919") or a full number ("01 99 00 62 01").</summary>
    public string Phone { get; private set; } = "";

    public string? Email { get; private set; }
    public string? Address { get; private set; }
    public string? Notes { get; private set; }

    /// <summary>An inactive partner stays for the referrals that name it but receives no new ones.</summary>
    public bool Active { get; private set; } = true;

    public bool IsNational => Departement is null;

    /// <summary>True for a partner of that département or a national one.</summary>
    public bool Serves(string departement) => Departement is null || string.Equals(Departement, departement?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <exception cref="ArgumentException">The name or phone is blank, or the phone has no digit.</exception>
    public void UpdateDetails(string name, string phone, string? email, string? address, string? notes)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A partner needs a name.", nameof(name)) : name.Trim();
        Phone = string.IsNullOrWhiteSpace(phone) || !phone.Any(char.IsAsciiDigit)
            ? throw new ArgumentException("A partner needs a phone number.", nameof(phone))
            : phone.Trim();
        Email = Blank(email);
        Address = Blank(address);
        Notes = Blank(notes);
    }

    public void Deactivate() => Active = false;

    public void Reactivate() => Active = true;

    private static string? CheckDepartement(string? departement)
    {
        if (string.IsNullOrWhiteSpace(departement))
        {
            return null;
        }

        var code = departement.Trim().ToUpperInvariant();
        return DepartementPattern().IsMatch(code)
            ? code
            : throw new ArgumentException($"\"{departement}\" is not a département code (\"01\" to \"95\", \"2A\", \"2B\", \"971\" to \"976\").", nameof(departement));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^(0[1-9]|1[0-9]|2[1-9]|2A|2B|[3-8][0-9]|9[0-5]|97[1-6])$")]
    private static partial Regex DepartementPattern();
}
