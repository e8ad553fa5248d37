namespace Callback.Domain.Cases;

/// <summary>The presumed author, as far as the file knows him.</summary>
public sealed class Perpetrator
{
    private Perpetrator()
    {
    }

    public Perpetrator(string? name, TriState cohabiting, DateOnly? birthDate = null)
    {
        BirthDate = birthDate;
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        Cohabiting = cohabiting;
    }

    public string? Name { get; private set; }
    public TriState Cohabiting { get; private set; }

    /// <summary>Given by the file or not at all: with the name, it tells one person across files.</summary>
    public DateOnly? BirthDate { get; private set; }
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

    /// <summary>Retention: the birth date goes with the name.</summary>
    internal void EraseBirthDate() => BirthDate = null;

    internal void RecordCohabitation(TriState cohabiting) => Cohabiting = cohabiting;
}
