using System.Text.Json;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Callback.EndToEnd.Tests;

/// <summary>
/// The real application on Kestrel at 127.0.0.1:random, Training profile (minutes instead of hours, demo data and demo
/// users), its files in a temporary folder; and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class LiveApp : WebApplicationFactory<Program>
{
    public const string Chromium = "/usr/bin/chromium";
    public const string DemoPassword = "callback-demo-2026";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    private readonly Dictionary<string, string?> _settings;

    public LiveApp(Dictionary<string, string?>? settings = null)
    {
        _settings = settings ?? [];
        UseKestrel(0);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("callback-e2e-").FullName;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go: artifacts/e2e at the repository root, kept by CI.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "artifacts", "e2e")).FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Training");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("ConnectionStrings:Callback", $"Data Source={Path.Combine(Folder, "callback.db")}");
        builder.UseSetting("ConnectionStrings:Hangfire", Path.Combine(Folder, "hangfire.db"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)).TrimEnd('/');
    }

    /// <summary>Skips with a clear message where Chromium is missing on a developer's machine; never under CI=true.</summary>
    public static void RequireChromium()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(Chromium))
        {
            Assert.False(ci, $"CI=true but {Chromium} is missing: .ci/run must install it (apt-get install -y chromium).");
            Assert.Skip($"Browser tests need Debian's Chromium at {Chromium} (apt-get install -y chromium).");
        }
    }

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Args = ChromiumArgs, Headless = true });

    /// <summary>The app's workflow, the demo officer of CTC-62 as it knows her, and the app's now: to set a case up as she would.</summary>
    public async Task<(CaseWorkflowService Workflow, Actor Officer, DateTime NowUtc)> Officer62Async()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        var unit = await db.Units.SingleAsync(u => u.Code == "CTC-62");
        var officerId = await db.Users.Where(u => u.Email == "officier.62@demo.callback").Select(u => u.Id).SingleAsync();
        return (Services.GetRequiredService<CaseWorkflowService>(), Actor.User(officerId, unit.Id, unit.Departement, Roles.Officer),
            Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
    }

    /// <summary>Signs in through the form, as a person would, and waits for the queue to become interactive.</summary>
    public Task<IPage> SignInAsync(IBrowserContext context, string email, string landing = "/queue") =>
        SignInAsync(context, BaseUrl, email, landing);

    /// <summary>The same on any app, this one or another process (the two-node test).</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string baseUrl, string email, string landing)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{baseUrl}/account/login?returnUrl={Uri.EscapeDataString(landing)}");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", DemoPassword);
        await page.ClickAsync("button[type=submit]");
        // The demo Supervisor and Admin have two-factor, with the key README.md publishes.
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        if (page.Url.Contains("/account/2fa", StringComparison.Ordinal))
        {
            await page.FillAsync("#code", Callback.Web.Tests.Security.Totp.Code(Callback.Web.Demo.DemoSeeder.DemoAuthenticatorKey, TimeProvider.System.GetUtcNow()));
            await page.ClickAsync("button[type=submit]");
        }

        await page.WaitForURLAsync($"**{landing}*");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// The queue's first case nobody has called yet: the Training seed leaves some at 2 of 3 unanswered calls, where one
    /// more no-answer ends the calls and asks for a patrol, which is another journey.
    /// </summary>
    public static async Task<ILocator> FirstUncalledRowAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rows = page.Locator("tbody tr");
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var candidate = rows.Nth(i);
            if ((await candidate.Locator("td").Nth(6).InnerTextAsync()).Trim() == "0" && await candidate.Locator("[data-testid=claim]").CountAsync() > 0)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("the demo queue holds no case nobody called");
    }

    /// <summary>Keyboard only, as an officer with a headset would: "yes" to the first question, then "no" to the others shown.</summary>
    public static async Task AnswerQuestionnaireAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.FocusAsync("[data-testid=answer-Q01-yes]");
        await page.Keyboard.PressAsync("Space");
        foreach (var question in new[] { "Q02", "Q03", "Q04" })
        {
            var no = page.Locator($"[data-testid=answer-{question}-no]");
            if (await no.CountAsync() > 0)
            {
                await no.FocusAsync();
                await page.Keyboard.PressAsync("Space");
            }
        }
    }

    /// <summary>
    /// What follows the call, chosen with the keyboard (issue 17): <c>Close</c>, <c>FollowUp</c> or <c>Declined</c>. The form
    /// offers the follow-up first when her level calls for one, so a journey that closes the file says so.
    /// </summary>
    public static async Task DecideAsync(IPage page, string then)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.FocusAsync($"[data-testid=then-{then}]");
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-testid=then-{then}]').checked");
    }

    /// <summary>Clicks on the pre-rendered HTML are lost: wait for the marker the layout renders once the circuit is up.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-testid=interactive]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, $"{name}.png"), FullPage = true });

    /// <summary>Runs axe-core (WCAG 2.1 A and AA rules) in the page and returns the serious and critical violations.</summary>
    public static async Task<IReadOnlyList<string>> AccessibilityViolationsAsync(IPage page)
    {
        var axe = Path.Combine(RepositoryRoot(), "tests", "Callback.EndToEnd.Tests", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            Assert.False(ci, "CI=true but axe-core is not installed: .ci/run must run npm ci in tests/Callback.EndToEnd.Tests.");
            Assert.Skip("Accessibility checks need axe-core: npm ci in tests/Callback.EndToEnd.Tests.");
        }

        // Colours are judged as the officer sees them once they have settled. A button that has just been enabled fades from
        // grey to its colour over 250 ms, and axe sampled it halfway (« color-contrast » on the contact form, once in CI).
        // Endless animations (a spinner) are not waited for, and no wait lasts beyond two seconds.
        await page.EvaluateAsync("""
            () => Promise.race([
              Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .map(a => a.finished.catch(() => null))),
              new Promise(resolve => setTimeout(resolve, 2000))])
            """);
        // Evaluated through the debugging protocol, not injected as an inline <script>: the app's CSP rightly refuses those.
        await page.EvaluateAsync($"() => {{ {await File.ReadAllTextAsync(axe)}\n window.axe = axe; }}");
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
            }
            """);
        return json.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Callback.sln not found above the test binaries.");
    }
}
