using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 17 in the browser: in the Training profile an officer reaches a victim in high danger, resolves the cohabitation
/// question, puts her under follow-up, and makes the plan's three check-ins as they open (seconds apart here), the last
/// closing the case as "follow-up completed". French, keyboard for the answers, axe on every new view.
/// </summary>
public sealed class FollowUpJourneyTests() : BrowserTest(new LiveApp(new Dictionary<string, string?>
{
    ["Workflow:FollowUpHighDanger:0"] = "00:00:05",
    ["Workflow:FollowUpHighDanger:1"] = "00:00:10",
    ["Workflow:FollowUpHighDanger:2"] = "00:00:15",
}))
{
    [Fact]
    public async Task InTraining_AnOfficerCompletesAThreeCheckInPlan_InMinutes_EveryNewViewAxeClean()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 } });
        var (id, reference) = await HighDangerCaseAsync();
        var page = await App.SignInAsync(context, "officier.62@demo.callback", $"/cases/{id}");
        var violations = new List<string>();

        // Cohabitation unknown: a warning to resolve during the call, before anything else.
        await page.WaitForSelectorAsync("[data-testid=cohabitation-unknown]");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"case page: {v}"));
        await LiveApp.ScreenshotAsync(page, "30-case-cohabitation-unknown");
        await page.ClickAsync("[data-testid=cohabitation-set-no]");
        await page.WaitForSelectorAsync("[data-testid=cohabitation-unknown]", new() { State = WaitForSelectorState.Detached });

        await page.ClickAsync("[data-testid=outcome-Reached]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        Assert.True(await page.IsCheckedAsync("[data-testid=then-FollowUp]"), "a high-danger victim is offered the follow-up first");
        Assert.Contains("+5 s, +10 s, +15 s", await page.InnerTextAsync("[data-testid=contact-then]"), StringComparison.Ordinal);
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"contact decision: {v}"));
        await LiveApp.ScreenshotAsync(page, "31-contact-decision");
        await page.ClickAsync("[data-testid=contact-submit]");
        await page.WaitForSelectorAsync("[data-testid=state]:has-text('Sous suivi')");

        // The first check-in opens: the officer's queue lists the case again.
        var queue = await context.NewPageAsync();
        await queue.GotoAsync($"{App.BaseUrl}/queue");
        await LiveApp.WaitInteractiveAsync(queue);
        await WaitForRowAsync(queue, reference);
        await queue.CloseAsync();

        for (var checkIn = 1; checkIn <= 3; checkIn++)
        {
            await page.WaitForSelectorAsync($"[data-testid=next-check-in]:has-text('n° {checkIn}')");
            await page.ClickAsync("[data-testid=outcome-Reached]");
            await page.WaitForSelectorAsync($"[data-testid=check-in-title]:has-text('n° {checkIn}')");
            // The shorter set: "anything new?" and nothing of the first call's longer questions.
            Assert.Equal(0, await page.Locator("[data-testid=question-Q10]").CountAsync());
            await AnswerCheckInAsync(page);
            if (checkIn == 2)
            {
                await page.ClickAsync("[data-testid=rerun-grid]");
                await page.WaitForSelectorAsync("[data-testid=danger-grid]");
                violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"check-in with grid: {v}"));
                await LiveApp.ScreenshotAsync(page, "32-check-in-with-grid");
            }

            await page.ClickAsync("[data-testid=contact-submit]");
            await page.WaitForSelectorAsync("[data-testid=check-in-title]", new() { State = WaitForSelectorState.Detached });
        }

        await page.WaitForSelectorAsync("[data-testid=state]:has-text('Clos')");
        Assert.Contains("Suivi terminé", await page.InnerTextAsync("[data-testid=facts-closure]"), StringComparison.Ordinal);
        await LiveApp.ScreenshotAsync(page, "33-follow-up-completed");
        violations.AddRange((await LiveApp.AccessibilityViolationsAsync(page)).Select(v => $"closed case: {v}"));

        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync())
        {
            var done = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal((CaseState.Closed, ClosureReason.FollowUpCompleted, 3), (done.State, done.ClosureReason, done.CheckInsDone));
            Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.RecordCheckIn)));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"three-check-in plan completed in the browser in {started.Elapsed.TotalSeconds:0} s"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>Keyboard only: "yes" to talking safely, "no" to everything new.</summary>
    private static async Task AnswerCheckInAsync(IPage page)
    {
        await page.FocusAsync("[data-testid=answer-Q01-yes]");
        await page.Keyboard.PressAsync("Space");
        foreach (var question in new[] { "Q02", "Q03", "C01", "C03" })
        {
            await page.FocusAsync($"[data-testid=answer-{question}-no]");
            await page.Keyboard.PressAsync("Space");
        }
    }

    private static async Task WaitForRowAsync(IPage queue, string reference)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await queue.Locator($"tbody tr:has-text('{reference}')").CountAsync() > 0)
            {
                return;
            }

            await Task.Delay(500);
            await queue.ReloadAsync();
            await LiveApp.WaitInteractiveAsync(queue);
        }

        Assert.Fail($"{reference} never came back to the queue when its check-in opened");
    }

    private async Task<(Guid Id, string Reference)> HighDangerCaseAsync()
    {
        var (workflow, officer, now) = await App.Officer62Async();
        var reference = string.Create(CultureInfo.InvariantCulture, $"62-SUIVI-{now:HHmmss}");
        var id = await workflow.OpenAsync("CTC-62", new NewCase(reference, now, OffenceCategory.ConjugalViolence,
            new Victim("Nadia", "Lefèvre", "0611223355", "4 rue des Tilleuls, Arras"), new Perpetrator("Paul Lefèvre", TriState.Unknown)), officer);
        var opened = await workflow.GetAsync(id, officer);
        await workflow.ReviewAsync(id, opened.Version, new ReviewFindings(TriState.Unknown, false, false, false, false, TriState.No,
            ProtectionMeasures.None, DangerLevel.High, ImmediateDanger: false), officer);
        return (id, reference);
    }
}
