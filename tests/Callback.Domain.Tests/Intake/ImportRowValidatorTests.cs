using System.Text;
using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.Units;

using static Callback.Domain.Tests.Intake.ImportFiles;

namespace Callback.Domain.Tests.Intake;

public class ImportRowValidatorTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 20, 0, 0, DateTimeKind.Utc);
    private static readonly Unit Arras = new("CTC-62", "Cellule 62", "62", "Europe/Paris");
    private static readonly Unit SaintDenis = new("BR-STDENIS", "Brigade de Saint-Denis", "974", "Indian/Reunion");

    private static readonly Dictionary<ImportField, string> Good = new()
    {
        [ImportField.Reference] = "62-2020-000114",
        [ImportField.Unit] = "CTC-62",
        [ImportField.InterventionAt] = "04/01/2020 22:40",
        [ImportField.Offence] = "VIOLENCES_CONJUGALES",
        [ImportField.VictimLastName] = "Lefèvre",
        [ImportField.VictimFirstName] = "Hélène",
        [ImportField.VictimPhone] = "06 12 34 56 78",
        [ImportField.VictimAddress] = "12 rue des Tilleuls, 62000 Arras",
        [ImportField.PerpetratorName] = "Didier Lefèvre",
        [ImportField.Cohabitation] = "oui",
        [ImportField.PenalResponse] = "non",
        [ImportField.Children] = "inconnu",
        [ImportField.Notes] = "voisins",
    };

    /// <summary>The good row with some fields replaced, quoted as RFC 4180 asks.</summary>
    private static string Row(params (ImportField Field, string Value)[] changes)
    {
        var values = new Dictionary<ImportField, string>(Good);
        foreach (var (field, value) in changes)
        {
            values[field] = value;
        }

        // The columns of ImportFiles.Header: the optional birth dates (issue 19) have tests of their own.
        return string.Join(';', ImportColumns.All.Where(c => values.ContainsKey(c.Field)).Select(c => Quote(values[c.Field])));
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static RowCheck Check(string row, string header = Header, Unit? defaultUnit = null, Func<Unit, bool>? scope = null)
    {
        using var file = ImportFile.Open(Bytes($"{header}\n{row}\n"), unitHasDefault: defaultUnit is not null);
        var validator = new ImportRowValidator(file.Header, [Arras, SaintDenis], defaultUnit, scope ?? (_ => true), Now);
        return validator.Check(Assert.Single(file.Records()));
    }

    private static ImportRejection Rejected(RowCheck check)
    {
        Assert.Null(check.Row);
        return Assert.Single(check.Problems);
    }

    [Fact]
    public void Check_AGoodRow_GivesTheFactsOfTheCase()
    {
        var row = Check(Row()).Row;

        Assert.NotNull(row);
        Assert.Equal(2, row.Line);
        Assert.Same(Arras, row.Unit);
        Assert.Equal("62-2020-000114", row.Facts.FileReference);
        Assert.Equal(new DateTime(2020, 1, 4, 21, 40, 0, DateTimeKind.Utc), row.Facts.InterventionAtUtc);
        Assert.Equal(OffenceCategory.ConjugalViolence, row.Facts.Offence);
        Assert.Equal(new FileFacts("Hélène", "Lefèvre", "+33612345678", "12 rue des Tilleuls, 62000 Arras", "Didier Lefèvre", TriState.Yes, false, TriState.Unknown, "voisins"), row.FileFacts);
        Assert.Equal("+33612345678", row.Facts.Victim.Phone);
        Assert.Equal(TriState.Yes, row.Facts.Perpetrator.Cohabiting);
        Assert.Equal("voisins", row.Facts.FileNotes);
    }

    [Theory]
    [InlineData("CTC-62", "04/01/2020 22:40", "2020-01-04T21:40:00Z")]
    [InlineData("CTC-62", "4/1/2020 9:05", "2020-01-04T08:05:00Z")]
    [InlineData("CTC-62", "14/07/2020 22:40", "2020-07-14T20:40:00Z")]
    [InlineData("CTC-62", "14/07/2020 22:40:30", "2020-07-14T20:40:30Z")]
    [InlineData("BR-STDENIS", "04/01/2020 22:40", "2020-01-04T18:40:00Z")]
    [InlineData("BR-STDENIS", "2020-01-04T22:40:00+04:00", "2020-01-04T18:40:00Z")]
    [InlineData("CTC-62", "2020-01-04T21:40:00Z", "2020-01-04T21:40:00Z")]
    [InlineData("CTC-62", "2020-07-14 22:40+02:00", "2020-07-14T20:40:00Z")]
    public void Check_ReadsLocalTimesInTheUnitsZone_AndIsoTimesByTheirOffset(string unit, string written, string utc)
    {
        var row = Check(Row((ImportField.Unit, unit), (ImportField.InterventionAt, written))).Row;

        Assert.NotNull(row);
        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), row.Facts.InterventionAtUtc);
        Assert.Equal(DateTimeKind.Utc, row.Facts.InterventionAtUtc.Kind);
    }

    [Theory]
    [InlineData(ImportField.Reference, "", "is required and empty")]
    [InlineData(ImportField.Reference, "62-2020-0000000000000000000000000000000000000000000000000000000001", "the limit is 64")]
    [InlineData(ImportField.Reference, "62-2020\n000114", "line break")]
    [InlineData(ImportField.Unit, "", "no default unit was given")]
    [InlineData(ImportField.Unit, "CTC-99", "unknown unit \"CTC-99\"")]
    [InlineData(ImportField.InterventionAt, "", "is required and empty")]
    [InlineData(ImportField.InterventionAt, "32/01/2020 10:00", "is not a date and time")]
    [InlineData(ImportField.InterventionAt, "04/01/2020", "is not a date and time")]
    [InlineData(ImportField.InterventionAt, "2020-01-04T22:40:00", "is not a date and time")]
    [InlineData(ImportField.InterventionAt, "hier soir", "is not a date and time")]
    [InlineData(ImportField.InterventionAt, "04/01/2027 10:00", "is in the future")]
    [InlineData(ImportField.InterventionAt, "04/01/1920 10:00", "before the year 2000")]
    [InlineData(ImportField.InterventionAt, "29/03/2020 02:30", "does not exist in Europe/Paris")]
    [InlineData(ImportField.Offence, "", "is required and empty")]
    [InlineData(ImportField.Offence, "VIOLENCE_CONJUGALE", "unknown offence code \"VIOLENCE_CONJUGALE\"")]
    [InlineData(ImportField.VictimLastName, "", "is required and empty")]
    [InlineData(ImportField.VictimLastName, "Lefèvre\nDupont", "line break")]
    [InlineData(ImportField.VictimFirstName, "  ", "is required and empty")]
    [InlineData(ImportField.VictimPhone, "06 12 34", "is not a valid phone number")]
    [InlineData(ImportField.VictimPhone, "pas de téléphone", "is not a valid phone number")]
    [InlineData(ImportField.Cohabitation, "peut-être", "\"peut-être\" is not one of oui, non or inconnu")]
    [InlineData(ImportField.PenalResponse, "inconnu", "\"inconnu\" is not one of oui or non")]
    [InlineData(ImportField.PenalResponse, "1", "\"1\" is not one of oui or non")]
    [InlineData(ImportField.Children, "2", "\"2\" is not one of oui, non or inconnu")]
    public void Check_AMalformedValue_RejectsTheRowWithItsLineFieldAndReason(ImportField field, string value, string reason)
    {
        var problem = Rejected(Check(Row((field, value))));

        Assert.Equal(2, problem.Line);
        Assert.Equal(ImportColumns.Of(field).French, problem.Field);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR", ImportField.VictimLastName, "", "est obligatoire et vide")]
    [InlineData("fr-FR", ImportField.VictimPhone, "06 12 34", "n'est pas un numéro de téléphone valide (écrivez-le 06 12 34 56 78")]
    [InlineData("fr-FR", ImportField.InterventionAt, "hier soir", "« hier soir » n'est pas une date et heure : écrivez jj/mm/aaaa hh:mm")]
    [InlineData("fr-FR", ImportField.InterventionAt, "04/01/2027 10:00", "« 04/01/2027 10:00 » est dans le futur")]
    [InlineData("fr-FR", ImportField.Offence, "VIOLENCE_CONJUGALE", "code d'infraction « VIOLENCE_CONJUGALE » inconnu : utilisez l'un des codes VIOLENCES_CONJUGALES, ")]
    [InlineData("fr-FR", ImportField.Unit, "CTC-99", "unité « CTC-99 » inconnue")]
    [InlineData("fr-FR", ImportField.Children, "2", "« 2 » n'est pas l'une des valeurs oui, non ou inconnu")]
    [InlineData("en-US", ImportField.VictimLastName, "", "is required and empty")]
    [InlineData("en-US", ImportField.VictimPhone, "06 12 34", "is not a valid phone number (write it as 06 12 34 56 78")]
    [InlineData("en-US", ImportField.InterventionAt, "hier soir", "\"hier soir\" is not a date and time: write dd/MM/yyyy HH:mm")]
    [InlineData("en-US", ImportField.Offence, "VIOLENCE_CONJUGALE", "unknown offence code \"VIOLENCE_CONJUGALE\": use one of VIOLENCES_CONJUGALES, ")]
    public void Check_GivesTheReasonInTheUiLanguage(string culture, ImportField field, string value, string reason)
    {
        using var language = new Localization.UiCulture(culture);

        var problem = Rejected(Check(Row((field, value))));

        Assert.Equal(ImportColumns.Of(field).French, problem.Field);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WritesInTheCultureOfWhoeverBuiltTheValidator_NotThatOfTheThreadThatChecks()
    {
        using var file = ImportFile.Open(Bytes($"{Header}\n{Row((ImportField.VictimLastName, ""))}\n"), unitHasDefault: false);
        ImportRowValidator validator;
        using (new Localization.UiCulture("fr-FR"))
        {
            validator = new ImportRowValidator(file.Header, [Arras], null, _ => true, Now);
        }

        using var english = new Localization.UiCulture("en-US");
        var record = Assert.Single(file.Records());
        var problem = Rejected(validator.Check(record));

        Assert.Equal("est obligatoire et vide", problem.Reason);
    }

    [Theory]
    [InlineData(ImportField.VictimLastName, 101, 100)]
    [InlineData(ImportField.VictimFirstName, 101, 100)]
    [InlineData(ImportField.VictimAddress, 501, 500)]
    [InlineData(ImportField.PerpetratorName, 201, 200)]
    [InlineData(ImportField.Notes, 4001, 4000)]
    public void Check_ATooLongValue_RejectsTheRowSayingTheLimit(ImportField field, int length, int limit)
    {
        var problem = Rejected(Check(Row((field, new string('é', length)))));

        Assert.Equal(ImportColumns.Of(field).French, problem.Field);
        Assert.Equal($"is {length} characters long; the limit is {limit}", problem.Reason);
    }

    [Theory]
    [InlineData(ImportField.VictimPhone, "07 99 99 99")]
    [InlineData(ImportField.VictimLastName, "Secretnom\nBis")]
    [InlineData(ImportField.VictimFirstName, "Secretprenom\nBis")]
    [InlineData(ImportField.PerpetratorName, "Secretauteur\nBis")]
    public void Check_NeverRepeatsAPersonalValueInTheReason(ImportField field, string value)
    {
        var problem = Rejected(Check(Row((field, value))));

        Assert.DoesNotContain(value.Split('\n')[0], problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReportsEveryProblemOfTheRow_NotJustTheFirst()
    {
        var check = Check(Row((ImportField.Offence, "VOL"), (ImportField.VictimPhone, "12"), (ImportField.Children, "peut-être")));

        Assert.Null(check.Row);
        Assert.Equal(["infraction", "victime_telephone", "enfants"], check.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Check_NamesTheFieldAsTheHeaderWritesIt()
    {
        var header = "reference;unit;Intervention_At;offence;victim_last_name;victim_first_name;Victim_Phone";
        var row = "62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;06 12";

        var problem = Rejected(Check(row, header));

        Assert.Equal("Victim_Phone", problem.Field);
    }

    [Theory]
    [InlineData("yes", "no", "unknown", TriState.Yes, false, TriState.Unknown)]
    [InlineData("NON", "OUI", "Oui", TriState.No, true, TriState.Yes)]
    [InlineData("", "", "", TriState.Unknown, null, TriState.Unknown)]
    [InlineData("inconnu", "yes", "no", TriState.Unknown, true, TriState.No)]
    public void Check_ReadsTheAnswersInFrenchOrEnglish_AnyCase(string cohabitation, string penal, string children, TriState cohabiting, bool? penalResponse, TriState childrenPresent)
    {
        var row = Check(Row((ImportField.Cohabitation, cohabitation), (ImportField.PenalResponse, penal), (ImportField.Children, children))).Row;

        Assert.NotNull(row);
        Assert.Equal((cohabiting, penalResponse, childrenPresent), (row.FileFacts.Cohabiting, row.FileFacts.PenalResponse, row.FileFacts.ChildrenPresent));
    }

    [Theory]
    [InlineData("VIOLENCES_CONJUGALES", OffenceCategory.ConjugalViolence)]
    [InlineData("violences_intrafamiliales", OffenceCategory.IntrafamilyViolence)]
    [InlineData("VIOL", OffenceCategory.Rape)]
    [InlineData("AGRESSION_SEXUELLE", OffenceCategory.SexualAssault)]
    [InlineData("HARCELEMENT", OffenceCategory.Harassment)]
    [InlineData("MENACES", OffenceCategory.Threats)]
    [InlineData(" AUTRE ", OffenceCategory.Other)]
    public void Check_MapsEveryOffenceCode(string code, OffenceCategory offence)
    {
        Assert.Equal(offence, Check(Row((ImportField.Offence, code))).Row?.Facts.Offence);
    }

    [Fact]
    public void Check_AnEmptyUnit_TakesTheDefaultUnit_AndCodesMatchInAnyCase()
    {
        Assert.Same(SaintDenis, Check(Row((ImportField.Unit, "")), defaultUnit: SaintDenis).Row?.Unit);
        Assert.Same(Arras, Check(Row((ImportField.Unit, "ctc-62")), defaultUnit: SaintDenis).Row?.Unit);
    }

    [Fact]
    public void Check_WithoutAUnitColumn_EveryRowTakesTheDefaultUnit()
    {
        var header = Header.Replace("unite;", "", StringComparison.Ordinal);
        var row = "62-1;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;";

        Assert.Same(SaintDenis, Check(row, header, defaultUnit: SaintDenis).Row?.Unit);
    }

    [Fact]
    public void Check_AUnitOutsideTheImportersScope_IsRejected()
    {
        var problem = Rejected(Check(Row(), scope: u => u.Code != "CTC-62"));

        Assert.Equal("unite", problem.Field);
        Assert.Contains("outside your scope", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValuesBeyondTheHeader_RejectTheRowWithoutAField()
    {
        var problem = Rejected(Check(Row() + ";en trop"));

        Assert.Null(problem.Field);
        Assert.Contains("14 values where the header has 13 columns", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AFormulaInNotes_IsKeptAsText()
    {
        var row = Check(Row((ImportField.Notes, "=HYPERLINK(\"http://x.test\";\"ici\")"))).Row;

        Assert.Equal("=HYPERLINK(\"http://x.test\";\"ici\")", row?.FileFacts.Notes);
    }

    [Fact]
    public void Check_AMultiLineAddressAndNote_AreKept()
    {
        var row = Check(Row((ImportField.VictimAddress, "2 rue Basse\n62000 Arras"), (ImportField.Notes, "ligne 1\r\nligne 2"))).Row;

        Assert.Equal("2 rue Basse\n62000 Arras", row?.FileFacts.VictimAddress);
        Assert.Equal("ligne 1\r\nligne 2", row?.FileFacts.Notes);
    }

    [Fact]
    public void Check_TrimsValues()
    {
        var row = Check(Row((ImportField.Reference, "  62-1  "), (ImportField.VictimFirstName, " Camille "))).Row;

        Assert.Equal("62-1", row?.Reference);
        Assert.Equal("Camille", row?.FileFacts.VictimFirstName);
    }

    [Fact]
    public void Check_Windows1252Names_ComeOutIntact()
    {
        using var file = ImportFile.Open(Bytes($"{Header}\n{Row((ImportField.VictimFirstName, "Françoise"))}\n", Windows1252), unitHasDefault: false);
        var validator = new ImportRowValidator(file.Header, [Arras], null, _ => true, Now);

        Assert.Equal("Françoise", validator.Check(Assert.Single(file.Records())).Row?.FileFacts.VictimFirstName);
        Assert.Equal("Windows-1252", file.EncodingName);
        Assert.NotEqual(Encoding.UTF8.GetBytes("ç"), Windows1252.GetBytes("ç"));
    }

    [Theory]
    [InlineData("31/02/1985", "Not a birth date")]
    [InlineData("1985/01/31", "Not a birth date")]
    [InlineData("01/01/2090", "in the future or before 1900")]
    [InlineData("01/01/1850", "in the future or before 1900")]
    public void Check_ABadBirthDate_RejectsTheRowNamingItsField_WithoutRepeatingTheDate(string value, string reason)
    {
        var check = Check($"{Row()};{value};", $"{Header};victime_date_naissance;auteur_date_naissance");

        Assert.Null(check.Row);
        var problem = Assert.Single(check.Problems);
        Assert.Equal("victime_date_naissance", problem.Field);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(value, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReadsBirthDatesInBothWritings()
    {
        var row = Check($"{Row()};31/01/1985;1979-06-02", $"{Header};victime_date_naissance;auteur_date_naissance").Row!;

        Assert.Equal(new DateOnly(1985, 1, 31), row.Facts.Victim.BirthDate);
        Assert.Equal(new DateOnly(1979, 6, 2), row.Facts.Perpetrator.BirthDate);
    }
}
