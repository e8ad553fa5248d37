using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 16.5 in Chromium: the "Enregistré." toast is readable the moment it appears (axe color-contrast), and a keyboard
/// user who chooses "Victime jointe" lands in the questionnaire, not on &lt;body&gt;; the first Tab offers to skip the
/// bar and the menu (RGAA 12.7).
/// </summary>
public sealed class CallFocusAndToastBrowserTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task SavedToast_PassesColourContrastAsItAppears_AndVictimReached_ByKeyboard_FocusesTheQuestionnaire()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await App.SignInAsync(context, "officier.62@demo.callback");
        await page.WaitForSelectorAsync("[data-testid=claim]");
        var row = await LiveApp.FirstUncalledRowAsync(page);
        await row.Locator("[data-testid=claim]").ClickAsync();
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        if (await page.Locator("[data-testid=review-form]").CountAsync() > 0)
        {
            await page.ClickAsync("[data-testid=review-safe-contact] [data-testid=safe-answer-none]");
            await page.ClickAsync("[data-testid=review-submit]");
            await page.WaitForSelectorAsync("[data-testid=call-panel]");
            // The review's own toast goes first: the one under test is the call's.
            await page.WaitForSelectorAsync(".mud-snackbar", new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        }

        // axe is loaded before the click so that it measures the toast the moment it appears, as a user reads it.
        var axe = Path.Combine(LiveApp.RepositoryRoot(), "tests", "Callback.EndToEnd.Tests", "node_modules", "axe-core", "axe.min.js");
        await page.EvaluateAsync($"() => {{ {await File.ReadAllTextAsync(axe)}\n window.axe = axe; }}");
        await page.ClickAsync("[data-testid=outcome-NoAnswer]");
        var toast = page.Locator(".mud-snackbar-content-message", new() { HasText = "Enregistré." });
        await toast.WaitForAsync();
        var contrast = await page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run('.mud-snackbar', { runOnly: { type: 'rule', values: ['color-contrast'] } });
              const s = getComputedStyle(document.querySelector('.mud-snackbar'));
              return JSON.stringify({ opacity: s.opacity, passes: r.passes.length, violations: r.violations.map(v => v.nodes.map(n => n.any.map(a => a.message).join(' ')).join(' | ')), incomplete: r.incomplete.map(v => v.nodes.map(n => n.any.map(a => a.message).join(' ')).join(' | ')) });
            }
            """);
        Assert.True(await toast.CountAsync() > 0, "the toast was gone before axe ran");
        Assert.Contains("\"violations\":[]", contrast, StringComparison.Ordinal);
        Assert.Contains("\"incomplete\":[]", contrast, StringComparison.Ordinal);
        Assert.Contains("\"opacity\":\"1\"", contrast, StringComparison.Ordinal);

        await page.FocusAsync("[data-testid=outcome-Reached]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset?.testid === 'contact-start'");
        Assert.Equal("Victime jointe", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label')"));

        // The next Tab goes into the questionnaire, not back to the top of the page.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('[data-testid=contact-form]').contains(document.activeElement)"));
    }

    [Fact]
    public async Task TheFirstTabStop_SkipsToTheContent_AndEnter_PutsTheFocusThere_OnTheSamePage()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await App.SignInAsync(context, "officier.62@demo.callback");
        await LiveApp.WaitInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=queue]");
        // After a navigation the router puts the focus on the page's heading, already past the menu; the skip link is
        // for the reader starting from the top: the first element Tab can reach in the document.
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
              .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0)[0]?.dataset.testid
            """));
        await page.FocusAsync("[data-testid=skip-link]");
        Assert.Equal("Aller au contenu", (await page.Locator("[data-testid=skip-link]").TextContentAsync())?.Trim());
        // Seen when focused: inside the window, above the app bar.
        var box = await page.Locator("[data-testid=skip-link]").BoundingBoxAsync();
        Assert.True(box is { Y: >= 0 } && box.X + box.Width <= 1280, $"the focused skip link is at {box?.X},{box?.Y}");
        Assert.Equal("[data-testid=skip-link]", await page.EvaluateAsync<string>(
            "() => { const b = document.querySelector('[data-testid=skip-link]').getBoundingClientRect(); return document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2).closest('[data-testid=skip-link]') ? '[data-testid=skip-link]' : 'covered'; }"));

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'contenu'");
        Assert.EndsWith("/queue", page.Url, StringComparison.Ordinal);

        // The next Tab lands inside the page, past the bar and the menu.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement) && document.activeElement.tagName !== 'MAIN'"));
    }
}
