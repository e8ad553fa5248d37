using System.Data;
using System.Globalization;
using System.Text;
using Callback.Domain.Units;
using Callback.Web.Features.Supervision;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Callback.Web.Tests.Supervision;

public class StatisticsExportTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+33 cmd", "'+33 cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tHIDDEN", "'\tHIDDEN")]
    [InlineData("\rHIDDEN", "'\rHIDDEN")]
    [InlineData("CTC-62", "CTC-62")]
    [InlineData("", "")]
    public void Neutralise_PrefixesAQuote_OnlyToCellsASpreadsheetWouldRun(string cell, string written) =>
        Assert.Equal(written, StatisticsExport.Neutralise(cell));

    private static async Task<(Harness H, IReadOnlyList<StatisticsRow> Rows)> ExportAsync()
    {
        var h = await Harness.CreateAsync();
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            // A unit code an admin typed as a formula: the export must hand it over as text.
            db.Units.Add(new Unit("=HYPERLINK(\"http://evil\")", "Cellule piégée", "62", "Europe/Paris"));
            await db.SaveChangesAsync();
        }

        var missed = await h.CaseAwaitingContactAsync("62-a");
        await h.Workflow.OpenAsync("=HYPERLINK(\"http://evil\")", h.Facts("62-b"), h.Supervisor);
        h.Clock.Advance(TimeSpan.FromHours(49));
        var alarm = (await h.Workflow.GetAlarmAsync(missed))!;
        await h.Workflow.FireDeadlineAsync(missed, alarm.Version, alarm.Kind);
        var export = new StatisticsExport(h.Databases, new SupervisionService(h.Databases, h.Clock), h.Clock);
        return (h, await export.BuildAsync(h.Supervisor));
    }

    [Fact]
    public async Task Csv_NeutralisesFormulaCells_CarriesNoPersonalData_AndRoundTrips()
    {
        var (h, rows) = await ExportAsync();
        await using var _h = h;
        using var buffer = new MemoryStream();

        await StatisticsExport.WriteCsvAsync(rows, buffer);

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        foreach (var personal in new[] { "Camille", "Martin", h.Facts("62-a").Victim.Phone!, h.Facts("62-b").Victim.Phone!, "Lilas", "Marc Durand", "62-a", "62-b" })
        {
            Assert.DoesNotContain(personal, text, StringComparison.Ordinal);
        }

        using var reader = CsvReader.FromText(text, new CsvReaderOptions { HasHeader = true });
        using var table = new DataTable();
        table.Load(new CsvDataReader(reader, leaveOpen: true));
        Assert.Equal(StatisticsExport.Header, table.Columns.Cast<DataColumn>().Select(c => c.ColumnName));
        Assert.Equal(rows.Count, table.Rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = table.Rows[i];
            Assert.Equal(Written(rows[i]), ((string)r[0], (string)r[1], (string)r[2], (string)r[3], double.Parse((string)r[4], CultureInfo.InvariantCulture)));
        }

        Assert.Contains(table.Rows.Cast<DataRow>(), r => (string)r[2] == "'=HYPERLINK(\"http://evil\")" && (string)r[0] == "cases");
        Assert.DoesNotContain(table.Rows.Cast<DataRow>(), r => r.ItemArray.OfType<string>().Any(c => c.StartsWith('=')));
    }

    [Fact]
    public async Task Xlsx_NeutralisesFormulaCells_WritesNumbersAsNumbers_AndRoundTrips()
    {
        var (h, rows) = await ExportAsync();
        await using var _h = h;
        using var buffer = new MemoryStream();

        StatisticsExport.WriteXlsx(rows, buffer);

        buffer.Position = 0;
        using var document = SpreadsheetDocument.Open(buffer, isEditable: false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var lines = sheet.Descendants<Row>().ToList();
        Assert.Equal(StatisticsExport.Header, lines[0].Elements<Cell>().Select(c => c.InnerText));
        Assert.Equal(rows.Count, lines.Count - 1);
        Assert.Empty(sheet.Descendants<CellFormula>());
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = lines[i + 1].Elements<Cell>().ToList();
            Assert.Equal(Written(rows[i]), (cells[0].InnerText, cells[1].InnerText, cells[2].InnerText, cells[3].InnerText, double.Parse(cells[4].CellValue!.Text, CultureInfo.InvariantCulture)));
            Assert.Equal(CellValues.Number, cells[4].DataType!.Value);
        }

        Assert.Contains(lines, l => l.Elements<Cell>().ElementAt(2).InnerText == "'=HYPERLINK(\"http://evil\")");
        Assert.Contains(rows, r => r.Indicator == "day.compliance_rate");
    }

    private static (string, string, string, string, double) Written(StatisticsRow row) =>
        (StatisticsExport.Neutralise(row.Indicator), StatisticsExport.Neutralise(row.Period), StatisticsExport.Neutralise(row.Unit), StatisticsExport.Neutralise(row.State), row.Value);
}
