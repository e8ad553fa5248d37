using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>An officer's shift, in Chromium against the real app: sign in, claim the first case not yet called, call, reach her, close.</summary>
public sealed class OfficerJourneyTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task Officer_ClaimsAnUncalledCase_RecordsANoAnswer_ThenAContact_AndTheCaseCloses()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await App.SignInAsync(context, "officier.62@demo.callback");
        await page.WaitForSelectorAsync("[data-testid=claim]");
        await LiveApp.ScreenshotAsync(page, "01-queue");

        var row = await LiveApp.FirstUncalledRowAsync(page);
        var reference = (await row.Locator("td").Nth(1).InnerTextAsync()).Trim();
        await row.Locator("[data-testid=claim]").ClickAsync();
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=case-reference]");
        Assert.Contains(reference, await page.InnerTextAsync("[data-testid=case-reference]"));

        if (await page.Locator("[data-testid=review-form]").CountAsync() > 0)
        {
            await LiveApp.ScreenshotAsync(page, "02-review");
            // The safe number is asked explicitly: this victim named none.
            await page.ClickAsync("[data-testid=review-safe-contact] [data-testid=safe-answer-none]");
            // The grid is left empty here: said explicitly, or the review is refused (issue 16.6).
            await page.ClickAsync("label:has(input[data-testid=review-grid-not-assessed])");
            await page.ClickAsync("[data-testid=review-submit]");
            await page.WaitForSelectorAsync("[data-testid=call-panel]");
        }

        await LiveApp.ScreenshotAsync(page, "03-call");
        var attemptsBefore = await page.Locator("text=Appel sans contact").CountAsync();
        await page.ClickAsync("[data-testid=outcome-NoAnswer]");
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('[data-testid=timeline]')[0].innerText.split('Appel sans contact').length - 1 > {attemptsBefore}");

        await page.ClickAsync("[data-testid=outcome-Reached]");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        await LiveApp.DecideAsync(page, "Close");

        await LiveApp.ScreenshotAsync(page, "04-questionnaire");
        await page.ClickAsync("[data-testid=contact-submit]");

        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=state]').innerText.includes('Clos')");
        await LiveApp.ScreenshotAsync(page, "05-closed");
        Assert.Contains("Victime jointe", await page.InnerTextAsync("[data-testid=timeline]"));
    }

    [Fact]
    public async Task SignIn_Queue_AndCasePages_HaveNoSeriousOrCriticalAccessibilityViolation()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var login = await context.NewPageAsync();
        await login.GotoAsync($"{App.BaseUrl}/account/login");
        var violations = (await LiveApp.AccessibilityViolationsAsync(login)).Select(v => $"sign-in: {v}").ToList();

        var page = await App.SignInAsync(context, "officier.62@demo.callback");
        await page.WaitForSelectorAsync("[data-testid=claim]");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"queue: {v}"));

        await page.Locator("[data-testid=open], [data-testid=claim]").First.ClickAsync();
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=case-reference]");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"case: {v}"));

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
