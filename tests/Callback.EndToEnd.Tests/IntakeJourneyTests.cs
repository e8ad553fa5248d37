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
        Assert.Matches(@"\d{2}/\d{2}/\d{4} \d{2}:\d{2} \(Europe/Paris\)", await page.InnerTextAsync("[data-testid=due]"));
        var rejected = await page.InnerTextAsync("[data-testid=rejected-row]");
        Assert.Contains("12", rejected);
        Assert.Contains("code d'infraction « VIOLENCE_CONJUGALE » inconnu", rejected);
        Assert.Equal(11, await page.Locator("[data-testid=created-row]").CountAsync());
        await LiveApp.ScreenshotAsync(page, "20-import-dry-run");

        await page.ClickAsync("[data-testid=confirm]");
        await page.WaitForSelectorAsync("[data-testid=summary]:has-text('Import terminé')", new() { Timeout = 30_000 });
        Assert.Contains("Terminé", await page.InnerTextAsync("[data-testid=progress]"));
        await LiveApp.ScreenshotAsync(page, "21-import-done");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }

    /// <summary>Issue 18.4, crisis mode: a supervisor counts the files a query selects, then opens them as a paced campaign.</summary>
    [Fact]
    public async Task ACampaignFromAQuery_IsCountedInADryRun_ThenOpened_ReadableAt320Px()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "superviseur.62@demo.callback", "/import");

        await page.FillAsync("[data-testid=query-since] input, input[data-testid=query-since]", "01/01/2015");
        await page.Keyboard.PressAsync("Tab");
        await page.ClickAsync("[data-testid=query-dry-run]:not([disabled])");
        await page.WaitForSelectorAsync("[data-testid=query-report]");
        var counts = await page.InnerTextAsync("[data-testid=query-counts]");
        Assert.Matches(@"^\d+ dossier\(s\) correspondent : \d+ clos à rouvrir, \d+ encore ouvert\(s\)", counts);
        var toReopen = int.Parse(System.Text.RegularExpressions.Regex.Match(counts, @"(\d+) clos à rouvrir").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(toReopen > 0, "the demo has closed files of interventions since 2015 with cohabitation yes or unknown: " + counts);
        Assert.True(await page.Locator("[data-testid=query-schedule] tbody tr").CountAsync() > 0);
        await LiveApp.ScreenshotAsync(page, "23-query-campaign-dry-run");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
        await page.SetViewportSizeAsync(320, 800);
        // The layout settles after the resize (MudBlazor's breakpoints are read by script); a real overflow stays.
        var reflowed = await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= 320", null, new() { Timeout = 5_000 })
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        await LiveApp.ScreenshotAsync(page, "24-query-campaign-dry-run-320");
        var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ')");
        Assert.True(reflowed, "the query panel scrolls sideways at 320 px: " + wide);
        await page.SetViewportSizeAsync(1400, 900);

        Assert.True(await page.IsDisabledAsync("[data-testid=query-open]"), "a campaign needs a name before it opens");
        await page.FillAsync("input[data-testid=query-name], [data-testid=query-name] input", "Confinement 2026");
        await page.ClickAsync("[data-testid=query-open]:not([disabled])");
        await page.WaitForSelectorAsync("[data-testid=query-done]", new() { Timeout = 60_000 });
        Assert.Equal($"{toReopen} dossier(s) rouvert(s) dans la campagne.", (await page.InnerTextAsync("[data-testid=query-done]")).Trim());
    }

    [Fact]
    public async Task NewCase_WithRequiredFieldsEmpty_ShowsTheImportsMessagesUnderTheFields()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "officier.62@demo.callback", "/cases/new");

        await page.FillAsync("input[data-testid=reference], [data-testid=reference] input", "62-2026-MANUEL-1");
        await page.FillAsync("input[data-testid=victim-phone], [data-testid=victim-phone] input", "12");
        await page.ClickAsync("[data-testid=submit]");

        await page.WaitForSelectorAsync("text=est obligatoire et vide");
        Assert.Contains("n'est pas un numéro de téléphone valide", await page.ContentAsync());
        Assert.Contains("/cases/new", page.Url);
        await LiveApp.ScreenshotAsync(page, "22-new-case-messages");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task NewCase_Filled_OpensTheCase_AndTheSameReferenceAgainLinksIt()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "officier.62@demo.callback", "/cases/new");

        await FillFormAsync(page, "62-2026-MANUEL-2");
        await page.WaitForURLAsync(url => !url.Contains("/cases/new", StringComparison.Ordinal), new() { Timeout = 15_000 });
        Assert.Matches("/cases/[0-9a-f-]{36}$", page.Url);
        var caseUrl = page.Url;
        await LiveApp.WaitInteractiveAsync(page);
        await page.WaitForSelectorAsync("text=62-2026-MANUEL-2", new() { Timeout = 15_000 });

        await page.GotoAsync(App.BaseUrl + "/cases/new");
        await LiveApp.WaitInteractiveAsync(page);
        await FillFormAsync(page, "62-2026-MANUEL-2");
        await page.WaitForSelectorAsync("[data-testid=duplicate]");
        Assert.EndsWith(new Uri(caseUrl).AbsolutePath, await page.GetAttributeAsync("[data-testid=duplicate] a", "href") ?? "", StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "23-new-case-duplicate");
    }

    [Fact]
    public async Task ApiKeys_AnAdminCreatesAKeyShownOnce_ThenRevokesIt()
    {
        await using var context = await Browser.NewContextAsync(Options);
        var page = await App.SignInAsync(context, "admin@demo.callback", "/admin/api-keys");

        await page.ClickAsync("[data-testid=key-unit]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('CTC-62')");
        await page.FillAsync("input[data-testid=key-name], [data-testid=key-name] input", "LRPGN 62");
        await page.ClickAsync("[data-testid=create-key]:not([disabled])");

        var shown = await page.InnerTextAsync("[data-testid=new-key] code", new() { Timeout = 15_000 });
        Assert.StartsWith("cbk_", shown.Trim(), StringComparison.Ordinal);
        var keys = await page.InnerTextAsync("[data-testid=api-keys]");
        Assert.Contains("LRPGN 62", keys);
        // Dates in the key's unit's time, the zone named, as elsewhere in the app: not UTC.
        Assert.Contains("(Europe/Paris)", keys);
        Assert.DoesNotContain("UTC", keys);
        await LiveApp.ScreenshotAsync(page, "24-api-key-created");
        await page.ClickAsync("[data-testid^=revoke-]");
        await page.WaitForSelectorAsync("[data-testid=api-key-row]:has-text('Révoquée')");
        Assert.Equal(0, await page.Locator("[data-testid=new-key]").CountAsync());
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }

    private static async Task FillFormAsync(IPage page, string reference)
    {
        await page.FillAsync("input[data-testid=reference], [data-testid=reference] input", reference);
        await page.FillAsync("input[data-testid=intervention-at], [data-testid=intervention-at] input", "25/11/2026 22:15");
        await page.ClickAsync("[data-testid=offence]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Violences conjugales')");
        await page.FillAsync("input[data-testid=victim-last-name], [data-testid=victim-last-name] input", "Martin");
        await page.FillAsync("input[data-testid=victim-first-name], [data-testid=victim-first-name] input", "Camille");
        await page.FillAsync("input[data-testid=victim-phone], [data-testid=victim-phone] input", "06 12 34 56 78");
        await page.ClickAsync("[data-testid=submit]");
    }
}
