using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Intake;

namespace Callback.Domain.People;

/// <summary>Whose key it is in the file.</summary>
public enum PersonRole
{
    Victim = 0,
    Perpetrator = 1,

    /// <summary>The file itself (its reference).</summary>
    File = 2,
}

/// <summary>What a key was made from.</summary>
public enum PersonKeyKind
{
    /// <summary>The file reference, upper case, without spaces.</summary>
    Reference = 0,

    /// <summary>A phone number in E.164, as intake stores it.</summary>
    Phone = 1,

    /// <summary>One word of a name, normalised (<see cref="PersonNames.Tokens"/>).</summary>
    NameToken = 2,

    /// <summary>The phonetic key of one word of a name (<see cref="PersonNames.Phonetic"/>).</summary>
    Phonetic = 3,

    /// <summary>The whole name in any order with the birth date: the same person across files.</summary>
    NameAndBirthDate = 4,

    /// <summary>The normalised address (<see cref="PersonNames.AddressKey"/>).</summary>
    Address = 5,
}

/// <summary>
/// One way a case is found: a normalised value beside its case, in a table indexed on (kind, value), so a search or a
/// match is an index lookup on SQLite and PostgreSQL alike, without a function on the column. The keys are rebuilt
/// from the case whenever its people change, and deleted with its personal data (retention).
/// </summary>
public sealed class PersonKey
{
    public const int MaxValueLength = 200;

    private PersonKey()
    {
    }

    public PersonKey(Guid caseId, PersonRole role, PersonKeyKind kind, string value)
    {
        CaseId = caseId;
        Role = role;
        Kind = kind;
        Value = value.Length > MaxValueLength ? value[..MaxValueLength] : value;
    }

    public Guid CaseId { get; private set; }
    public PersonRole Role { get; private set; }
    public PersonKeyKind Kind { get; private set; }
    public string Value { get; private set; } = "";

    /// <summary>The kinds that say two files are about the same person (a name alone does not).</summary>
    public static readonly PersonKeyKind[] Matching = [PersonKeyKind.Phone, PersonKeyKind.NameAndBirthDate, PersonKeyKind.Address];

    /// <summary>The file reference as a key: what an officer types, however spaced or cased.</summary>
    public static string ReferenceKey(string reference) =>
        string.Concat(reference.Where(ch => !char.IsWhiteSpace(ch))).ToUpperInvariant();

    /// <summary>Every key of <paramref name="c"/>, none twice.</summary>
    public static IReadOnlyList<PersonKey> Of(Case c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Of(c.Id, c.FileReference, c.Victim, c.Perpetrator);
    }

    /// <summary>The keys the file <paramref name="facts"/> would have as case <paramref name="caseId"/> (an import's dry run).</summary>
    public static IReadOnlyList<PersonKey> Of(Guid caseId, NewCase facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Of(caseId, facts.FileReference.Trim(), facts.Victim, facts.Perpetrator);
    }

    private static List<PersonKey> Of(Guid id, string reference, Victim v, Perpetrator perpetrator)
    {
        var keys = new List<PersonKey> { new(id, PersonRole.File, PersonKeyKind.Reference, ReferenceKey(reference)) };
        // The file's number (E.164 since intake). The safe number is typed during review and calls: not a key yet.
        if (E164(v.Phone) is { } phone)
        {
            keys.Add(new(id, PersonRole.Victim, PersonKeyKind.Phone, phone));
        }

        AddName(keys, id, PersonRole.Victim, v.BirthDate, v.FirstName, v.LastName);
        if (PersonNames.AddressKey(v.Address) is { } address)
        {
            keys.Add(new(id, PersonRole.Victim, PersonKeyKind.Address, address));
        }

        AddName(keys, id, PersonRole.Perpetrator, perpetrator.BirthDate, perpetrator.Name);
        return keys;
    }

    private static void AddName(List<PersonKey> keys, Guid caseId, PersonRole role, DateOnly? birthDate, params string?[] parts)
    {
        var tokens = PersonNames.Tokens(parts);
        foreach (var token in tokens)
        {
            keys.Add(new(caseId, role, PersonKeyKind.NameToken, token));
        }

        foreach (var phonetic in tokens.Select(PersonNames.Phonetic).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal))
        {
            keys.Add(new(caseId, role, PersonKeyKind.Phonetic, phonetic));
        }

        if (birthDate is { } born && PersonNames.FullNameKey(parts) is { } name)
        {
            keys.Add(new(caseId, role, PersonKeyKind.NameAndBirthDate, NameAndBirthDate(name, born)));
        }
    }

    /// <summary>The value of a <see cref="PersonKeyKind.NameAndBirthDate"/> key.</summary>
    public static string NameAndBirthDate(string fullNameKey, DateOnly birthDate) =>
        fullNameKey + "|" + birthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Stored numbers are E.164 already; a safe number typed by hand may not be.
    private static string? E164(string? phone) => string.IsNullOrWhiteSpace(phone) ? null : FrenchPhoneNumbers.ToE164(phone) ?? phone.Trim();
}
