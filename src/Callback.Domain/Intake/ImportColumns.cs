using System.Globalization;
using System.Text;
using Callback.Domain.Localization;

namespace Callback.Domain.Intake;

/// <summary>What a column of an import file holds.</summary>
public enum ImportField
{
    Reference,
    Unit,
    InterventionAt,
    Offence,
    VictimLastName,
    VictimFirstName,
    VictimPhone,
    VictimAddress,
    PerpetratorName,
    Cohabitation,
    PenalResponse,
    Children,
    Notes,
    VictimBirthDate,
    PerpetratorBirthDate,
}

/// <summary>A column of the import contract: its French name, its English alias, and whether a file must have it.</summary>
public sealed record ImportColumn(ImportField Field, string French, string English, bool Required);

/// <summary>The import contract's columns (docs/import.md). Header names match ignoring case and accents.</summary>
public static class ImportColumns
{
    public static IReadOnlyList<ImportColumn> All { get; } =
    [
        new(ImportField.Reference, "reference", "reference", Required: true),
        new(ImportField.Unit, "unite", "unit", Required: true),
        new(ImportField.InterventionAt, "date_intervention", "intervention_at", Required: true),
        new(ImportField.Offence, "infraction", "offence", Required: true),
        new(ImportField.VictimLastName, "victime_nom", "victim_last_name", Required: true),
        new(ImportField.VictimFirstName, "victime_prenom", "victim_first_name", Required: true),
        new(ImportField.VictimPhone, "victime_telephone", "victim_phone", Required: false),
        new(ImportField.VictimAddress, "victime_adresse", "victim_address", Required: false),
        new(ImportField.PerpetratorName, "auteur_nom", "perpetrator_name", Required: false),
        new(ImportField.Cohabitation, "cohabitation", "cohabitation", Required: false),
        new(ImportField.PenalResponse, "reponse_penale", "penal_response", Required: false),
        new(ImportField.Children, "enfants", "children", Required: false),
        new(ImportField.Notes, "notes", "notes", Required: false),
        new(ImportField.VictimBirthDate, "victime_date_naissance", "victim_birth_date", Required: false),
        new(ImportField.PerpetratorBirthDate, "auteur_date_naissance", "perpetrator_birth_date", Required: false),
    ];

    public static ImportColumn Of(ImportField field) => All[(int)field];

    /// <summary>The offence codes a file may write in the offence column, as the import page lists them.</summary>
    public static IEnumerable<string> OffenceCodes => ImportRowValidator.OffenceCodes.Keys;

    /// <summary>The column a header name stands for, or null when the contract has none by that name.</summary>
    public static ImportColumn? Find(string headerName)
    {
        var key = Key(headerName);
        return All.FirstOrDefault(c => c.French == key || c.English == key);
    }

    /// <summary>Lower case, trimmed, without accents: "Unité" and "UNITE" both read as unite.</summary>
    internal static string Key(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                key.Append(ch);
            }
        }

        return key.ToString();
    }
}

/// <summary>Where each field stands in a file, and the header names as the file writes them.</summary>
internal sealed class ImportHeader : IFieldNames
{
    private readonly int[] _indexOf;
    private readonly string?[] _written;

    private ImportHeader(int[] indexOf, string?[] written, IReadOnlyList<string> unknown, int columnCount)
    {
        _indexOf = indexOf;
        _written = written;
        UnknownColumns = unknown;
        ColumnCount = columnCount;
    }

    public int ColumnCount { get; }

    /// <summary>Header names the contract does not know, as written; they are reported and ignored.</summary>
    public IReadOnlyList<string> UnknownColumns { get; }

    public bool Has(ImportField field) => _indexOf[(int)field] >= 0;

    /// <summary>The column index of <paramref name="field"/>, or -1 when the file has no such column.</summary>
    public int IndexOf(ImportField field) => _indexOf[(int)field];

    /// <summary>The field's name as the header writes it (the contract's French name when the file has no such column).</summary>
    public string NameOf(ImportField field) => _written[(int)field] ?? ImportColumns.Of(field).French;

    /// <summary>Reads a header; refuses it when a required column is missing or a field has two columns.</summary>
    public static ImportHeader Parse(IReadOnlyList<string> names, bool unitHasDefault)
    {
        var count = ImportColumns.All.Count;
        var indexOf = Enumerable.Repeat(-1, count).ToArray();
        var written = new string?[count];
        var unknown = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim();
            if (ImportColumns.Find(name) is not { } column)
            {
                unknown.Add(name.Length > 0 ? name : DomainText.Format("Intake.UnnamedColumn", i + 1));
                continue;
            }

            var f = (int)column.Field;
            if (indexOf[f] >= 0)
            {
                throw new ImportRefusedException(DomainText.Format("Import.DuplicateColumns", written[f], name, column.French));
            }

            indexOf[f] = i;
            written[f] = name;
        }

        var missing = ImportColumns.All
            .Where(c => c.Required && indexOf[(int)c.Field] < 0 && !(c.Field == ImportField.Unit && unitHasDefault))
            .Select(Describe)
            .ToList();
        if (missing.Count > 0)
        {
            throw new ImportRefusedException(DomainText.Format(missing.Count > 1 ? "Import.MissingColumns" : "Import.MissingColumn", string.Join(", ", missing)));
        }

        return new ImportHeader(indexOf, written, unknown, names.Count);
    }

    private static string Describe(ImportColumn column)
    {
        var names = column.French == column.English ? column.French : DomainText.Format("Import.ColumnOr", column.French, column.English);
        return column.Field == ImportField.Unit ? DomainText.Format("Import.UnlessDefaultUnit", names) : names;
    }
}

/// <summary>The file cannot be imported at all; the message says why, in words for the person importing it.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
