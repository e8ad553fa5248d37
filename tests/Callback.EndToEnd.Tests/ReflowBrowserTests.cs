using System.Text.Json;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 16.4 (WCAG 1.4.10, RGAA 10.11): every page works 320 CSS px wide, what 1280 px at 400 % zoom gives, with no
/// sideways scrolling and every action inside the window; and at 1280 px nothing is clipped either.
/// </summary>
public sealed class ReflowBrowserTests() : BrowserTest(new LiveApp())
{
    /// <summary>Each role's pages, opened in one signed-in context (a two-factor code is good once).</summary>
    private static readonly (string Account, string[] Pages)[] Shifts =
    [
        ("officier.62@demo.callback", ["/queue", "/cases/new", "SEARCH", "CASE", "CARD", "/account/2fa/setup"]),
        ("dispatch.62@demo.callback", ["/dispatch"]),
        ("superviseur.62@demo.callback", ["/supervision", "/import", "/audit", "/admin/users"]),
        ("admin@demo.callback", ["/admin", "/admin/units", "/admin/api-keys", "/admin/partners"]),
    ];

    private const string Measure = """
        () => {
          const width = document.documentElement.clientWidth;
          const sideways = document.documentElement.scrollWidth - width;
          const outside = [...document.querySelectorAll('main button, main a[href], main input, main select, main textarea, main [role=button], main [role=combobox]')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (r.right > width + 1 || r.left < -1); })
            .map(e => (e.getAttribute('data-testid') || e.tagName.toLowerCase()) + ' at x ' + Math.round(e.getBoundingClientRect().left) + '-' + Math.round(e.getBoundingClientRect().right));
          // What sticks out, outermost first: the element to fix, named by its test id or classes.
          const name = e => e.getAttribute('data-testid') || (e.tagName.toLowerCase() + '.' + [...e.classList].slice(0, 3).join('.'));
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1); })
            .slice(0, 4).map(e => name(e) + ' ' + Math.round(e.getBoundingClientRect().width) + ' px');
          // A box that scrolls or clips sideways inside the page hides what it holds as surely as the page would.
          const boxes = [...document.querySelectorAll('main *')]
            // A box of one pixel is hidden on purpose (a label for screen readers only, a stacked table's header row).
            .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1 && e.clientHeight > 1 && ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX))
            .map(e => 'box ' + name(e) + ' ' + e.clientWidth + ' px showing ' + e.scrollWidth + ' px ("' + e.textContent.trim().slice(0, 40) + '")');
          // A button or link too narrow for its own words shows them cut.
          const cut = [...document.querySelectorAll('main button, main a[href]')]
            .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
            .map(e => 'cut ' + name(e) + ': "' + e.textContent.trim().slice(0, 30) + '"');
          // The checks above look inside the page's one main landmark; without it they would look at nothing.
          const landmark = document.querySelectorAll('main').length === 1 ? [] : ['main landmarks: ' + document.querySelectorAll('main').length];
          return JSON.stringify({ sideways, outside: outside.length + boxes.length + cut.length + landmark.length, first: landmark.concat(outside.slice(0, 3), boxes.slice(0, 3), cut.slice(0, 3), wide) });
        }
        """;

    /// <summary>The account pages' own fields (not MudBlazor's): each must show its box (WCAG 1.4.11).</summary>
    private const string Unboxed = """
        () => [...document.querySelectorAll('.account-card input:not([type=hidden])')]
          .filter(e => { const s = getComputedStyle(e); return !(parseFloat(s.borderBottomWidth) >= 1 && s.borderBottomStyle !== 'none' && s.borderBottomColor !== 'rgba(0, 0, 0, 0)'); })
          .map(e => '#' + e.id)
        """;

