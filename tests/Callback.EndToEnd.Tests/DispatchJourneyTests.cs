using System.Globalization;
using Callback.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// A missed call becomes a patrol at the door: an officer's high-danger case reaches its contact deadline unanswered,
/// the dispatcher's open board shows it without reload, the dispatcher sends a crew and records "victim safe", and the
/// supervisor's open dashboard follows. Two browser contexts, the real app, the Training profile with a 5-second deadline.
/// </summary>
public sealed class DispatchJourneyTests() : BrowserTest(new LiveApp(new Dictionary<string, string?>
{
    ["Workflow:HighDangerContactDeadline"] = "00:00:05",
    ["Workflow:SweepInterval"] = "00:00:02",
}))
{
    [Fact]
    public async Task UnansweredDeadline_ReachesTheOpenBoard_TheCrewIsSent_AndTheDashboardFollows()
    {
        var options = new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } };
        await using var dispatcherContext = await Browser.NewContextAsync(options);
        await using var supervisorContext = await Browser.NewContextAsync(options);
        var board = await App.SignInAsync(dispatcherContext, "dispatch.62@demo.callback", "/dispatch");
        await board.WaitForSelectorAsync("[data-testid=dispatch-board]");
        var dashboard = await App.SignInAsync(supervisorContext, "superviseur.62@demo.callback", "/supervision");
        await dashboard.WaitForSelectorAsync("[data-testid=overdue]");

        // The officer reviews a high-danger file and then cannot reach her: the contact deadline falls 5 s later.
        var (reference, dueUtc) = await HighDangerCaseAsync();
        var row = $"[data-testid=briefing][data-reference='{reference}']";
        await board.WaitForSelectorAsync(row, new() { Timeout = 30_000 });
        var latency = TimeProvider.System.GetUtcNow().UtcDateTime - dueUtc;
        var line = string.Create(CultureInfo.InvariantCulture, $"deadline -> row on the open dispatch board: {latency.TotalMilliseconds:0} ms (deadline {dueUtc:O})");
        Console.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(LiveApp.Artifacts, "alert-latency.txt"), line + Environment.NewLine);
        Assert.Contains("briefing-new", await board.GetAttributeAsync(row, "class") ?? "");
        Assert.Matches(@"^\d+ nouvelles? demandes? de patrouille, \d+ à prendre en compte$", (await board.InnerTextAsync("[data-testid=board-announcement]")).Trim());
        Assert.Equal("true", await board.GetAttributeAsync($"[data-testid=waiting-row][data-reference='{reference}']", "data-new"));
        // Its line at the top leads to its card, however far down the board it is.
        await board.ClickAsync($"[data-testid=waiting-row][data-reference='{reference}'] a");
        var shown = "";
        for (var i = 0; i < 50 && !shown.StartsWith("true", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            shown = await board.EvaluateAsync<string>("selector => { const r = document.querySelector(selector).getBoundingClientRect(); return (r.bottom > 0 && r.top < window.innerHeight) + ' top ' + r.top + ' scrollY ' + window.scrollY + ' ' + location.href; }", row);
        }

        Assert.True(shown.StartsWith("true", StringComparison.Ordinal), shown);
        Assert.Contains("/dispatch", board.Url, StringComparison.Ordinal);
        // The board is French: the reason is its code read in French, never the English sentence the audit keeps (issue 13).
        Assert.Equal("Échéance de contact dépassée", (await board.InnerTextAsync($"{row} [data-testid=briefing-reason]")).Trim());
        await LiveApp.ScreenshotAsync(board, "10-dispatch-board-alert");

        await board.FillAsync($"{row} input[data-testid=crew], {row} [data-testid=crew] input", "PS-7");
        await board.ClickAsync($"{row} [data-testid=dispatch]");
        await board.WaitForSelectorAsync($"{row} [data-testid=briefing-crew]");
        Assert.Equal("PS-7", (await board.InnerTextAsync($"{row} [data-testid=briefing-crew]")).Trim());
        await LiveApp.ScreenshotAsync(board, "11-dispatch-board-dispatched");

        // The outcome list opens on "victim safe and seen".
        await board.ClickAsync($"{row} [data-testid=outcome-submit]");
        await board.WaitForSelectorAsync(row, new() { State = WaitForSelectorState.Detached });

        await dashboard.WaitForSelectorAsync($"[data-testid=recently-closed-row]:has-text('{reference}')", new() { Timeout = 10_000 });
        await LiveApp.ScreenshotAsync(dashboard, "12-supervision-dashboard");
        Assert.Equal(0, await dashboard.Locator($"[data-testid=patrol-alerts-row]:has-text('{reference}')").CountAsync());

        var violations = (await LiveApp.AccessibilityViolationsAsync(board)).Select(v => $"board: {v}")
            .Concat((await LiveApp.AccessibilityViolationsAsync(dashboard)).Select(v => $"dashboard: {v}")).ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private async Task<(string Reference, DateTime DueUtc)> HighDangerCaseAsync()
    {
        var (workflow, officer, now) = await App.Officer62Async();
        var reference = string.Create(CultureInfo.InvariantCulture, $"62-E2E-{now:HHmmss}");
        var id = await workflow.OpenAsync("CTC-62", new NewCase(reference, now, OffenceCategory.ConjugalViolence,
            new Victim("Inès", "Robert", "0611223344", "12 rue du Port, Arras"), new Perpetrator("Éric Robert", TriState.Yes)), officer);
        var opened = await workflow.GetAsync(id, officer);
        var reviewed = await workflow.ReviewAsync(id, opened.Version, new ReviewFindings(TriState.Yes, false, false, false, WeaponsKnown: true, TriState.Yes,
            ProtectionMeasures.None, DangerLevel.High, ImmediateDanger: false), officer);
        return (reference, reviewed.DueAtUtc!.Value);
    }
}
