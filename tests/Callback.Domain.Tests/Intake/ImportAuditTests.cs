using Callback.Domain.Audit;

using static Callback.Testing.ImportFixture;

namespace Callback.Domain.Tests.Intake;

/// <summary>An import says in the chain when it starts and when it ends: a killed one leaves its start alone.</summary>
public class ImportAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_WritesAStartEntryBeforeItsCases_AndAnEndEntryAfterThem_ByTheImporter()
    {
        await using var h = await Harness.CreateAsync();

        await h.ImportAsync(File(Row("62-1"), Row("62-2"), Row("62-3", offence: "VOL")), campaign: "Réexamen 2020");

        var entries = await h.AuditAsync();
        var started = Assert.Single(entries, e => e.Action == AuditActions.ImportStarted);
        var finished = Assert.Single(entries, e => e.Action == AuditActions.Import);
        Assert.Equal(("admin-1", (Guid?)null), (started.Actor, started.CaseId));
        Assert.Equal("import of \"Réexamen 2020\" started: 3 rows read, 2 to create, 0 to update, 1 rejected", started.Reason);
        Assert.All(entries.Where(e => e.Action == AuditActions.Open), e => Assert.True(started.Sequence < e.Sequence && e.Sequence < finished.Sequence));
        Assert.EndsWith("2 created, 0 updated, 0 unchanged, 1 rejected of 3 rows", finished.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_KilledHalfway_LeavesItsStartWithoutAnEnd_AndTheResumedImportSaysItResumes()
    {
        var failure = new FailOnCommand("UPDATE \"Cases\"");
        await using var h = await Harness.CreateAsync(database: o => o.AddInterceptors(failure));
        await h.ImportAsync(File(Row("62-1")), campaign: "Premier lot");
        var file = File(Row("62-1", notes: "complément"), Row("62-2"), Row("62-3"));
        failure.Armed = true;

        // The new cases commit first; the update of the known one then fails, as a process killed at that point stops.
        await Assert.ThrowsAnyAsync<Exception>(() => h.ImportAsync(file, campaign: "Reprise"));
        failure.Armed = false;

        Assert.True(failure.Tripped);
        var killed = await h.AuditAsync();
        Assert.Single(killed, e => e.Action == AuditActions.ImportStarted && e.Reason!.Contains("\"Reprise\"", StringComparison.Ordinal));
        Assert.DoesNotContain(killed, e => e.Action == AuditActions.Import && e.Reason!.Contains("\"Reprise\"", StringComparison.Ordinal));
        Assert.Equal(3, killed.Count(e => e.Action == AuditActions.Open));

        var report = await h.ImportAsync(file, campaign: "Reprise");

        Assert.Equal((0, 1, 2), (report.Created.Count, report.Updated.Count, report.Unchanged.Count));
        var entries = await h.AuditAsync();
        var starts = entries.Where(e => e.Action == AuditActions.ImportStarted).Select(e => e.Reason!).ToList();
        Assert.Equal(3, starts.Count);
        Assert.DoesNotContain("resumes", starts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("resumes", starts[1], StringComparison.Ordinal);
        Assert.Contains("resumes the import of \"Reprise\" started", starts[2], StringComparison.Ordinal);
        Assert.Single(entries, e => e.Action == AuditActions.Import && e.Reason!.Contains("\"Reprise\"", StringComparison.Ordinal));
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var verification = await AuditWriter.VerifyAsync(db, Ct);
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Fact]
    public async Task Import_AfterAFinishedImportOfTheSameName_DoesNotSayItResumes()
    {
        await using var h = await Harness.CreateAsync();

        await h.ImportAsync(File(Row("62-1")), campaign: "Réexamen 2020");
        await h.ImportAsync(File(Row("62-2")), campaign: "Réexamen 2020");

        var starts = (await h.AuditAsync()).Where(e => e.Action == AuditActions.ImportStarted).ToList();
        Assert.Equal(2, starts.Count);
        Assert.All(starts, e => Assert.DoesNotContain("resumes", e.Reason, StringComparison.Ordinal));
    }
}