    [Theory]
    [InlineData(320)]
    [InlineData(1280)]
    public async Task EveryPage_FitsTheWindow_WithEveryActionInView_AndNoSeriousAccessibilityViolation(int width)
    {
        var problems = new List<string>();
        await using (var anonymous = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = width, Height = 800 } }))
        {
            var login = await anonymous.NewPageAsync();
            await login.GotoAsync($"{App.BaseUrl}/account/login");
            using var found = JsonDocument.Parse(await login.EvaluateAsync<string>(Measure));
            if (found.RootElement.GetProperty("sideways").GetInt32() > 0)
            {
                problems.Add($"/account/login at {width} px: scrolls {found.RootElement.GetProperty("sideways").GetInt32()} px sideways");
            }

            problems.AddRange((await login.EvaluateAsync<string[]>(Unboxed)).Select(f => $"/account/login at {width} px: the field {f} shows no box"));
            problems.AddRange((await LiveApp.AccessibilityViolationsAsync(login)).Select(v => $"/account/login at {width} px: {v}"));
        }

        foreach (var (account, pages) in Shifts)
        {
            await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = width, Height = 800 } });
            var page = await App.SignInAsync(context, account, pages[0] == "CASE" ? "/queue" : pages[0]);
            foreach (var path in pages)
            {
                if (path == "CASE")
                {
                    await page.GotoAsync($"{App.BaseUrl}/queue");
                    await LiveApp.WaitInteractiveAsync(page);
                    await page.Locator("[data-testid=open], [data-testid=claim]").First.ClickAsync();
                    await page.WaitForURLAsync("**/cases/*");
                }
                else if (path == "CARD")
                {
                    // The neutral card of the file just opened: what the officer prints or shows on her phone.
                    await page.GotoAsync(page.Url.Split('#')[0] + "/card");
                    await page.WaitForSelectorAsync("[data-testid=neutral-card-qr]");
                    // On paper it keeps its size whatever the window: 8.5 x 5.5 cm (321 x 208 CSS px).
                    await page.EmulateMediaAsync(new() { Media = Media.Print });
                    var printed = await page.EvaluateAsync<double[]>("() => { const r = document.querySelector('[data-testid=neutral-card-qr]').getBoundingClientRect(); return [r.width, r.height]; }");
                    await page.EmulateMediaAsync(new() { Media = Media.Screen });
                    if (Math.Abs(printed[0] - 321.3) > 1 || Math.Abs(printed[1] - 207.9) > 1)
                    {
                        problems.Add($"CARD at {width} px: printed {printed[0]:0.#} x {printed[1]:0.#} px, not 8.5 x 5.5 cm");
                    }
                }
                else if (path == "SEARCH")
                {
                    // The search page as an officer uses it: with the results of a common surname listed.
                    await page.GotoAsync($"{App.BaseUrl}/search");
                    await LiveApp.WaitInteractiveAsync(page);
                    await page.FillAsync("[data-testid=search-query] input, input[data-testid=search-query]", "Martin");
                    await page.FillAsync("[data-testid=search-purpose] input, input[data-testid=search-purpose]", "La victime rappelle la cellule");
                    await page.ClickAsync("[data-testid=search-submit]");
                    await page.WaitForSelectorAsync("[data-testid=search-count]");
                }
                else if (!page.Url.EndsWith(path, StringComparison.Ordinal))
                {
                    await page.GotoAsync(App.BaseUrl + path);
                }

                if (!path.StartsWith("/account/", StringComparison.Ordinal))
                {
                    // The account pages are plain server-rendered forms, with no live connection to wait for.
                    await LiveApp.WaitInteractiveAsync(page);
                }

                // Pages read their lists after the first render: measure what the reader sees once they are there.
                await page.WaitForTimeoutAsync(1_500);
                using var found = JsonDocument.Parse(await page.EvaluateAsync<string>(Measure));
                var sideways = found.RootElement.GetProperty("sideways").GetInt32();
                var outside = found.RootElement.GetProperty("outside").GetInt32();
                if (width == 320)
                {
                    await LiveApp.ScreenshotAsync(page, $"reflow-320{(path is "CASE" or "SEARCH" or "CARD" ? "-" + path.ToLowerInvariant() : path.Replace('/', '-'))}");
                    // What the reader sees first, at the size it is seen.
                    await page.ScreenshotAsync(new() { Path = Path.Combine(LiveApp.Artifacts, $"reflow-320{(path is "CASE" or "SEARCH" or "CARD" ? "-" + path.ToLowerInvariant() : path.Replace('/', '-'))}-window.png") });
                    if (path == "/queue")
                    {
                        // The queue names its columns once, on the table (CSS properties), not on every cell: each stacked
                        // cell still reads after its column's name.
                        var label = await page.EvaluateAsync<string>(
                            "() => getComputedStyle(document.querySelector('[data-testid=queue] tbody tr td:nth-child(2)'), '::before').content");
                        if (!label.Contains("N° de procédure", StringComparison.Ordinal))
                        {
                            problems.Add($"/queue at 320 px: a stacked file reference reads after '{label}', not its column's name");
                        }
                    }
                }

                if (path == "/admin/users")
                {
                    // A user's actions sit in one menu per row; opened from the keyboard, each of them is inside the window.
                    await page.Locator("[data-testid='actions-officier.62@demo.callback'] button").First.FocusAsync();
                    await page.Keyboard.PressAsync("Enter");
                    var item = page.Locator("[data-testid='sign-out-everywhere-officier.62@demo.callback']");
                    await item.WaitForAsync(new() { State = WaitForSelectorState.Visible });
                    var box = await item.BoundingBoxAsync();
                    if (box is null || box.X < 0 || box.X + box.Width > width)
                    {
                        problems.Add($"/admin/users at {width} px: the actions menu shows « Déconnecter partout » at x {box?.X}-{box?.X + box?.Width}");
                    }

                    await page.Keyboard.PressAsync("Escape");
                    await item.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
                }

                problems.AddRange((await page.EvaluateAsync<string[]>(Unboxed)).Select(f => $"{path} at {width} px: the field {f} shows no box"));
                problems.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"{path} at {width} px: {v}"));
                if (sideways > 0 || outside > 0)
                {
                    problems.Add($"{path} at {width} px: scrolls {sideways} px sideways; {outside} action(s) outside the window ({string.Join("; ", found.RootElement.GetProperty("first").EnumerateArray().Select(e => e.GetString()))})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
