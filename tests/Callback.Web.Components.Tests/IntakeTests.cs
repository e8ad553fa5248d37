using System.Globalization;
using AngleSharp.Dom;
using Callback.Domain.Intake;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Features.Intake;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Components.Tests;

/// <summary>The import page's dry run and confirm, and the manual entry form's messages (the import's own checks).</summary>
public class IntakeTests : CallbackComponentTest
{
    private readonly FakeDesk _desk = new();

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IIntakeDesk>(_desk);

    private static Actor Admin => Actor.User("admin-1", null, null, Domain.Identity.Roles.Admin);

    private static ImportReport Planned(bool dryRun) => new()
    {
        DryRun = dryRun,
        CampaignName = "Réexamen 2020",
        RowsRead = 3,
        Created = [new ImportedRow(2, "CTC-62", "62-2020-0001", null, []), new ImportedRow(3, "CTC-62", "62-2020-0002", null, [])],
        Rejections = [new ImportRejection(4, "victime_telephone", "is not a valid phone number (write it as 06 12 34 56 78, +33 6 12 34 56 78, 0692 12 34 56 …)")],
        ReviewDueUtc = new DateTime(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc),
        ContactDueUtc = new DateTime(2026, 3, 17, 9, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>The input of a MudTextField, wherever MudBlazor puts the test id.</summary>
    private static IElement Field<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll($"input[data-testid={testId}], textarea[data-testid={testId}]") is { Count: > 0 } direct ? direct[0] : cut.Find($"[data-testid={testId}] input, [data-testid={testId}] textarea");

    [Theory]
    [InlineData(true, "1 nouveau(x) dossier(s) concernent une victime ou un auteur qui a déjà un dossier ouvert : ils y seront liés")]
    [InlineData(false, "1 nouveau(x) dossier(s) concernent une victime ou un auteur qui avait déjà un dossier ouvert : ils y ont été liés")]
    public void ImportReport_FlagsTheRepeatFiles_InTheSummaryAndOnTheirRow(bool dryRun, string summary)
    {
        var planned = Planned(dryRun);
        var report = new ImportReport
        {
            DryRun = planned.DryRun, CampaignName = planned.CampaignName, RowsRead = planned.RowsRead, ReviewDueUtc = planned.ReviewDueUtc, ContactDueUtc = planned.ContactDueUtc,
            Created = [planned.Created[0] with { OpenFiles = 2 }, planned.Created[1]],
        };

        var cut = Render<ImportReportView>(p => p.Add(x => x.Report, report).Add(x => x.TimeZone, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")));

        Assert.StartsWith(summary, cut.Find("[data-testid=repeats]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["2", ""], cut.FindAll("[data-testid=created-open-files]").Select(c => c.TextContent));
        Assert.Contains("Dossiers ouverts liés", cut.Find("[data-testid=created] thead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPanel_ExplainsTheFileInThePage_WithoutARepositoryPath()
    {
        // Users cannot open the repository's docs/import.md: the page says what a file holds, from the import's own columns.
        var cut = Render<ImportPanel>(p => p.Add(x => x.Actor, Admin));

        Assert.DoesNotContain("docs/", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(".md", cut.Markup, StringComparison.Ordinal);
        var help = cut.Find("[data-testid=import-help]");
        Assert.Contains("Format du fichier attendu", help.TextContent, StringComparison.Ordinal);
        var rows = cut.FindAll("[data-testid=import-help-column]");
        Assert.Equal(ImportColumns.All.Count, rows.Count);
        Assert.Contains("date_intervention", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("à l'heure de l'unité", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("VIOLENCES_CONJUGALES", help.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPanel_DryRun_ListsWhatWouldBeCreatedAndRejected_AndWhenTheCasesFallDue_ThenConfirmImportsWithProgress()
    {
        _desk.Report = Planned(dryRun: true);
        var cut = Render<ImportPanel>(p => p.Add(x => x.Actor, Admin));
        Assert.True(cut.Find("[data-testid=dry-run]").HasAttribute("disabled"));

        Field(cut, "campaign").Input("Réexamen 2020");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("reference;unite\n", "vieux.csv"));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=dry-run]").HasAttribute("disabled")));
        Assert.True(cut.Find("[data-testid=confirm]").HasAttribute("disabled"));
        cut.Find("[data-testid=dry-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Essai", cut.Find("[data-testid=summary]").TextContent));
        Assert.Equal(0, _desk.Imports);
        Assert.Equal("Réexamen 2020", _desk.LastRequest?.CampaignName);
        Assert.Contains("2 créés", cut.Find("[data-testid=counts]").TextContent);
        // The admin has no unit and chose no default one: the dates read in the units' usual zone, Paris (UTC+1 in March).
        Assert.Contains("10/03/2026 10:00 (Europe/Paris)", cut.Find("[data-testid=due]").TextContent);
        Assert.Contains("17/03/2026 10:00 (Europe/Paris)", cut.Find("[data-testid=due]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=created-row]").Count);
        var rejected = Assert.Single(cut.FindAll("[data-testid=rejected-row]"));
        Assert.Contains("4", rejected.Children[0].TextContent);
        Assert.Equal("victime_telephone", rejected.Children[1].TextContent);
        Assert.StartsWith("is not a valid phone number", rejected.Children[2].TextContent, StringComparison.Ordinal);

        _desk.Report = Planned(dryRun: false);
        cut.Find("[data-testid=confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Import terminé", cut.Find("[data-testid=summary]").TextContent));
        Assert.Equal(1, _desk.Imports);
        Assert.Contains("Terminé", cut.Find("[data-testid=progress]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=progress] [role=progressbar]"));
        Assert.True(cut.Find("[data-testid=confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public void ImportPanel_ARefusedFile_SaysWhy_AndCannotBeConfirmed()
    {
        _desk.Report = ImportReport.Refused(true, "Réexamen", "Required column missing: reference.");
        var cut = Render<ImportPanel>(p => p.Add(x => x.Actor, Admin));
        Field(cut, "campaign").Input("Réexamen");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("x\n", "bad.csv"));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=dry-run]").HasAttribute("disabled")));

        cut.Find("[data-testid=dry-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Required column missing", cut.Find("[data-testid=refused]").TextContent));
        Assert.True(cut.Find("[data-testid=confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewCaseForm_ShowsTheImportsMessages_UnderEachField_AndCreatesNothing()
    {
        var cut = Render<NewCaseForm>(p => p.Add(x => x.Actor, Officer));
        Field(cut, "reference").Change("62-2026-0042");
        Field(cut, "victim-first-name").Change("Camille");
        Field(cut, "victim-phone").Change("12");
        Field(cut, "intervention-at").Change("31/02/2026 10:00");

        cut.Find("[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("est obligatoire et vide", cut.Markup));
        Assert.Contains("n'est pas un numéro de téléphone valide", cut.Markup);
        Assert.Contains("n'est pas une date et heure", cut.Markup);
        Assert.Equal(0, _desk.Created);
        // Each message sits in its own field's helper line, not in a general list.
        Assert.Empty(cut.FindAll("[data-testid=form-errors]"));
        Assert.Equal("CTC-62", _desk.LastSubmission?.Unit);
    }

    [Fact]
    public void NewCaseForm_UnderFrench_WritesThePhonesReasonInFrench_InThePhoneFieldsOwnHelperLine()
    {
        var cut = Render<NewCaseForm>(p => p.Add(x => x.Actor, Officer));
        Field(cut, "victim-phone").Change("12");

        cut.Find("[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "n'est pas un numéro de téléphone valide (écrivez-le 06 12 34 56 78, +33 6 12 34 56 78, 0692 12 34 56 …)",
            HelperLine(cut, "victim-phone")));
        Assert.Equal("est obligatoire et vide", HelperLine(cut, "victim-last-name"));
    }

    [Fact]
    public void NewCaseForm_UnderEnglish_WritesThePhonesReasonInEnglish()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-GB");
        var cut = Render<NewCaseForm>(p => p.Add(x => x.Actor, Officer));
        Field(cut, "victim-phone").Change("12");

        cut.Find("[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("is not a valid phone number (write it as", HelperLine(cut, "victim-phone"), StringComparison.Ordinal));
    }

    /// <summary>The text under a field: MudBlazor writes its error text in the field's helper line.</summary>
    private static string HelperLine<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        Field(cut, testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    [Fact]
    public void NewCaseForm_AReferenceTheUnitAlreadyHas_SaysSo_AndLinksTheExistingCase()
    {
        var cut = Render<NewCaseForm>(p => p.Add(x => x.Actor, Officer));
        Field(cut, "reference").Change(FakeDesk.Duplicate);
        Field(cut, "victim-first-name").Change("Camille");
        Field(cut, "victim-last-name").Change("Martin");
        Field(cut, "intervention-at").Change("01/03/2026 22:15");
        _desk.Offence = "VIOLENCES_CONJUGALES";

        cut.Find("[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("déjà un dossier", cut.Find("[data-testid=duplicate]").TextContent));
        Assert.Equal($"/cases/{FakeDesk.ExistingId}", cut.Find("[data-testid=duplicate] a").GetAttribute("href"));
        Assert.Equal(0, _desk.Created);
    }

    /// <summary>The desk without a database: imports return the prepared report; submissions go through the real checks.</summary>
    private sealed class FakeDesk : IIntakeDesk
    {
        public const string Duplicate = "62-2026-DUP";
        public static readonly Guid ExistingId = Guid.Parse("6d1f3c1e-6b5f-4a53-9a7e-0c0ffee00001");

        public ImportReport Report { get; set; } = null!;
        public ImportRequest? LastRequest { get; private set; }
        public CaseSubmission? LastSubmission { get; private set; }
        public int Imports { get; private set; }
        public int Created { get; private set; }

        /// <summary>MudSelect is not driven from bUnit: the offence a test picks is set here.</summary>
        public string? Offence { get; set; }

        public long MaxFileBytes => 1024 * 1024;

        public Task<IReadOnlyList<Unit>> UnitsAsync(Actor actor, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Unit>>([Unit]);

        public async Task<ImportReport> DryRunAsync(Stream file, ImportRequest request, CancellationToken cancellationToken = default)
        {
            Assert.True(file.Length > 0);
            LastRequest = request;
            await Task.Yield();
            return Report;
        }

        public async Task<ImportReport> ImportAsync(Stream file, ImportRequest request, IProgress<ImportProgress> progress, CancellationToken cancellationToken = default)
        {
            Imports++;
            progress.Report(new ImportProgress(ImportStage.Writing, 3, 3, 1, 2));
            await Task.Yield();
            progress.Report(new ImportProgress(ImportStage.Done, 3, 3, 2, 2));
            return Report;
        }

        public Task<IntakeResult> SubmitAsync(CaseSubmission submission, Actor actor, CancellationToken cancellationToken = default)
        {
            LastSubmission = submission;
            submission.Offence ??= Offence;
            var problems = CaseIntake.Check(submission, [Unit], null, actor, Now);
            if (problems.Count > 0)
            {
                return Task.FromResult(new IntakeResult(IntakeOutcome.Rejected, null, null, null, problems));
            }

            if (submission.Reference == Duplicate)
            {
                return Task.FromResult(new IntakeResult(IntakeOutcome.Existing, ExistingId, "CTC-62", Duplicate, []));
            }

            Created++;
            return Task.FromResult(new IntakeResult(IntakeOutcome.Created, Guid.NewGuid(), "CTC-62", submission.Reference, []));
        }
    }
}
