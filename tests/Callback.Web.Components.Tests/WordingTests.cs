using System.Resources;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Web.Features.Cases;
using Callback.Web.Features.Dispatch;
using Callback.Web.Features.Supervision;
using Callback.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The words a French user met through a shift (issue 16, item 6): each label says what its control does, two controls
/// never share a label, dates and windows are written as the page's language writes them, MudBlazor speaks French too.
/// </summary>
public sealed partial class WordingTests : CallbackComponentTest
{
    [Fact]
    public void PatrolOutcomeButton_SaysPatrolReport_WhileTheCallPanelKeepsCallOutcome()
    {
        var dispatched = CaseIn(CaseState.PatrolDispatched);
        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(dispatched)).Add(x => x.NowUtc, Now));
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact), Officer)));

        Assert.Equal("Compte rendu de patrouille", card.Find("[data-testid=outcome-submit]").TextContent.Trim());
        Assert.Contains("Résultat de l'appel", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewForm_NoTwoCheckboxesShareALabel_TheTwoProtectionOrdersSayWhose()
    {
        var form = Render<ReviewForm>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingReview), Officer)));

        var labels = form.FindAll(".mud-checkbox").Select(c => c.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Equal(labels.Count, labels.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("Auteur visé par une ordonnance de protection", labels);
        Assert.Contains("Ordonnance de protection accordée à la victime", labels);
    }

    [Fact]
    public void SafeHours_HaveShortLabels_AndTheFormatAsHelperText()
    {
        var form = Render<ReviewForm>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingReview), Officer)));

        var labels = form.FindAll("label.mud-input-label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Contains("Joignable de", labels);
        Assert.Contains("Jusqu'à", labels);
        // Labels that a half-width field cut to "Joignable de (h...": the format moves to the helper line.
        Assert.DoesNotContain(labels, l => l.Contains("hh:mm", StringComparison.Ordinal));
        Assert.Equal(2, form.FindAll(".mud-input-helper-text").Count(h => h.TextContent.Trim() == "hh:mm"));
    }

    private static DeadlineRow Row(string reference, DateTime due, string? holder) =>
        new(Guid.NewGuid(), 1, reference, "CTC-62", CaseState.AwaitingContact, DangerLevel.Moderate, due, holder is null ? null : "officer-" + holder, holder);

    private static SupervisionModel Model(TimeSpan dueSoonWithin) => new(
        Now,
        dueSoonWithin,
        Overdue: [Row("62-late", Now.AddMinutes(-3), "Julie")],
        DueSoon: [Row("62-soon", Now.AddMinutes(2), "Paul")],
        Workload: [],
        StaleClaims: [],
        PatrolAlerts: [],
        RecentlyClosed: [],
        Campaigns: [],
        Map: [],
        Daily: [new CompliancePoint(new DateOnly(2026, 11, 21), 3, 1), new CompliancePoint(new DateOnly(2026, 11, 22), 1, 0)],
        Weekly: [new CompliancePoint(new DateOnly(2026, 11, 16), 9, 1)]);

    [Fact]
    public void Supervision_SaysPrisPar_AsTheQueueDoes()
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, Model(TimeSpan.FromHours(4))));

        var headers = page.FindAll("[data-testid=overdue] th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("Pris par", headers);
        Assert.DoesNotContain("Détenu", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_WriteDaysInFrench_NeverIso()
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, Model(TimeSpan.FromHours(4))));

        var daily = page.FindAll("[data-testid=compliance-daily-row]").Select(r => r.TextContent).ToList();
        Assert.Contains("21 nov. 2026", daily[0], StringComparison.Ordinal);
        Assert.Contains("22 nov. 2026", daily[1], StringComparison.Ordinal);
        Assert.Contains("Semaine du 16 nov. 2026", page.Find("[data-testid=compliance-weekly-row]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotMatch(IsoDate(), page.Markup);
        Assert.DoesNotContain("-W47", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(240, "À échéance dans les 4 h")]
    [InlineData(4, "À échéance dans les 4 min")]
    [InlineData(90, "À échéance dans les 1 h 30")]
    public void DueSoonTitle_SaysTheConfiguredWindow_InMinutesUnderAnHour(int minutes, string title)
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, Model(TimeSpan.FromMinutes(minutes))));

        // The heading's own text, without the count chip that follows it.
        var heading = page.Find("[data-testid=due-soon] h2").ChildNodes.OfType<IText>().First().Text.Trim();
        Assert.Equal(title, heading);
    }

    [Fact]
    public void EveryMudBlazorWord_HasItsFrench()
    {
        // MudBlazor 9.12.0's own resource is the list of what its components may say; a key missing from MudText.resx
        // falls back to English ("Close", "Open", "Clear") on a French page.
        using var stream = typeof(MudBlazor.MudButton).Assembly.GetManifestResourceStream("MudBlazor.Resources.LanguageResource.resources");
        Assert.NotNull(stream);
        using var reader = new ResourceReader(stream);
        var keys = reader.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).Order(StringComparer.Ordinal).ToList();
        var localizer = new CallbackMudLocalizer(Services.GetRequiredService<IStringLocalizer<MudText>>());

        Assert.True(keys.Count > 100);
        var untranslated = keys.Where(k => localizer[k].ResourceNotFound).ToList();
        Assert.True(untranslated.Count == 0, "Not in MudText.resx: " + string.Join(", ", untranslated));
        Assert.Equal("Fermer", localizer["MudDialog_Close"].Value);
        Assert.Equal("Effacer", localizer["MudDataGrid_Clear"].Value);
        Assert.Equal("Ouvrir", localizer["MudColorPicker_Open"].Value);
    }

    [Fact]
    public void ReviewForm_WithAnEmptyGrid_IsRefused_UntilGridNotFilledInIsTicked()
    {
        var acted = 0;
        var context = new CaseContext(CaseIn(CaseState.AwaitingReview), Officer, WorkflowOptions, Now, _ => { acted++; return Task.CompletedTask; });
        var form = Render<ReviewForm>(p => p.Add(x => x.Model, context));
        form.Find("[data-testid=review-safe-contact] [data-testid=safe-answer-none]").Change(true);

        form.Find("[data-testid=review-submit]").Click();

        Assert.Equal(0, acted);
        Assert.Contains("Grille non renseignée", form.Find("[data-testid=review-error]").TextContent, StringComparison.Ordinal);

        CheckBox(form.Find("[data-testid=review-grid-not-assessed]")).Change(true);
        form.Find("[data-testid=review-submit]").Click();

        Assert.Equal(1, acted);
    }

    [Fact]
    public void ReviewForm_WithOneGridAnswer_IsAcceptedAsToday_AndNoLongerOffersGridNotFilledIn()
    {
        var acted = 0;
        var context = new CaseContext(CaseIn(CaseState.AwaitingReview), Officer, WorkflowOptions, Now, _ => { acted++; return Task.CompletedTask; });
        var form = Render<ReviewForm>(p => p.Add(x => x.Model, context));
        form.Find("[data-testid=review-safe-contact] [data-testid=safe-answer-none]").Change(true);

        form.Find($"[data-testid=grid-{DangerGrid.Default.Items[0].Id}-yes]").Change(true);
        form.Find("[data-testid=review-submit]").Click();

        Assert.Equal(1, acted);
        Assert.Empty(form.FindAll("[data-testid=review-grid-not-assessed]"));
    }

    [Fact]
    public void NoRepositoryPath_InAnyResourceOrPage()
    {
        // "voir docs/import.md" sent users to a file they cannot open. Razor comments are for developers and may cite docs.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Callback.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var src = Path.Combine(root.FullName, "src");
        var files = Directory.EnumerateFiles(src, "*.resx", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(src, "*.razor", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(files);
        var shown = files.Where(f => RazorComment().Replace(File.ReadAllText(f), "").Contains("docs/", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root.FullName, f));
        Assert.Empty(shown);
    }

    internal static IElement CheckBox(IElement element) =>
        element.TagName == "INPUT" ? element : element.QuerySelector("input[type=checkbox]") ?? throw new InvalidOperationException("no checkbox in " + element.OuterHtml);

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();
}
