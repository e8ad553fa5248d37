using System.Text;
using Callback.Domain.Intake;

using static Callback.Domain.Tests.Intake.ImportFiles;

namespace Callback.Domain.Tests.Intake;

public class ImportFileTests
{
    private const string Row = "62-2020-000114;CTC-62;04/01/2020 22:40;VIOLENCES_CONJUGALES;Lefèvre;Hélène;06 12 34 56 78;12 rue de la Gaîté, Arras;François Garçon;oui;non;oui;Déjà signalée à l'été";

    [Theory]
    [InlineData("UTF-8 with BOM")]
    [InlineData("UTF-8")]
    [InlineData("Windows-1252")]
    public void Open_ReadsEachEncodingWithItsAccents(string encoding)
    {
        using var file = ImportFile.Open(Bytes($"{Header}\n{Row}\n", EncodingNamed(encoding)), unitHasDefault: false);
        var record = Assert.Single(file.Records());

        Assert.Equal(encoding, file.EncodingName);
        Assert.Equal("62-2020-000114", record.Value(ImportField.Reference));
        Assert.Equal("Lefèvre", record.Value(ImportField.VictimLastName));
        Assert.Equal("Hélène", record.Value(ImportField.VictimFirstName));
        Assert.Equal("12 rue de la Gaîté, Arras", record.Value(ImportField.VictimAddress));
        Assert.Equal("François Garçon", record.Value(ImportField.PerpetratorName));
        Assert.Equal("Déjà signalée à l'été", record.Value(ImportField.Notes));
    }

    [Fact]
    public void Open_WithABomBeforeTheHeader_StillFindsTheFirstColumn()
    {
        using var file = ImportFile.Open(Bytes($"{Header}\n{Row}\n", Utf8WithBom), unitHasDefault: false);

        Assert.Equal(0, file.Header.IndexOf(ImportField.Reference));
        Assert.Empty(file.Header.UnknownColumns);
    }

    [Theory]
    [InlineData(';')]
    [InlineData(',')]
    public void Open_TakesTheSeparatorFromTheHeaderLine_AndAQuotedValueMayHoldTheOther(char separator)
    {
        var other = separator == ';' ? ',' : ';';
        var header = Header.Replace(';', separator);
        var row = string.Join(separator, "62-1", "CTC-62", "04/01/2020 22:40", "VIOL", "Martin", "Camille", "", $"\"3 rue Haute{other} Arras\"", "", "", "", "", $"\"un{separator} deux{other} trois\"");

        using var file = ImportFile.Open(Bytes($"{header}\n{row}\n"), unitHasDefault: false);
        var record = Assert.Single(file.Records());

        Assert.Equal(separator, file.Separator);
        Assert.Equal($"3 rue Haute{other} Arras", record.Value(ImportField.VictimAddress));
        Assert.Equal($"un{separator} deux{other} trois", record.Value(ImportField.Notes));
    }

    [Fact]
    public void Records_StartAtThePhysicalLineOfTheRecord_EvenAfterQuotedLineBreaksAndBlankLines()
    {
        var text = $"{Header}\r\n" +
            "62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\"première ligne\r\ndeuxième ligne\ntroisième\"\r\n" +
            "\r\n" +
            "62-2;CTC-62;05/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\r\n" +
            "62-3;CTC-62;06/01/2020 22:40;VIOL;Martin;Camille;;\"2 rue Basse\n62000 Arras\";;;;;\n" +
            "62-4;CTC-62;07/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\n";

        var records = Records(text);

        Assert.Equal([2, 6, 7, 9], records.Select(r => r.Line));
        Assert.Equal("première ligne\r\ndeuxième ligne\ntroisième", records[0].Value(ImportField.Notes));
        Assert.Equal("2 rue Basse\n62000 Arras", records[2].Value(ImportField.VictimAddress));
    }

    [Fact]
    public void Records_AFormulaInNotes_IsTextAsWritten()
    {
        var text = $"{Header}\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\"=HYPERLINK(\"\"http://x.test\"\";\"\"ici\"\")\"\n62-2;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;+cmd|' /C calc'!A0\n62-3;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;@SUM(1+1)*cmd|' /C calc'!A0\n";

        var notes = Records(text).Select(r => r.Value(ImportField.Notes)).ToList();

        Assert.Equal(["=HYPERLINK(\"http://x.test\";\"ici\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"], notes);
    }

