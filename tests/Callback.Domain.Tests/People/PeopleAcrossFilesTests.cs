using System.Text;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.People;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Domain.Tests.People;

/// <summary>Issue 19: finding a victim, one person across files, repeat victimisation; on both providers.</summary>
public class PeopleAcrossFilesTests
{
    private static CaseSearch Search(Harness h) => new(h.Databases, h.Clock, NullLogger<CaseSearch>.Instance);

    private static NewCase Facts(Harness h, string reference, string first, string last, string? phone, string? address = null, DateOnly? born = null, string? perpetrator = null, DateOnly? perpetratorBorn = null) =>
        new(reference, h.Now.AddHours(-1), OffenceCategory.Threats, new Victim(first, last, phone, address, born), new Perpetrator(perpetrator, TriState.No, perpetratorBorn));

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Search_ByAPhoneWrittenAnotherWay_FindsTheFileInScope_CountsTheOtherUnits_AndAuditsThePurposeWithoutTheNumber(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var mine = await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-A", "Hélène", "Lefèvre", "+33612345678"), h.OfficerA);
        await h.Workflow.OpenAsync("CTC-59", Facts(h, "59-A", "Hélène", "Lefèvre", "+33612345678"), h.OfficerB);
        await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-B", "Anne", "Durand", "+33698765432"), h.OfficerA);

        foreach (var written in new[] { "06 12 34 56 78", "06.12.34.56.78", "+33 (0)6 12 34 56 78", "0033612345678", "612345678" })
        {
            var found = await Search(h).SearchAsync(written, "victim called back", h.OfficerA);
            var hit = Assert.Single(found.Hits);
            Assert.Equal(mine, hit.File.CaseId);
            Assert.Contains(PersonKeyKind.Phone, hit.MatchedBy);
            Assert.Equal(1, found.OutsideScope);
            Assert.Equal(CaseState.AwaitingReview, hit.File.State);
            Assert.NotNull(hit.File.DueAtUtc);
        }

        var searches = (await h.AuditAsync()).Where(e => e.Action == AuditActions.Search).ToList();
        Assert.Equal(5, searches.Count);
        Assert.All(searches, e =>
        {
            Assert.Equal("officer-a", e.Actor);
            Assert.Null(e.CaseId);
            Assert.Equal("purpose: victim called back; by Reference, Phone; 1 in scope, 1 outside", e.Reason);
            Assert.DoesNotContain("56", e.Reason, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Search_ByName_IgnoresCaseAndAccents_FindsMisspellingsBySound_AndByReferenceAndAddress(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var helene = await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-2026-000042", "Hélène", "Lefèvre", null, "12, Bd de la République"), h.OfficerA);
        await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-2026-000043", "Anne", "Leroy", null), h.OfficerA);
        var search = Search(h);

        var exact = Assert.Single((await search.SearchAsync("HELENE lefevre", "check", h.OfficerA)).Hits);
        Assert.Equal(helene, exact.File.CaseId);
        Assert.Equal([PersonKeyKind.NameToken], exact.MatchedBy);

        var bySound = Assert.Single((await search.SearchAsync("Lefebvre", "check", h.OfficerA)).Hits);
        Assert.Equal([PersonKeyKind.Phonetic], bySound.MatchedBy);

        Assert.Equal(helene, Assert.Single((await search.SearchAsync("62-2026-000042", "check", h.OfficerA)).Hits).File.CaseId);
        Assert.Equal(helene, Assert.Single((await search.SearchAsync("12 boulevard république", "check", h.OfficerA)).Hits).File.CaseId);
        Assert.Empty((await search.SearchAsync("Bernard", "check", h.OfficerA)).Hits);
        await Assert.ThrowsAsync<CaseRuleException>(() => search.SearchAsync("Lefèvre", "  ", h.OfficerA));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ANewFile_OfAVictimWithAnOpenCase_IsFlagged_AndRaisesTheOpenCaseOneLevel_WithTheReason(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var open = await h.CaseAwaitingContactAsync(danger: DangerLevel.Moderate);

        var opened = await h.Workflow.OpenAndMatchAsync("CTC-62", Facts(h, "62-NEW", "Camille", "Martin", h.Facts("62-2026-000001").Victim.Phone), h.OfficerA);

        Assert.True(opened.IsRepeat);
        Assert.Equal([open], opened.OpenFilesInScope);
        Assert.Equal(DangerLevel.High, (await h.LoadAsync(open)).Danger);
        var entries = await h.AuditAsync(open);
        Assert.Contains(entries, e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"new file {opened.CaseId}: victim by Phone");
        Assert.Contains(entries, e => e.Action == AuditActions.RaiseDanger && e.Reason == "Moderate -> High: repeat victimisation");
        Assert.Contains(await h.AuditAsync(opened.CaseId), e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"open files {open}");
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ThePerpetrator_IsMatchedByNameAndBirthDate_NeverByNameAlone(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var born = new DateOnly(1979, 6, 2);
        var first = await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-P1", "Anne", "Leroy", null, perpetrator: "Marc DURAND", perpetratorBorn: born), h.OfficerA);
        var noDate = await h.Workflow.OpenAndMatchAsync("CTC-62", Facts(h, "62-P2", "Julie", "Petit", null, perpetrator: "Marc Durand"), h.OfficerA);
        var sameDate = await h.Workflow.OpenAndMatchAsync("CTC-62", Facts(h, "62-P3", "Julie", "Petit", null, perpetrator: "DURAND Marc", perpetratorBorn: born), h.OfficerA);

        Assert.False(noDate.IsRepeat);
        Assert.Equal([first], sameDate.OpenFilesInScope);
        var match = Assert.Single((await h.Workflow.MatchesAsync(sameDate.CaseId, h.OfficerA)).InScope);
        Assert.Equal(PersonRole.Perpetrator, match.Role);
        Assert.Equal([PersonKeyKind.NameAndBirthDate], match.MatchedBy);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AMatch_IsConfirmedOrRejected_TheLastWordStands_AuditedOnBothFiles_AndOutOfScopeFilesAreACount(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var a = await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-M1", "Camille", "Martin", null, "3 rue des Lilas"), h.OfficerA);
        var b = await h.Workflow.OpenAsync("CTC-62", Facts(h, "62-M2", "Camille", "Martin", null, "3 r. des lilas"), h.OfficerA);
        await h.Workflow.OpenAsync("CTC-59", Facts(h, "59-M3", "Camille", "Martin", null, "3 Rue des Lilas"), h.OfficerB);

        var matches = await h.Workflow.MatchesAsync(b, h.OfficerA);
        var match = Assert.Single(matches.InScope);
        Assert.Equal(a, match.File.CaseId);
        Assert.Equal([PersonKeyKind.Address], match.MatchedBy);
        Assert.Null(match.Confirmed);
        Assert.Equal(1, matches.OutsideScope);

        await h.Workflow.DecideMatchAsync(b, a, PersonRole.Victim, confirmed: false, h.OfficerA);
        Assert.False(Assert.Single((await h.Workflow.MatchesAsync(a, h.OfficerA)).InScope).Confirmed);
        await h.Workflow.DecideMatchAsync(a, b, PersonRole.Victim, confirmed: true, h.OfficerA2);
        Assert.True(Assert.Single((await h.Workflow.MatchesAsync(b, h.OfficerA)).InScope).Confirmed);

        Assert.Equal([AuditActions.MatchRejected, AuditActions.MatchConfirmed],
            (await h.AuditAsync(a)).Where(e => e.Action.StartsWith("Match", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.Equal(2, (await h.AuditAsync(b)).Count(e => e.Action.StartsWith("Match", StringComparison.Ordinal)));

        // A file outside her scope cannot be decided on: she does not see it.
        var other = (await Search(h).SearchAsync("Camille Martin", "check", h.OfficerB)).Hits.Single().File.CaseId;
        await Assert.ThrowsAsync<CaseAccessDeniedException>(() => h.Workflow.DecideMatchAsync(a, other, PersonRole.Victim, true, h.OfficerA));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AnInboundCall_IsTheContactOnAnOpenCase_AndKeptWithItsAnswersOnAClosedOne(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var report = new ContactReport(false, DangerLevel.Moderate, false, null, "she called");

        var (after, wasContact) = await h.Workflow.RecordInboundCallAsync(id, await h.VersionAsync(id), report, h.OfficerA);
        Assert.True(wasContact);
        Assert.Equal(CaseState.Closed, after.State);
        var actions = (await h.AuditAsync(id)).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.InboundCall, AuditActions.RecordContact], actions[^2..]);

        // Closed: she calls again, with more danger. The state stays, the call and the raise are kept.
        var (again, contact) = await h.Workflow.RecordInboundCallAsync(id, after.Version, report with { Danger = DangerLevel.High }, h.OfficerA);
        Assert.False(contact);
        Assert.Equal(CaseState.Closed, again.State);
        Assert.Equal(DangerLevel.High, again.Danger);
        Assert.Equal(2, (await h.LoadAsync(id)).Attempts.Count(a => a.Outcome == Callback.Domain.Contact.AttemptOutcome.Reached));
        Assert.Contains(await h.AuditAsync(id), e => e.Action == AuditActions.InboundCall && e.Reason == "victim called in, case closed");
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AnInboundCallOnAClosedCase_PutUnderFollowUp_ReopensIt_AndStartsThePlan_EachStepAudited(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var closed = await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(false, DangerLevel.Moderate, false, null), h.OfficerA);
        Assert.Equal(CaseState.Closed, closed.State);
        var entriesBefore = (await h.AuditAsync(id)).Count;

        // She calls back weeks later; the officer (not a supervisor) puts her under follow-up at the level the call found.
        var call = new ContactReport(false, DangerLevel.High, false, null, "il est revenu") { Then = AfterContact.FollowUp };
        var (after, wasContact) = await h.Workflow.RecordInboundCallAsync(id, closed.Version, call, h.OfficerA);

        Assert.True(wasContact);
        Assert.Equal(CaseState.FollowUp, after.State);
        Assert.Equal(DangerLevel.High, after.Danger);
        var c = await h.LoadAsync(id);
        Assert.Null(c.ClosedAtUtc);
        Assert.NotNull(c.FollowUpStartedAtUtc);
        var entries = await h.AuditAsync(id);
        Assert.Equal(entriesBefore + 3, entries.Count);
        Assert.Equal(
            [(AuditActions.InboundCall, "victim called in, case closed: reopened"), (AuditActions.Reopen, "victim called in"), (AuditActions.StartFollowUp, "victim reached, follow-up plan")],
            entries.TakeLast(3).Select(e => (e.Action, e.Reason)));
        Assert.All(entries.TakeLast(3), e => Assert.Equal("officer-a", e.Actor));
        Assert.Equal(DeadlineKind.CheckInDeadline, c.AlarmKind);
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.True((await AuditWriter.VerifyAsync(db, TestContext.Current.CancellationToken)).IsIntact);

        // Under follow-up her next call in is the plan's check-in.
        var (checkIn, isContact) = await h.Workflow.RecordInboundCallAsync(id, after.Version, new ContactReport(false, DangerLevel.High, false, null), h.OfficerA);
        Assert.True(isContact);
        Assert.Equal(CaseState.FollowUp, checkIn.State);
        Assert.Equal(1, (await h.LoadAsync(id)).CheckInsDone);
        Assert.Equal([AuditActions.InboundCall, AuditActions.RecordCheckIn], (await h.AuditAsync(id)).TakeLast(2).Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AnInboundCallOnAClosedCase_CallingForAPatrol_ReopensIt_AndRequestsOne_WithoutAPlan_IsRefusedAndChangesNothing(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync(danger: DangerLevel.Low);
        var closed = await h.Workflow.RecordContactAsync(id, await h.VersionAsync(id), new ContactReport(false, DangerLevel.Low, false, null), h.OfficerA);
        var entriesBefore = (await h.AuditAsync(id)).Count;

        // Low danger and no measure: there is no plan to put her under; the call is refused whole, the case stays closed.
        var noPlan = new ContactReport(false, DangerLevel.Low, false, null) { Then = AfterContact.FollowUp };
        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.RecordInboundCallAsync(id, closed.Version, noPlan, h.OfficerA));
        Assert.Equal(CaseState.Closed, (await h.LoadAsync(id)).State);
        Assert.Equal(entriesBefore, (await h.AuditAsync(id)).Count);

        var (after, wasContact) = await h.Workflow.RecordInboundCallAsync(id, closed.Version, new ContactReport(false, DangerLevel.High, true, null), h.OfficerA);
        Assert.True(wasContact);
        Assert.Equal(CaseState.PatrolRequested, after.State);
        Assert.Equal([AuditActions.InboundCall, AuditActions.Reopen, AuditActions.RequestPatrol], (await h.AuditAsync(id)).TakeLast(3).Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Import_ReadsBirthDates_NamesTheLineAndFieldOfABadOne_AndImportedFilesAreFound(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var csv = "reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_date_naissance;auteur_nom;auteur_date_naissance\n" +
            "62-I1;CTC-62;01/02/2026 21:30;MENACES;Lefèvre;Hélène;0612345678;31/01/1985;Marc Durand;1979-06-02\n" +
            "62-I2;CTC-62;01/02/2026 21:30;MENACES;Petit;Julie;;31/02/1985;;\n" +
            "62-I3;CTC-62;01/02/2026 21:30;MENACES;Petit;Julie;;;Marc Durand;2090-01-01\n";
        var report = await h.Importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest("Réexamen", h.Supervisor));

        Assert.Single(report.Created);
        Assert.Collection(report.Rejections,
            r => Assert.Equal((3, "victime_date_naissance"), (r.Line, r.Field)),
            r => Assert.Equal((4, "auteur_date_naissance"), (r.Line, r.Field)));
        var hit = Assert.Single((await Search(h).SearchAsync("06 12 34 56 78", "check", h.OfficerA)).Hits);
        var c = await h.LoadAsync(hit.File.CaseId);
        Assert.Equal(new DateOnly(1985, 1, 31), c.Victim.BirthDate);
        Assert.Equal(new DateOnly(1979, 6, 2), c.Perpetrator.BirthDate);
    }
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task CasesMadeBeforeTheKeys_AreGivenThemAtStartUp_InBatches_Once_AndNeverAnAnonymisedOne(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        var rows = Enumerable.Range(1, PersonKeyBackfill.CasesPerBatch + 150)
            .Select(i => $"62-OLD-{i:D5};CTC-62;01/02/2026 21:30;MENACES;Nom{i};Prénom;06{i:D8};{i} rue des Lilas;;");
        var csv = "reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_adresse;auteur_nom;auteur_date_naissance\n" +
            "62-OLD-HELENE;CTC-62;01/02/2026 21:30;MENACES;Lefèvre;Hélène;0612345678;;Marc Durand;1979-06-02\n" + string.Join("\n", rows) + "\n";
        var imported = await h.ImportAsync(csv);
        Assert.Equal(PersonKeyBackfill.CasesPerBatch + 151, imported.Created.Count);
        var anonymised = imported.Created[^1].CaseId!.Value;
        int keysBefore;
        await using (var db = await h.Databases.CreateDbContextAsync(ct))
        {
            keysBefore = await db.PersonKeys.CountAsync(ct);
            // As before issue 19: no keys at all; and one case whose personal data retention erased.
            await db.PersonKeys.ExecuteDeleteAsync(ct);
            await db.Cases.Where(c => c.Id == anonymised).ExecuteUpdateAsync(s => s.SetProperty(c => c.AnonymisedAtUtc, h.Now), ct);
        }

        Assert.Empty((await Search(h).SearchAsync("06 12 34 56 78", "check", h.OfficerA)).Hits);

        await h.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);

        await using (var db = await h.Databases.CreateDbContextAsync(ct))
        {
            Assert.Equal(0, await db.PersonKeys.CountAsync(k => k.CaseId == anonymised, ct));
            Assert.Equal(keysBefore - PersonKey.Of(await h.LoadAsync(anonymised)).Count, await db.PersonKeys.CountAsync(ct));
        }

        var helene = Assert.Single((await Search(h).SearchAsync("06 12 34 56 78", "check", h.OfficerA)).Hits).File.CaseId;
        Assert.Equal(imported.Created[0].CaseId, helene);
        var again = await h.Workflow.OpenAndMatchAsync("CTC-62", Facts(h, "62-NEW", "Julie", "Petit", null, perpetrator: "DURAND Marc", perpetratorBorn: new DateOnly(1979, 6, 2)), h.OfficerA);
        Assert.Equal([helene], again.OpenFilesInScope);

        // Once done, nothing is left to do: a second start writes nothing.
        Assert.Equal(0, await PersonKeyBackfill.RunAsync(h.Databases, ct));
    }
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Import_DryRunAndImport_FlagTheSameRepeats_LinkThem_AndRaiseTheOpenFilesOneLevel(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var open = await h.CaseAwaitingContactAsync(danger: DangerLevel.Moderate);
        var phone = h.Facts("62-2026-000001").Victim.Phone!;
        // Her phone written otherwise; a woman of her own; a third row at that woman's address (same file, earlier row).
        var file = ImportFixture.File(
            ImportFixture.Row("62-R1", phone: string.Join(" ", phone.Chunk(2).Select(d => new string(d)))), ImportFixture.Row("62-R2"), ImportFixture.Row("62-R3", address: $"{Harness.VictimNumber("62-R2")}, RUE DES TILLEULS 62000 ARRAS"));

        var dryRun = await h.DryRunAsync(file);

        Assert.Empty(dryRun.Rejections);
        Assert.Equal([1, 0, 1], dryRun.Created.Select(r => r.OpenFiles));
        Assert.Equal(DangerLevel.Moderate, (await h.LoadAsync(open)).Danger);
        Assert.DoesNotContain(await h.AuditAsync(), e => e.Action == AuditActions.RepeatVictimisation);

        var report = await h.ImportAsync(file);

        Assert.Equal(dryRun.Created.Select(r => (r.Reference, r.OpenFiles)), report.Created.Select(r => (r.Reference, r.OpenFiles)));
        var (r1, r2, r3) = (report.Created[0].CaseId!.Value, report.Created[1].CaseId!.Value, report.Created[2].CaseId!.Value);
        Assert.Equal(DangerLevel.High, (await h.LoadAsync(open)).Danger);
        Assert.Contains(await h.AuditAsync(open), e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"new file {r1}: victim by Phone");
        Assert.Contains(await h.AuditAsync(open), e => e.Action == AuditActions.RaiseDanger && e.Reason == "Moderate -> High: repeat victimisation");
        Assert.Contains(await h.AuditAsync(r1), e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"open files {open}");
        Assert.Contains(await h.AuditAsync(r2), e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"new file {r3}: victim by Address");
        Assert.Contains(await h.AuditAsync(r3), e => e.Action == AuditActions.RepeatVictimisation && e.Reason == $"open files {r2}");
        Assert.Equal(DangerLevel.Low, (await h.LoadAsync(r2)).Danger);
        Assert.Equal(DangerLevel.NotAssessed, (await h.LoadAsync(r3)).Danger);
        Assert.Equal([r1], (await h.Workflow.MatchesAsync(open, h.OfficerA)).InScope.Select(m => m.File.CaseId));
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var chain = await AuditWriter.VerifyAsync(db, TestContext.Current.CancellationToken);
        Assert.True(chain.IsIntact, chain.Message);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task Import_OfManyRowsSharingOneNumber_LinksEachToTheNewestFewOnly(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var rows = Enumerable.Range(1, Repeats.MaxLinked * 5).Select(i => ImportFixture.Row($"62-S{i:D3}", phone: "03 21 00 00 00")).ToArray();

        var report = await h.ImportAsync(ImportFixture.File(rows));

        Assert.Equal(Enumerable.Range(0, rows.Length).Select(i => Math.Min(i, Repeats.MaxLinked)), report.Created.Select(r => r.OpenFiles));
        var last = report.Created[^1].CaseId!.Value;
        var linked = Assert.Single(await h.AuditAsync(last), e => e.Action == AuditActions.RepeatVictimisation).Reason!;
        Assert.Equal(report.Created.Skip(rows.Length - 1 - Repeats.MaxLinked).Take(Repeats.MaxLinked).Select(r => r.CaseId!.Value.ToString()).Order(),
            linked["open files ".Length..].Split(", ").Order());
    }
}
