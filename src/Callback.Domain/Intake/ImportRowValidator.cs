using System.Globalization;
using System.Text.RegularExpressions;
using Callback.Domain.Cases;
using Callback.Domain.Localization;
using Callback.Domain.Units;

namespace Callback.Domain.Intake;

/// <summary>A row that passed every check: the case it would open, and the facts it gives.</summary>
internal sealed record ValidRow(int Line, Unit Unit, NewCase Facts, FileFacts FileFacts)
{
    public string Reference => Facts.FileReference;
}

/// <summary>What the checks of one row found: its facts, or its problems.</summary>
internal sealed record RowCheck(ValidRow? Row, IReadOnlyList<ImportRejection> Problems);

/// <summary>
/// Checks one record against the contract (docs/import.md) and turns it into the facts of a case. Every problem of
/// the row is reported, each with its field as the header writes it and a reason in plain words. Reasons never repeat
/// the victim's or the perpetrator's data: the report is shown on screen and may be saved. Reasons are written in the
/// UI culture of the caller that built the validator (DomainText), whatever thread checks the row. It holds no state
/// between rows, so rows may be checked on several threads.
/// </summary>
internal sealed partial class ImportRowValidator
{
    public const int MaxReferenceLength = 64;
    public const int MaxNameLength = 100;
    public const int MaxAddressLength = 500;
    public const int MaxPerpetratorLength = 200;

