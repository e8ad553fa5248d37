using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>The Content-Security-Policy in a real browser, and the idle sign-out.</summary>
public sealed class SecurityBrowserTests
{
    [Fact]
    public async Task EveryPage_UnderTheContentSecurityPolicy_BecomesInteractive_WithoutConsoleErrors()
    {
        LiveApp.RequireChromium();
        await using var app = new LiveApp();
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LiveApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var errors = new List<string>();
        context.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add($"{m.Text} ({m.Location})");
            }
        };
        var page = await app.SignInAsync(context, "admin@demo.callback");
        // Any CSP refusal also reaches the page as an event: record those too, whatever the console says.
        await page.AddInitScriptAsync("addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
        Guid caseId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync())
        {
            caseId = await db.Cases.Select(c => c.Id).FirstAsync();
        }

        foreach (var path in new[] { "/queue", $"/cases/{caseId}", $"/cases/{caseId}/card", "/admin/partners", "/admin/users", "/import", "/cases/new", "/admin/api-keys", "/audit", "/account/2fa/setup" })
        {
            await page.GotoAsync(app.BaseUrl + path);
            if (!path.StartsWith("/account/", StringComparison.Ordinal))
            {
                await LiveApp.WaitInteractiveAsync(page);
            }

            await page.WaitForTimeoutAsync(500);
            Assert.True(errors.Count == 0, $"{path}: {string.Join("\n", errors)}");
        }
    }

    [Fact]
    public async Task AnIdlePage_SignsItsUserOut_AfterTheConfiguredTimeout()
    {
        LiveApp.RequireChromium();
        await using var app = new LiveApp(new() { ["Security:IdleTimeout"] = "00:00:06" });
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LiveApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var page = await app.SignInAsync(context, "officier.62@demo.callback");

        await page.WaitForURLAsync("**/account/login*", new PageWaitForURLOptions { Timeout = 30_000 });
        await page.GotoAsync(app.BaseUrl + "/queue");

        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }
}
