using System.Globalization;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;

namespace Callback.Web.Cli;

/// <summary>
/// <c>import FILE --campaign NAME [--unit-default CODE] [--dry-run]</c>: imports a file of old records as a
/// re-examination campaign, as the admin "cli". Exit 0 when the file was read (rejected rows included), 1 when it was
/// refused whole, 2 for a malformed command.
/// </summary>
internal static class ImportCommand
{
    public const string ActorId = "cli";

    public const string Usage = "import FILE --campaign NAME [--unit-default CODE] [--dry-run]";

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        string? file = null, campaign = null, unitDefault = null;
        var dryRun = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--campaign" when i + 1 < args.Length:
                    campaign = args[++i];
                    break;
                case "--unit-default" when i + 1 < args.Length:
                    unitDefault = args[++i];
                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case var path when file is null && !path.StartsWith("--", StringComparison.Ordinal):
                    file = path;
                    break;
                default:
                    await output.WriteLineAsync($"import: unexpected argument \"{args[i]}\"\nusage: {Usage}");
                    return 2;
            }
        }

        if (file is null || campaign is null)
        {
            await output.WriteLineAsync($"import: a file and --campaign are required\nusage: {Usage}");
            return 2;
        }

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        if (!File.Exists(file))
        {
            await output.WriteLineAsync($"import refused: no file at {Path.GetFullPath(file)}");
            return 1;
        }

        var importer = services.GetRequiredService<CaseImporter>();
        var request = new ImportRequest(campaign, Actor.User(ActorId, null, null, Roles.Admin), unitDefault);
        ImportReport report;
        await using (var stream = File.OpenRead(file))
        {
            report = dryRun ? await importer.DryRunAsync(stream, request) : await importer.ImportAsync(stream, request);
        }

        await WriteAsync(report, output);
        return report.IsRefused ? 1 : 0;
    }

    private static async Task WriteAsync(ImportReport report, TextWriter output)
    {
        if (report.Refusal is { } refusal)
        {
            await output.WriteLineAsync($"import refused: {refusal}");
            return;
        }

        var would = report.DryRun ? "would be " : "";
        if (report.DryRun)
        {
            await output.WriteLineAsync("dry run: nothing was written");
        }

        await output.WriteLineAsync($"file: {report.Encoding}, separator '{report.Separator}', {report.RowsRead} rows");
        var campaign = report.CampaignId is { } id ? $"campaign {id} \"{report.CampaignName}\"" : $"campaign \"{report.CampaignName}\"";
        await output.WriteLineAsync(
            $"{campaign}: {report.Created.Count} {would}created, {report.Updated.Count} {would}updated, {report.Unchanged.Count} unchanged, {report.RejectedRows} rejected");
        if (report.Created.Count(r => r.IsRepeat) is > 0 and var repeats)
        {
            await output.WriteLineAsync($"repeat victimisation: {repeats} new case(s) {(report.DryRun ? "would be " : "")}linked to an open file of the same victim or perpetrator, its danger raised one level");
        }

        if (report.ReviewDueUtc is { } review && report.ContactDueUtc is { } contact)
        {
            await output.WriteLineAsync($"new cases: review due {Instant(review)}, contact due {Instant(contact)}");
            if (report.LastContactDueUtc is { } last && last > contact)
            {
                await output.WriteLineAsync($"paced to the units' daily call capacity: the last contact falls due {Instant(last)}");
            }

            foreach (var day in report.Schedule)
            {
                await output.WriteLineAsync($"  {day.Day:yyyy-MM-dd} {day.UnitCode}: {day.Cases} due (capacity {day.Capacity})");
            }
        }

        foreach (var warning in report.Warnings)
        {
            await output.WriteLineAsync($"warning: {warning}");
        }

        if (report.Rejections.Count > 0)
        {
            await output.WriteLineAsync("rejected:");
            foreach (var r in report.Rejections)
            {
                await output.WriteLineAsync(r.Field is null ? $"  line {r.Line}: {r.Reason}" : $"  line {r.Line}, {r.Field}: {r.Reason}");
            }
        }
    }

    private static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