    [Fact]
    public void Open_HeaderOnly_IsReadWithNoRecord()
    {
        Assert.Empty(Records($"{Header}\r\n"));
        Assert.Empty(Records(Header));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\r\n  ")]
    public void Open_EmptyFile_IsRefused(string text)
    {
        Assert.Contains("empty", Refusal(Bytes(text)).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Refusal(Bytes(text, Utf8WithBom)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BinaryFile_IsRefusedAsNotText()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00];

        Assert.Contains("not a text file", Refusal(png).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ControlCharactersWithoutNul_AreRefusedAsNotText()
    {
        var noise = Enumerable.Range(0, 400).Select(i => (byte)(i % 2 == 0 ? 0x01 : 'a')).ToArray();

        Assert.Contains("not a text file", Refusal(noise).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Utf16_IsRefusedWithTheWayOut()
    {
        var utf16 = Bytes($"{Header}\n{Row}\n", Encoding.Unicode);

        Assert.Contains("UTF-16", Refusal(utf16).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithoutARequiredColumn_IsRefusedNamingIt()
    {
        var header = Header.Replace("date_intervention;", "", StringComparison.Ordinal).Replace("infraction;", "", StringComparison.Ordinal);

        var message = Refusal(Bytes($"{header}\n")).Message;

        Assert.Contains("date_intervention (or intervention_at)", message, StringComparison.Ordinal);
        Assert.Contains("infraction (or offence)", message, StringComparison.Ordinal);
        Assert.DoesNotContain("reference", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithoutAUnitColumn_IsRefusedUnlessADefaultUnitIsGiven()
    {
        var header = Header.Replace("unite;", "", StringComparison.Ordinal);

        Assert.Contains("unite (or unit)", Refusal(Bytes($"{header}\n")).Message, StringComparison.Ordinal);
        using var file = ImportFile.Open(Bytes($"{header}\n"), unitHasDefault: true);
        Assert.False(file.Header.Has(ImportField.Unit));
    }

    [Fact]
    public void Open_HeaderNames_MatchIgnoringCaseAndAccents_AndInEnglish()
    {
        const string header = "Référence,UNITÉ,Intervention_At,offence,Victim_Last_Name,victim_first_name,Victim_Phone,commentaire,";

        using var file = ImportFile.Open(Bytes($"{header}\n"), unitHasDefault: false);

        Assert.Equal(',', file.Separator);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], new[] { ImportField.Reference, ImportField.Unit, ImportField.InterventionAt, ImportField.Offence, ImportField.VictimLastName, ImportField.VictimFirstName, ImportField.VictimPhone }.Select(file.Header.IndexOf));
        Assert.Equal("Victim_Phone", file.Header.NameOf(ImportField.VictimPhone));
        Assert.Equal(["commentaire", "(column 9, without a name)"], file.Header.UnknownColumns);
        Assert.False(file.Header.Has(ImportField.Notes));
    }

    [Fact]
    public void Open_TwoColumnsForOneField_IsRefused()
    {
        var message = Refusal(Bytes($"{Header};unit\n")).Message;

        Assert.Contains("\"unite\" and \"unit\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_AQuoteNeverClosed_RefusesTheFileAtItsLine()
    {
        var text = $"{Header}\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;ok\n62-2;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\"jamais fermé\n62-3;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\n";

        var message = Refusal(Bytes(text)).Message;

        Assert.StartsWith("Line 3:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_AQuoteInsideAnUnquotedValue_IsKeptAsWritten()
    {
        var text = $"{Header}\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;dit \"stop\" puis\n";
        using var file = ImportFile.Open(Bytes(text), unitHasDefault: false);

        var record = Assert.Single(file.Records());

        Assert.Equal("dit \"stop\" puis", record.Value(ImportField.Notes));
        Assert.Empty(file.Malformed);
    }

    [Fact]
    public void Records_TextAfterAClosingQuote_IsSetAsideWithItsLine_AndTheNextRecordsAreRead()
    {
        var text = $"{Header}\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\"dit \"stop\" puis\"\n62-2;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;\n";
        using var file = ImportFile.Open(Bytes(text), unitHasDefault: false);

        var records = file.Records().ToList();

        Assert.Equal([3], records.Select(r => r.Line));
        var malformed = Assert.Single(file.Malformed);
        Assert.Equal(2, malformed.Line);
        Assert.Contains("closing quote", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_ValuesBeyondTheHeader_AreFlagged_ButEmptyTrailingValuesAreNot()
    {
        var text = $"{Header}\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;;;\n62-2;CTC-62;04/01/2020 22:40;VIOL;Martin;Camille;;;;;;;notes;en trop\n";

        var records = Records(text);

        Assert.Equal([false, true], records.Select(r => r.HasValuesBeyondHeader));
    }
}
