namespace Callback.Domain.Units;

/// <summary>A brigade, commissariat or call cell. Times are shown in its IANA time zone.</summary>
public sealed class Unit
{
    private Unit()
    {
    }

    public Unit(string code, string name, string departement, string timeZoneId, string? helpPageUrl = null)
    {
        Code = string.IsNullOrWhiteSpace(code) ? throw new ArgumentException("A unit needs a code.", nameof(code)) : code.Trim();
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A unit needs a name.", nameof(name)) : name.Trim();
        Departement = string.IsNullOrWhiteSpace(departement) ? throw new ArgumentException("A unit needs a département.", nameof(departement)) : departement.Trim();
        TimeZoneId = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId).Id;
        HelpPageUrl = helpPageUrl;
    }

    public int Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>Département code as INSEE writes it: "62", "2A", "974".</summary>
    public string Departement { get; private set; } = "";

    /// <summary>Metropolitan France's zone: the zone of a unit created without one, and of a viewer without a unit.</summary>
    public const string DefaultTimeZoneId = "Europe/Paris";

    public string TimeZoneId { get; private set; } = DefaultTimeZoneId;
    public string? HelpPageUrl { get; private set; }

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The switchboard a victim may call back, in E.164.</summary>
    public string? SwitchboardPhone { get; private set; }

    /// <summary>How many calls the cell can make a day; null when nobody said.</summary>
    public int? DailyCallCapacity { get; private set; }

    /// <summary>Where this unit's escalations are sent.</summary>
    public string? EscalationEmail { get; private set; }

    /// <summary>Counts the changes made by administrators: a form saved on an older version is refused, not applied over.</summary>
    public int Version { get; private set; }

    /// <summary>A unit made by an administrator, from details that passed <see cref="UnitDetails.Checked"/>.</summary>
    public static Unit Create(string code, UnitDetails details)
    {
        var checkedCode = UnitDetails.CheckCode(code);
        var valid = (details ?? throw new ArgumentNullException(nameof(details))).Checked();
        var unit = new Unit(checkedCode, valid.Name, valid.Departement, valid.TimeZoneId!, valid.HelpPageUrl);
        unit.Apply(valid);
        return unit;
    }

    /// <summary>The details as they stand, for a form to start from.</summary>
    public UnitDetails Details => new(Name, Departement, TimeZoneId, SwitchboardPhone, HelpPageUrl, DailyCallCapacity, EscalationEmail);

    /// <summary>Replaces the details and returns the fields that changed (none: nothing to save or audit).</summary>
    public IReadOnlyList<UnitField> Update(UnitDetails details)
    {
        var valid = (details ?? throw new ArgumentNullException(nameof(details))).Checked();
        var before = Details;
        var changed = new List<UnitField>();
        void Compare<T>(UnitField field, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                changed.Add(field);
            }
        }

        Compare(UnitField.Name, before.Name, valid.Name);
        Compare(UnitField.Departement, before.Departement, valid.Departement);
        Compare(UnitField.TimeZone, before.TimeZoneId, valid.TimeZoneId);
        Compare(UnitField.SwitchboardPhone, before.SwitchboardPhone, valid.SwitchboardPhone);
        Compare(UnitField.HelpPageUrl, before.HelpPageUrl, valid.HelpPageUrl);
        Compare(UnitField.DailyCallCapacity, before.DailyCallCapacity, valid.DailyCallCapacity);
        Compare(UnitField.EscalationEmail, before.EscalationEmail, valid.EscalationEmail);
        if (changed.Count > 0)
        {
            Apply(valid);
            Version++;
        }

        return changed;
    }

    private void Apply(UnitDetails valid)
    {
        Name = valid.Name;
        Departement = valid.Departement;
        TimeZoneId = valid.TimeZoneId!;
        SwitchboardPhone = valid.SwitchboardPhone;
        HelpPageUrl = valid.HelpPageUrl;
        DailyCallCapacity = valid.DailyCallCapacity;
        EscalationEmail = valid.EscalationEmail;
    }

    public DateTime ToLocal(DateTime utc) => ToLocal(utc, TimeZone);

    /// <summary>A stored instant (UTC, whatever kind the provider read it back with) as the clock on the wall in a zone.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    /// <summary>The calendar day an instant falls on in a zone: a contact at 23:30 UTC in January is the next day in Paris.</summary>
    public static DateOnly LocalDate(DateTime utc, string timeZoneId) => DateOnly.FromDateTime(ToLocal(utc, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId)));

    /// <summary>An instant as the UI writes it wherever units' zones may differ: local time in the user's culture, the zone named.</summary>
    public static string LocalWithZone(DateTime utc, TimeZoneInfo zone, IFormatProvider culture)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return $"{ToLocal(utc, zone).ToString("g", culture)} ({zone.Id})";
    }
}

/// <summary>A re-examination campaign: one bulk import of old files, whose deadlines run from the import.</summary>
public sealed class Campaign
{
    private Campaign()
    {
    }

    public Campaign(string name, DateTime importedAtUtc, DateTime reviewDueUtc, DateTime contactDueUtc, string createdBy)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A campaign needs a name.", nameof(name)) : name.Trim();
        ImportedAtUtc = importedAtUtc;
        ReviewDueUtc = reviewDueUtc;
        ContactDueUtc = contactDueUtc;
        CreatedBy = createdBy;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public DateTime ImportedAtUtc { get; private set; }
    public DateTime ReviewDueUtc { get; private set; }
    public DateTime ContactDueUtc { get; private set; }
    public string CreatedBy { get; private set; } = "";
}
