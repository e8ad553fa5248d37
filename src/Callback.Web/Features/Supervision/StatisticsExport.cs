using Callback.Domain.Access;
using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Supervision;

/// <summary>One line of the statistics export: an indicator, its period or grouping, and a number. Never a person.</summary>
public sealed record StatisticsRow(string Indicator, string Period, string Unit, string State, double Value);

/// <summary>
/// Statistics without personal data, as CSV and XLSX: counts per day, unit and state, and the compliance figures. Only
/// codes, dates, states and numbers are selected; names, phones, addresses and free text are never read.
/// <para>
/// Formula injection: a spreadsheet runs a cell that starts with <c>= + - @</c>, a tab or a carriage return as a formula
/// (a unit code typed as <c>=HYPERLINK(...)</c> would). Every text cell starting so is prefixed with a single quote, which
/// spreadsheets show as text; numbers are written as numbers and need no guard.
/// </para>
/// </summary>
public sealed class StatisticsExport(IDbContextFactory<CallbackDbContext> databases, SupervisionService supervision, TimeProvider clock)
{
    public static readonly string[] Header = ["indicator", "period", "unit", "state", "value"];
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public async Task<IReadOnlyList<StatisticsRow>> BuildAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().UtcDateTime;
        var model = await supervision.LoadAsync(actor, cancellationToken);
        var rows = new List<StatisticsRow>();
        foreach (var (points, weekly) in new[] { (model.Daily, false), (model.Weekly, true) })
        {
            var prefix = weekly ? "week" : "day";
            foreach (var p in points)
            {
                rows.Add(new($"{prefix}.reached_in_time", p.Label(weekly), "", "", p.Reached));
                rows.Add(new($"{prefix}.missed", p.Label(weekly), "", "", p.Missed));
                if (p.Rate is { } rate)
                {
                    rows.Add(new($"{prefix}.compliance_rate", p.Label(weekly), "", "", Math.Round(rate, 4)));
                }
            }
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var inScope = db.Cases.AsNoTracking().InScopeOf(actor);
        var byState = await inScope.GroupBy(c => new { c.Unit!.Code, c.State })
            .Select(g => new { g.Key.Code, g.Key.State, Count = g.Count(), Overdue = g.Count(c => c.State != CaseState.Closed && c.DueAtUtc <= now) })
            .ToListAsync(cancellationToken);
        foreach (var g in byState.OrderBy(g => g.Code, StringComparer.Ordinal).ThenBy(g => g.State))
        {
            rows.Add(new("cases", "", g.Code, g.State.ToString(), g.Count));
            rows.Add(new("cases.overdue", "", g.Code, g.State.ToString(), g.Overdue));
        }

        // Days as the dashboard counts them: each unit's calendar day, over the dashboard's days.
        var firstDay = model.Daily[0].PeriodStart;
        var since = firstDay.AddDays(-1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var opened = await inScope.Where(c => c.CreatedAtUtc >= since).Select(c => new { c.Unit!.Code, c.Unit.TimeZoneId, c.CreatedAtUtc }).ToListAsync(cancellationToken);
        foreach (var g in opened.GroupBy(c => (c.Code, Day: Unit.LocalDate(c.CreatedAtUtc, c.TimeZoneId))).Where(g => g.Key.Day >= firstDay)
                     .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Code, StringComparer.Ordinal))
        {
            rows.Add(new("day.opened", g.Key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Key.Code, "", g.Count()));
        }

        return rows;
    }

    /// <summary>The cell as written: text that a spreadsheet would run as a formula gets a leading single quote.</summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;
    }

    public static async Task WriteCsvAsync(IReadOnlyList<StatisticsRow> rows, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var csv = CsvWriter.Create(output, options: null, leaveOpen: true);
        foreach (var column in Header)
        {
            csv.WriteField(column);
        }

        await csv.EndRecordAsync(cancellationToken);
        foreach (var row in rows)
        {
            foreach (var text in Texts(row))
            {
                csv.WriteField(Neutralise(text));
            }

            csv.WriteField(row.Value.ToString("R", CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>One sheet, inline strings and numeric cells: no shared-string table, no styles, nothing a reader must guess.</summary>
    public static void WriteXlsx(IReadOnlyList<StatisticsRow> rows, Stream output)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        data.Append(new Row(Header.Select(TextCell)));
        foreach (var row in rows)
        {
            data.Append(new Row(Texts(row).Select(t => TextCell(Neutralise(t))).Append(new Cell { DataType = CellValues.Number, CellValue = new CellValue(row.Value) })));
        }

        sheetPart.Worksheet = new Worksheet(data);
        workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "statistics" }));
        workbook.Workbook.Save();
    }

    private static IEnumerable<string> Texts(StatisticsRow row) => [row.Indicator, row.Period, row.Unit, row.State];

    private static Cell TextCell(string text) => new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { DataType = CellValues.InlineString };
}
