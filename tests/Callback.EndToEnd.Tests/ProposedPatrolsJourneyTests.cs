using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 18 in the browser: the demo's re-examination campaign of CTC-62 met the patrol governor, so some of its
/// unreached files wait as proposed patrols. The dispatcher's open board shows none of them; the supervisor declines one
/// with a reason, then confirms the others as a counted batch with the keyboard; the board shows exactly those, live,
/// and the proposals panel is gone. Two browser contexts, the real app, the Training profile.
/// </summary>
public sealed class ProposedPatrolsJourneyTests() : BrowserTest(new LiveApp())
{
    [Fact]
    public async Task ASupervisorDeclinesOne_ThenConfirmsTheCountedBatchByKeyboard_AndTheOpenBoardShowsExactlyThose()
    {
        var proposed = await ProposedReferencesAsync();
        Assert.Equal(DemoSeeder.ProposedPatrols, proposed.Count);
        var options = new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 } };
        await using var dispatcherContext = await Browser.NewContextAsync(options);
        await using var supervisorContext = await Browser.NewContextAsync(options);
        var board = await App.SignInAsync(dispatcherContext, "dispatch.62@demo.callback", "/dispatch");
        await board.WaitForSelectorAsync("[data-testid=dispatch-board]");
        var page = await App.SignInAsync(supervisorContext, "superviseur.62@demo.callback", "/supervision");
        await page.WaitForSelectorAsync("[data-testid=proposed-patrols]");

        // The panel lists exactly the proposals, oldest first; the board, none of them.
        Assert.Equal(proposed, await ShownAsync(page));
        Assert.Empty(await OnBoardAsync(board, proposed));
        var violations = (await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"proposals: {v}").ToList();

        // One is declined, with the reason the supervisor knows: it leaves the list and never reaches the board.
        var declined = proposed[0];
        var declinedRow = $"[data-testid=proposed-row][data-reference='{declined}']";
        await page.ClickAsync($"{declinedRow} [data-testid=decline-one]");
        Assert.True(await page.IsDisabledAsync($"{declinedRow} [data-testid=decline-submit]"), "a decline without a reason must not be sent");
        await page.FillAsync($"{declinedRow} [data-testid=decline-reason] input, {declinedRow} input[data-testid=decline-reason]", "Sa sœur l'a vue ce matin, en sécurité");
        await page.ClickAsync($"{declinedRow} [data-testid=decline-submit]");
        await page.WaitForSelectorAsync(declinedRow, new() { State = WaitForSelectorState.Detached });
        var batch = proposed.Skip(1).ToList();
        Assert.Equal(batch, await ShownAsync(page));

        // The counted batch, with the keyboard: the button names the count, the check repeats it, Enter sends.
        var confirmAll = page.Locator("[data-testid=confirm-all]");
        Assert.Equal($"Confirmer toutes les patrouilles proposées ({batch.Count})…", (await confirmAll.TextContentAsync())?.Trim());
        await confirmAll.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var check = page.Locator("[data-testid=confirm-all-check]");
        await check.WaitForAsync();
        Assert.Contains($"Patrouilles à envoyer au tableau du dispatch : {batch.Count}", await check.InnerTextAsync(), StringComparison.Ordinal);
        var submit = page.Locator("[data-testid=confirm-all-submit]");
        Assert.Equal($"Envoyer au dispatch ({batch.Count})", (await submit.TextContentAsync())?.Trim());
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"count check: {v}"));
        await LiveApp.ScreenshotAsync(page, "50-proposed-patrols-count-check");
        // The check takes the keyboard to its own submit: Enter sends, nothing to hunt for with Tab.
        await page.WaitForFunctionAsync("() => document.activeElement?.getAttribute('data-testid') === 'confirm-all-submit'", null, new() { Timeout = 5_000 });
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[data-testid=proposed-patrols]", new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });

        // The open board shows the confirmed ones without a reload, and still not the declined one.
        foreach (var reference in batch)
        {
            await board.WaitForSelectorAsync($"[data-testid=briefing][data-reference='{reference}']", new() { Timeout = 15_000 });
        }

        Assert.Empty(await OnBoardAsync(board, [declined]));
        // Each card tells the crew it is a re-examined old file whose patrol a supervisor confirmed.
        Assert.Equal(batch.Count, await board.Locator("[data-testid=briefing] [data-testid=briefing-confirmed-proposal]").CountAsync());
        await LiveApp.ScreenshotAsync(board, "51-dispatch-board-confirmed-proposals");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(board)).Select(v => $"board: {v}"));

        // And after a reload, as a dispatcher starting a shift sees it.
        await board.ReloadAsync();
        await LiveApp.WaitInteractiveAsync(board);
        await board.WaitForSelectorAsync($"[data-testid=briefing][data-reference='{batch[^1]}']");
        Assert.Equal(batch.ToHashSet(), (await OnBoardAsync(board, proposed)).ToHashSet());

        // Each decision is one audited transition by the supervisor; the declined file is back with the callers.
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        var cases = await db.Cases.AsNoTracking().Where(c => proposed.Contains(c.FileReference)).ToDictionaryAsync(c => c.FileReference);
        Assert.All(batch, r => Assert.Equal(CaseState.PatrolRequested, cases[r].State));
        Assert.Equal(CaseState.AwaitingContact, cases[declined].State);
        var supervisorId = await db.Users.Where(u => u.Email == "superviseur.62@demo.callback").Select(u => u.Id).SingleAsync();
        var ids = cases.Values.Select(c => c.Id).ToList();
        var decisions = await db.AuditEntries.AsNoTracking()
            .Where(e => ids.Contains(e.CaseId!.Value) && (e.Action == AuditActions.ConfirmPatrol || e.Action == AuditActions.DeclinePatrol)).ToListAsync();
        Assert.All(batch, r => Assert.Single(decisions, e => e.CaseId == cases[r].Id && e.Action == AuditActions.ConfirmPatrol && e.Actor == supervisorId));
        var decline = Assert.Single(decisions, e => e.CaseId == cases[declined].Id);
        Assert.Equal(AuditActions.DeclinePatrol, decline.Action);
        Assert.Contains("Sa sœur l'a vue ce matin", decline.Reason, StringComparison.Ordinal);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>The references of the patrols proposed in CTC-62, oldest first, as the panel orders them.</summary>
    private async Task<List<string>> ProposedReferencesAsync()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        return await db.Cases.AsNoTracking().Where(c => c.State == CaseState.PatrolProposed && c.Unit!.Code == "CTC-62")
            .OrderBy(c => c.Patrol.ProposedAtUtc).ThenBy(c => c.Id).Select(c => c.FileReference).ToListAsync();
    }

    private static async Task<List<string>> ShownAsync(IPage page) =>
        [.. await page.Locator("[data-testid=proposed-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.reference)")];

    private static async Task<List<string>> OnBoardAsync(IPage board, IReadOnlyCollection<string> references)
    {
        var shown = await board.Locator("[data-testid=briefing], [data-testid=waiting-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.reference)");
        return shown.Where(references.Contains).Distinct().ToList();
    }
}
