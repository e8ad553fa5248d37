using Callback.Domain.Cases;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 19: a victim calls the cell back. The officer finds her by her phone number written otherwise than in the file,
/// records her call with the questionnaire, and sees her earlier file on the case page; on that closed file her call puts
/// her under follow-up, which reopens it (issue 17). The pages are axe-clean.
/// </summary>
public sealed class SearchJourneyTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task AnOfficer_FindsAVictimByHerPhoneWrittenOtherwise_RecordsHerInboundCall_SeesHerEarlierFile_AndHerCallThereOpensAFollowUp()
    {
        var (earlier, current) = await TwoFilesOfOneVictimAsync();

        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await App.SignInAsync(context, "officier.62@demo.callback");
        await page.GotoAsync($"{App.BaseUrl}/search");
        await LiveApp.WaitInteractiveAsync(page);
        await page.FillAsync("input[data-testid=search-query], [data-testid=search-query] input", "+33 (0)6 77.88.99.11");
        await page.FillAsync("input[data-testid=search-purpose], [data-testid=search-purpose] input", "La victime rappelle la cellule");
        await page.ClickAsync("[data-testid=search-submit]");
        await page.WaitForSelectorAsync("[data-testid=search-hit]");
        Assert.Equal(2, await page.Locator("[data-testid=search-hit]").CountAsync());
        // A search saves nothing: no « Enregistré » after it; its results table speaks French.
        Assert.Equal(0, await page.Locator(".mud-snackbar:has-text('Enregistré')").CountAsync());
        Assert.Equal("Unité", (await page.InnerTextAsync("[data-testid=search-results] th:nth-child(2)")).Trim());
        Assert.Contains("téléphone", await page.InnerTextAsync("[data-testid=search-results]"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "40-search");
        var violations = (await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"search: {v}").ToList();

        await page.ClickAsync($"[data-testid=search-hit] a:has-text(\"{current}\")");
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=inbound-call]");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        await LiveApp.DecideAsync(page, "Close");
        await page.ClickAsync("[data-testid=contact-submit]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=state]').innerText.includes('Clos')");
        await page.WaitForSelectorAsync($"[data-testid=other-file]:has-text(\"{earlier}\")");
        Assert.Contains("victime", await page.InnerTextAsync("[data-testid=other-file]"), StringComparison.Ordinal);
        Assert.Contains("Appel entrant", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "41-inbound-and-other-files");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"case: {v}"));

        // Her earlier file is closed, at moderate danger: her call there puts her under follow-up, and reopens it.
        await page.ClickAsync($"[data-testid=other-file] a:has-text(\"{earlier}\")");
        // On her earlier file's page, today's file is the other one.
        await page.WaitForSelectorAsync($"[data-testid=other-file]:has-text(\"{current}\")");
        await LiveApp.WaitInteractiveAsync(page);
        Assert.Contains("Clos", await page.InnerTextAsync("[data-testid=state]"), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=inbound-call]");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        Assert.True(await page.IsCheckedAsync("[data-testid=then-FollowUp]"), "a moderate-danger victim is offered the follow-up first");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"inbound on closed: {v}"));
        await page.ClickAsync("[data-testid=contact-submit]");
        await page.WaitForSelectorAsync("[data-testid=state]:has-text('Sous suivi')");
        Assert.Contains("rouvert par son appel", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "42-inbound-reopens-for-follow-up");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"reopened: {v}"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>
    /// An earlier file, assessed at moderate danger and closed, and today's, awaiting contact at low danger: the same victim,
    /// her number in E.164 in both.
    /// </summary>
    private async Task<(string Earlier, string Current)> TwoFilesOfOneVictimAsync()
    {
        var (workflow, officer, now) = await App.Officer62Async();
        NewCase File(string reference) => new(reference, now.AddHours(-2), OffenceCategory.Threats,
            new Victim("Hélène", "Lefèvre", "06 77 88 99 11", "8 place du Marché, Arras"), new Perpetrator("Luc Morel", TriState.No));
        ReviewFindings At(DangerLevel danger) => new(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, danger, ImmediateDanger: false);

        var earlier = await workflow.OpenAsync("CTC-62", File("62-E2E-19-A"), officer);
        await workflow.ReviewAsync(earlier, (await workflow.GetAsync(earlier, officer)).Version, At(DangerLevel.Moderate), officer);
        await workflow.CloseAsync(earlier, (await workflow.GetAsync(earlier, officer)).Version, ClosureReason.Other, "dossier ancien", officer);
        var current = await workflow.OpenAsync("CTC-62", File("62-E2E-19-B"), officer);
        await workflow.ReviewAsync(current, (await workflow.GetAsync(current, officer)).Version, At(DangerLevel.Low), officer);
        return ("62-E2E-19-A", "62-E2E-19-B");
    }
}