    private static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] LocalFormats = ["d/M/yyyy H:mm", "d/M/yyyy H:mm:ss"];

    private readonly IFieldNames _header;
    private readonly Dictionary<string, Unit> _units;
    private readonly Unit? _defaultUnit;
    private readonly Func<Unit, bool> _inScope;
    private readonly DateTime _nowUtc;
    private readonly Dictionary<string, TimeZoneInfo> _zones;
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public ImportRowValidator(IFieldNames header, IEnumerable<Unit> units, Unit? defaultUnit, Func<Unit, bool> inScope, DateTime nowUtc)
    {
        _header = header;
        var byCode = new Dictionary<string, Unit>(StringComparer.OrdinalIgnoreCase);
        foreach (var unit in units)
        {
            byCode.TryAdd(unit.Code, unit);
        }

        _units = byCode;
        _zones = byCode.Values.ToDictionary(u => u.Code, u => u.TimeZone, StringComparer.OrdinalIgnoreCase);
        _defaultUnit = defaultUnit;
        _inScope = inScope;
        _nowUtc = nowUtc;
    }

    /// <summary>The row's facts, or its problems when it is rejected.</summary>
    public RowCheck Check(ImportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var errors = new Row(record, _header, _culture);
        if (record.HasValuesBeyondHeader)
        {
            errors.Reject(null, "Intake.RowTooManyValues", record.FieldCount, _header.ColumnCount);
        }

        var reference = errors.Text(ImportField.Reference, MaxReferenceLength, required: true, multiline: false);
        var unit = UnitOf(errors);
        var intervention = unit is null ? null : InterventionOf(errors, unit);
        var offence = OffenceOf(errors);
        var lastName = errors.Text(ImportField.VictimLastName, MaxNameLength, required: true, multiline: false);
        var firstName = errors.Text(ImportField.VictimFirstName, MaxNameLength, required: true, multiline: false);
        var phone = PhoneOf(errors);
        var address = errors.Text(ImportField.VictimAddress, MaxAddressLength, required: false, multiline: true);
        var perpetrator = errors.Text(ImportField.PerpetratorName, MaxPerpetratorLength, required: false, multiline: false);
        var cohabitation = errors.Choice(ImportField.Cohabitation, TriStates, "Intake.TriStateChoices") ?? TriState.Unknown;
        var children = errors.Choice(ImportField.Children, TriStates, "Intake.TriStateChoices") ?? TriState.Unknown;
        var penal = errors.Choice(ImportField.PenalResponse, YesNo, "Intake.YesNoChoices");
        var notes = errors.Text(ImportField.Notes, FileFacts.MaxNotesLength, required: false, multiline: true);
        var victimBorn = BirthDateOf(errors, ImportField.VictimBirthDate);
        var perpetratorBorn = BirthDateOf(errors, ImportField.PerpetratorBirthDate);
        if (errors.Problems.Count > 0 || unit is null || intervention is null || offence is null)
        {
            return new RowCheck(null, errors.Problems);
        }

        var facts = new FileFacts(firstName!, lastName!, phone, address, perpetrator, cohabitation, penal, children, notes);
        var newCase = new NewCase(reference!, intervention.Value, offence.Value, new Victim(firstName!, lastName!, phone, address, victimBorn),
            new Perpetrator(perpetrator, cohabitation, perpetratorBorn), children, penal, ProtectionMeasures.None, notes);
        return new RowCheck(new ValidRow(record.Line, unit, newCase, facts), []);
    }

    /// <summary>The offence codes of the records system, as the import contract names them.</summary>
    public static IReadOnlyDictionary<string, OffenceCategory> OffenceCodes { get; } = new Dictionary<string, OffenceCategory>(StringComparer.OrdinalIgnoreCase)
    {
        ["VIOLENCES_CONJUGALES"] = OffenceCategory.ConjugalViolence,
        ["VIOLENCES_INTRAFAMILIALES"] = OffenceCategory.IntrafamilyViolence,
        ["VIOL"] = OffenceCategory.Rape,
        ["AGRESSION_SEXUELLE"] = OffenceCategory.SexualAssault,
        ["HARCELEMENT"] = OffenceCategory.Harassment,
        ["MENACES"] = OffenceCategory.Threats,
        ["AUTRE"] = OffenceCategory.Other,
    };

    private static readonly Dictionary<string, TriState> TriStates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["oui"] = TriState.Yes, ["yes"] = TriState.Yes,
        ["non"] = TriState.No, ["no"] = TriState.No,
        ["inconnu"] = TriState.Unknown, ["unknown"] = TriState.Unknown,
    };

    private static readonly Dictionary<string, bool> YesNo = new(StringComparer.OrdinalIgnoreCase)
    {
        ["oui"] = true, ["yes"] = true,
        ["non"] = false, ["no"] = false,
    };

    private Unit? UnitOf(Row errors)
    {
        var code = errors.Text(ImportField.Unit, 32, required: false, multiline: false);
        Unit? unit;
        if (code is null)
        {
            unit = _defaultUnit;
            if (unit is null)
            {
                errors.Reject(ImportField.Unit, "Intake.UnitEmptyNoDefault");
                return null;
            }
        }
        else if (!_units.TryGetValue(code, out unit))
        {
            errors.Reject(ImportField.Unit, "Intake.UnitUnknown", code);
            return null;
        }

        if (!_inScope(unit))
        {
            errors.Reject(ImportField.Unit, "Intake.UnitOutOfScope", unit.Code);
            return null;
        }

        return unit;
    }

    private DateTime? InterventionOf(Row errors, Unit unit)
    {
        var text = errors.Text(ImportField.InterventionAt, 40, required: true, multiline: false);
        if (text is null)
        {
            return null;
        }

        DateTime utc;
        if (IsoWithOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            utc = withOffset.UtcDateTime;
        }
        else if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var zone = _zones[unit.Code];
            if (zone.IsInvalidTime(local))
            {
                errors.Reject(ImportField.InterventionAt, "Intake.DateDoesNotExist", text, unit.TimeZoneId);
                return null;
            }

            utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }
        else
        {
            errors.Reject(ImportField.InterventionAt, "Intake.DateInvalid", text);
            return null;
        }

        if (utc > _nowUtc)
        {
            errors.Reject(ImportField.InterventionAt, "Intake.DateInFuture", text);
            return null;
        }

        if (utc < Earliest)
        {
            errors.Reject(ImportField.InterventionAt, "Intake.DateBefore2000", text);
            return null;
        }

        return utc;
    }

    private static OffenceCategory? OffenceOf(Row errors)
    {
        var code = errors.Text(ImportField.Offence, 64, required: true, multiline: false);
        if (code is null)
        {
            return null;
        }

        if (OffenceCodes.TryGetValue(code, out var offence))
        {
            return offence;
        }

        errors.Reject(ImportField.Offence, "Intake.OffenceUnknown", code, string.Join(", ", OffenceCodes.Keys));
        return null;
    }

    /// <summary>A day, as French files write it (the reason never repeats it: it is personal data) (31/01/1985) or ISO (1985-01-31); not in the future, not before 1900.</summary>
    private DateOnly? BirthDateOf(Row errors, ImportField field)
    {
        var text = errors.Text(field, 20, required: false, multiline: false);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, BirthDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            errors.Reject(field, "Intake.BirthDateInvalid");
            return null;
        }

        if (born > DateOnly.FromDateTime(_nowUtc) || born.Year < 1900)
        {
            errors.Reject(field, "Intake.BirthDateOutOfRange");
            return null;
        }

        return born;
    }

    private static readonly string[] BirthDateFormats = ["d/M/yyyy", "yyyy-MM-dd"];

    private static string? PhoneOf(Row errors)
    {
        var text = errors.Text(ImportField.VictimPhone, 40, required: false, multiline: false);
        if (text is null)
        {
            return null;
        }

        var e164 = FrenchPhoneNumbers.ToE164(text);
        if (e164 is null)
        {
            errors.Reject(ImportField.VictimPhone, "Intake.PhoneInvalid");
        }

        return e164;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();

    /// <summary>The checks of one row, gathering its problems.</summary>
    private sealed class Row(ImportRecord record, IFieldNames header, CultureInfo culture)
    {
        public List<ImportRejection> Problems { get; } = [];

        /// <summary>Rejects the row for the DomainText reason <paramref name="key"/>, written in the validator's culture.</summary>
        public void Reject(ImportField? field, string key, params object?[] args) =>
            Problems.Add(new ImportRejection(record.Line, field is { } f ? header.NameOf(f) : null, DomainText.FormatIn(culture, key, args)));

        /// <summary>The trimmed value, or null when blank (a required field then rejects the row).</summary>
        public string? Text(ImportField field, int maxLength, bool required, bool multiline)
        {
            var value = record.Values[(int)field]?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (required)
                {
                    Reject(field, "Intake.Required");
                }

                return null;
            }

            if (value.Length > maxLength)
            {
                Reject(field, "Intake.TooLong", value.Length, maxLength);
                return null;
            }

            if (!multiline && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                Reject(field, "Intake.LineBreak");
                return null;
            }

            if (UnsafeCharacters.FirstIn(value, multiline) is { } unsafeCharacter)
            {
                Reject(field, "Intake.UnsafeCharacter", UnsafeCharacters.CodeOf(unsafeCharacter));
                return null;
            }

            return value;
        }

        /// <summary>One of the words of <paramref name="choices"/>, or null when blank; <paramref name="expectedKey"/> lists them.</summary>
        public T? Choice<T>(ImportField field, IReadOnlyDictionary<string, T> choices, string expectedKey)
            where T : struct
        {
            var value = Text(field, 32, required: false, multiline: false);
            if (value is null)
            {
                return null;
            }

            if (choices.TryGetValue(value, out var choice))
            {
                return choice;
            }

            Reject(field, "Intake.NotOneOf", value, DomainText.GetIn(culture, expectedKey));
            return null;
        }
    }
}

/// <summary>
/// How a source names the fields in its rejections: a file as its header writes them, the intake API and the manual
/// form by the contract's English names (<c>victim_phone</c>).
/// </summary>
internal interface IFieldNames
{
    /// <summary>Columns in the source's header, for the message about a row with values beyond it.</summary>
    int ColumnCount { get; }

    string NameOf(ImportField field);
}

/// <summary>A row (or part of one) that was not imported: where it starts in the file, which field, and why.</summary>
public sealed record ImportRejection(int Line, string? Field, string Reason);
