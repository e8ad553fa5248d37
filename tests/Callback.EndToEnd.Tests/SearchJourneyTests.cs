using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 19: a victim calls the cell back. The officer finds her by her phone number written otherwise than in the file,
/// records her call with the questionnaire, and sees her earlier file on the case page; the pages are axe-clean.
/// </summary>
public sealed class SearchJourneyTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task AnOfficer_FindsAVictimByHerPhoneWrittenOtherwise_RecordsHerInboundCall_AndSeesHerEarlierFile()
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
        Assert.Contains("téléphone", await page.InnerTextAsync("[data-testid=search-results]"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "40-search");
        var violations = (await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"search: {v}").ToList();

        await page.ClickAsync($"[data-testid=search-hit] a:has-text(\"{current}\")");
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=inbound-call]");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        await page.ClickAsync("[data-testid=contact-submit]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=state]').innerText.includes('Clos')");
        await page.WaitForSelectorAsync($"[data-testid=other-file]:has-text(\"{earlier}\")");
        Assert.Contains("victime", await page.InnerTextAsync("[data-testid=other-file]"), StringComparison.Ordinal);
        Assert.Contains("Appel entrant", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "41-inbound-and-other-files");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"case: {v}"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>An earlier file, closed, and today's, awaiting contact: the same victim, her number in E.164 in both.</summary>
    private async Task<(string Earlier, string Current)> TwoFilesOfOneVictimAsync()
    {
        var workflow = App.Services.GetRequiredService<CaseWorkflowService>();
        var clock = App.Services.GetRequiredService<TimeProvider>();
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        var unit = await db.Units.SingleAsync(u => u.Code == "CTC-62");
        var officerId = await db.Users.Where(u => u.Email == "officier.62@demo.callback").Select(u => u.Id).SingleAsync();
        var officer = Actor.User(officerId, unit.Id, unit.Departement, Roles.Officer);
        var now = clock.GetUtcNow().UtcDateTime;
        NewCase File(string reference) => new(reference, now.AddHours(-2), OffenceCategory.Threats,
            new Victim("Hélène", "Lefèvre", "06 77 88 99 11", "8 place du Marché, Arras"), new Perpetrator("Luc Morel", TriState.No));

        var earlier = await workflow.OpenAsync(unit.Code, File("62-E2E-19-A"), officer);
        await workflow.CloseAsync(earlier, (await workflow.GetAsync(earlier, officer)).Version, ClosureReason.Other, "dossier ancien", officer);
        var current = await workflow.OpenAsync(unit.Code, File("62-E2E-19-B"), officer);
        await workflow.ReviewAsync(current, (await workflow.GetAsync(current, officer)).Version, new ReviewFindings(TriState.No, false, false, false, false, TriState.Unknown,
            ProtectionMeasures.None, DangerLevel.Low, ImmediateDanger: false), officer);
        return ("62-E2E-19-A", "62-E2E-19-B");
    }
}
