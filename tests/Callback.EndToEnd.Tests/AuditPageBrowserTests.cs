using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>The audit log as an admin reads it: the demo history, in the viewer's time, and the chain verified from the page.</summary>
public sealed class AuditPageBrowserTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task AnAdmin_ReadsTheLogInLocalTime_AndVerifiesTheChainFromThePage()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await App.SignInAsync(context, "admin@demo.callback", "/audit");

        await page.WaitForSelectorAsync("[data-testid=audit-row]");
        Assert.Contains("(Europe/Paris)", await page.InnerTextAsync("[data-testid=audit-rows] thead"));
        await page.ClickAsync("[data-testid=audit-verify]");
        var verdict = await page.InnerTextAsync("[data-testid=audit-verification]", new() { Timeout = 30_000 });

        Assert.Contains("Chaîne intacte", verdict, StringComparison.Ordinal);
        Assert.Contains("entrées vérifiées", verdict, StringComparison.Ordinal);
        // Then looks for one kind of entry only: the action of the newest one.
        var action = (await page.InnerTextAsync("[data-testid=audit-row] td:nth-child(4)")).Trim();
        Assert.DoesNotMatch("^[A-Z][a-z]+[A-Z]", action);
        var all = await page.Locator("[data-testid=audit-row]").CountAsync();
        // The filter offers the actions by their French words, as the rows show them.
        await page.ClickAsync("[data-testid=audit-action]");
        await page.GetByRole(AriaRole.Option, new() { Name = action, Exact = true }).ClickAsync();
        await page.ClickAsync("[data-testid=audit-search]");
        await page.WaitForFunctionAsync($"() => {{ const cells = [...document.querySelectorAll('[data-testid=audit-row] td:nth-child(4)')]; return cells.length > 0 && cells.length < {all} && cells.every(td => td.textContent.trim() === '{action}'); }}");
        await LiveApp.ScreenshotAsync(page, "25-audit-verified");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(page));
    }
}
