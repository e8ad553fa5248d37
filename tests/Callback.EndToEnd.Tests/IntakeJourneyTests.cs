using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>The import page as an admin uses it (dry run, then confirm), and the manual entry form's messages, in Chromium.</summary>
public sealed class IntakeJourneyTests() : BrowserTest(new LiveApp())
{
    private static readonly BrowserNewContextOptions Options = new() { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } };

    [Fact]
    public async Task Import_DryRunListsTheSamplesRejectedLineAndDueDates_ThenConfirmImportsIt()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "admin@demo.callback", "/import");

        await page.FillAsync("input[data-testid=campaign], [data-testid=campaign] input", "Réexamen VIF 2020");
        await page.SetInputFilesAsync("#import-file", Path.Combine(LiveApp.RepositoryRoot(), "docs", "import-sample.csv"));
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('import-sample.csv')");
        await page.ClickAsync("[data-testid=dry-run]:not([disabled])");

        await page.WaitForSelectorAsync("[data-testid=summary]");
        Assert.Contains("11 créés", await page.InnerTextAsync("[data-testid=counts]"));
        Assert.Contains("UTC", await page.InnerTextAsync("[data-testid=due]"));
        var rejected = await page.InnerTextAsync("[data-testid=rejected-row]");
        Assert.Contains("12", rejected);
        Assert.Contains("unknown offence code", rejected);
        Assert.Equal(11, await page.Locator("[data-testid=created-row]").CountAsync());
        await LiveApp.ScreenshotAsync(page, "20-import-dry-run");

        await page.ClickAsync("[data-testid=confirm]");
        await page.WaitForSelectorAsync("[data-testid=summary]:has-text('Import terminé')", new() { Timeout = 30_000 });
        Assert.Contains("Terminé", await page.InnerTextAsync("[data-testid=progress]"));
        await LiveApp.ScreenshotAsync(page, "21-import-done");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task NewCase_WithRequiredFieldsEmpty_ShowsTheImportsMessagesUnderTheFields()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "officier.62@demo.callback", "/cases/new");

        await page.FillAsync("input[data-testid=reference], [data-testid=reference] input", "62-2026-MANUEL-1");
        await page.FillAsync("input[data-testid=victim-phone], [data-testid=victim-phone] input", "12");
        await page.ClickAsync("[data-testid=submit]");

        await page.WaitForSelectorAsync("text=is required and empty");
        Assert.Contains("is not a valid phone number", await page.ContentAsync());
        Assert.Contains("/cases/new", page.Url);
        await LiveApp.ScreenshotAsync(page, "22-new-case-messages");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }
}
