using Callback.Domain.Units;
using Callback.Web.Cli;
using Microsoft.EntityFrameworkCore;

using static Callback.Testing.ImportFixture;

namespace Callback.Web.Tests.Intake;

public class ImportCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(Harness h, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await CommandLine.RunAsync(["import", .. args], h.Services, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task ImportCommand_ImportsTheFile_PrintsTheSummaryAndTheRejectedLines_AndExitsZero()
    {
        await using var h = await Harness.CreateAsync();
        var path = await WriteAsync(h, File(Row("62-1", unit: ""), Row("62-2", phone: "06 12"), Row("62-3", unit: "CTC-59")));

        var (exit, output) = await RunAsync(h, path, "--unit-default", "CTC-62", "--campaign", "Réexamen 2020");

        Assert.Equal(0, exit);
        Assert.Contains("\"Réexamen 2020\": 2 created, 0 updated, 0 unchanged, 1 rejected", output, StringComparison.Ordinal);
        Assert.Contains("line 3, victime_telephone: is not a valid phone number", output, StringComparison.Ordinal);
        Assert.Contains("new cases: review due 2026-03-09 20:00 UTC, contact due 2026-03-16 20:00 UTC", output, StringComparison.Ordinal);
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["cli"], await db.AuditEntries.Where(e => e.Action == "Open" || e.Action == "Import").Select(e => e.Actor).Distinct().ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ImportCommand_DryRun_WritesNothing()
    {
        await using var h = await Harness.CreateAsync();
        var path = await WriteAsync(h, File(Row("62-1"), Row("62-2")));

        var (exit, output) = await RunAsync(h, path, "--campaign", "Réexamen 2020", "--dry-run");

        Assert.Equal(0, exit);
        Assert.StartsWith("dry run: nothing was written", output, StringComparison.Ordinal);
        Assert.Contains("2 would be created", output, StringComparison.Ordinal);
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ImportCommand_AFileRefusedWhole_ExitsOneWithTheReason()
    {
        await using var h = await Harness.CreateAsync();
        var path = await WriteAsync(h, "numero;nom\n1;Martin\n");

        var (exit, output) = await RunAsync(h, path, "--campaign", "Réexamen 2020");

        Assert.Equal(1, exit);
        Assert.StartsWith("import refused: Required columns missing: reference", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCommand_AMissingFile_ExitsOne_AndAMalformedCommandExitsTwo()
    {
        await using var h = await Harness.CreateAsync();

        Assert.Equal(1, (await RunAsync(h, Path.Combine(h.Folder, "absent.csv"), "--campaign", "X")).ExitCode);
        Assert.Equal(2, (await RunAsync(h, Path.Combine(h.Folder, "absent.csv"))).ExitCode);
        Assert.Equal(2, (await RunAsync(h, "a.csv", "b.csv", "--campaign", "X")).ExitCode);
    }

    [Fact]
    public async Task ImportCommand_OnTheDocumentedSample_ImportsEveryRowButTheOneBadOne()
    {
        await using var h = await Harness.CreateAsync();
        await using (var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Units.Add(new Unit("BR-STDENIS", "Brigade de Saint-Denis", "974", "Indian/Reunion"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var (exit, output) = await RunAsync(h, Path.Combine(AppContext.BaseDirectory, "Intake", "import-sample.csv"), "--campaign", "Réexamen VIF 2020");

        Assert.Equal(0, exit);
        Assert.Contains("12 rows", output, StringComparison.Ordinal);
        Assert.Contains("11 created, 0 updated, 0 unchanged, 1 rejected", output, StringComparison.Ordinal);
        Assert.Contains("line 12, infraction: unknown offence code \"VIOLENCE_CONJUGALE\"", output, StringComparison.Ordinal);
        await using var read = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var reunion = await read.Cases.SingleAsync(c => c.FileReference == "974-2020-000041", TestContext.Current.CancellationToken);
        Assert.Equal((new DateTime(2020, 1, 12, 17, 30, 0, DateTimeKind.Utc), "+262692123456"), (reunion.InterventionAtUtc, reunion.Victim.Phone));
        var multiLine = await read.Cases.SingleAsync(c => c.FileReference == "62-2020-000302", TestContext.Current.CancellationToken);
        Assert.Equal(3, multiLine.FileNotes!.Split('\n').Length);
    }
}
