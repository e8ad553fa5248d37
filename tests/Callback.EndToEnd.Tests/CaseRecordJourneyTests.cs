using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Callback.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// Issue 15: a colleague calls, notes and reaches the victim; the next officer reads what was recorded (the call's note,
/// the answers), adds a note of her own and prints the patrol briefing, all in French, each page axe-clean.
/// </summary>
public sealed class CaseRecordJourneyTests() : BrowserTest(new LiveApp())
{
    private const string CallNote = "Messagerie pleine, une voix d'homme en fond.";
    private const string OwnNote = "Rappeler le soir, elle travaille en journée.";

    [Fact]
    public async Task AnOfficer_ReadsAColleaguesCallsAndAnswers_AddsANote_AndPrintsTheBriefing_InFrench()
    {
        var colleague = await CreateColleagueAsync();

        // The colleague's shift: a case nobody called, a call with a note, then she is reached.
        await using var first = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await App.SignInAsync(first, colleague.Email);
        await page.WaitForSelectorAsync("[data-testid=claim]");
        var row = await LiveApp.FirstUncalledRowAsync(page);
        await row.Locator("[data-testid=claim]").ClickAsync();
        await page.WaitForURLAsync("**/cases/*");
        await LiveApp.WaitInteractiveAsync(page);
        var caseUrl = page.Url;
        var reviewedHere = await page.Locator("[data-testid=review-form]").CountAsync() > 0;
        if (reviewedHere)
        {
            await page.ClickAsync("[data-testid=review-safe-contact] [data-testid=safe-answer-none]");
            // The grid is left empty here: said explicitly, or the review is refused (issue 16.6).
            await page.ClickAsync("label:has(input[data-testid=review-grid-not-assessed])");
            await page.ClickAsync("[data-testid=review-submit]");
            await page.WaitForSelectorAsync("[data-testid=call-panel]");
        }

        await page.FillAsync("textarea[data-testid=attempt-note-input], [data-testid=attempt-note-input] textarea", CallNote);
        await page.ClickAsync("[data-testid=outcome-Voicemail]");
        await page.WaitForSelectorAsync("[data-testid=attempt][data-outcome=Voicemail]");
        await page.ClickAsync("[data-testid=outcome-Reached]");
        await page.WaitForSelectorAsync("[data-testid=contact-form]");
        await LiveApp.AnswerQuestionnaireAsync(page);
        await LiveApp.DecideAsync(page, "Close");
        await page.ClickAsync("[data-testid=contact-submit]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=state]').innerText.includes('Clos')");

        // The next officer opens the same case and reads what was done.
        await using var second = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 } });
        var reader = await App.SignInAsync(second, "officier.62@demo.callback");
        await reader.GotoAsync(caseUrl);
        await LiveApp.WaitInteractiveAsync(reader);
        await reader.WaitForSelectorAsync("[data-testid=attempt]");
        if (await reader.Locator("[data-testid=reveal-reason]").CountAsync() > 0)
        {
            // Orange: the free text stays hidden until she says why she needs it.
            Assert.DoesNotContain(CallNote, await reader.InnerTextAsync("body"), StringComparison.Ordinal);
            await reader.FillAsync("textarea[data-testid=reveal-reason], [data-testid=reveal-reason] textarea", "Reprise du dossier d'une collègue");
            await reader.ClickAsync("[data-testid=reveal]");
        }

        await reader.WaitForSelectorAsync($"[data-testid=attempt-note-text]:has-text(\"{CallNote}\")");
        Assert.Equal(2, await reader.Locator("[data-testid=attempt]").CountAsync());
        Assert.Contains("Messagerie", await reader.InnerTextAsync("[data-testid=attempt][data-outcome=Voicemail]"), StringComparison.Ordinal);
        Assert.Contains(colleague.Name, await reader.InnerTextAsync("[data-testid=attempt][data-outcome=Voicemail]"), StringComparison.Ordinal);
        Assert.Equal(1, await reader.Locator("[data-testid=attempt-answers]").CountAsync());
        await LiveApp.ScreenshotAsync(reader, "30-record-read-back");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(reader));

        await reader.FillAsync("textarea[data-testid=note-input], [data-testid=note-input] textarea", OwnNote);
        await reader.ClickAsync("[data-testid=note-submit]");
        await reader.WaitForSelectorAsync($"[data-testid=note-text]:has-text(\"{OwnNote}\")");
        Assert.Contains("Julie Lefèvre", await reader.InnerTextAsync("[data-testid=note]"), StringComparison.Ordinal);

        // On paper: the briefing as the printer sees it.
        await reader.GotoAsync($"{caseUrl}/print/briefing");
        await reader.WaitForSelectorAsync("[data-testid=print-briefing]");
        await reader.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("fr", await reader.GetAttributeAsync("html", "lang"));
        var safeNumber = await reader.InnerTextAsync("[data-testid=print-safe-number]");
        if (reviewedHere)
        {
            // The colleague recorded that she named no safe number: the crew reads so, not her usual number.
            Assert.Contains("Aucun numéro sûr", safeNumber, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(safeNumber));
        }
        await LiveApp.ScreenshotAsync(reader, "31-print-briefing");
        Assert.Empty(await LiveApp.AccessibilityViolationsAsync(reader));
    }

    /// <summary>A second officer of CTC-62, made as an Admin makes one (a demo address: Training accepts no other).</summary>
    private async Task<(string Email, string Name)> CreateColleagueAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var admin = await signIn.UserManager.FindByEmailAsync("admin@demo.callback");
        var actor = CurrentUser.FromPrincipal(await signIn.CreateUserPrincipalAsync(admin!));
        const string email = "collegue.62@demo.callback";
        const string name = "Inès Moreau";
        var created = await scope.ServiceProvider.GetRequiredService<UserAccess>().CreateAsync(actor, email, name, Roles.Officer, "CTC-62");
        var user = await signIn.UserManager.FindByIdAsync(created.Id);
        var token = await signIn.UserManager.GeneratePasswordResetTokenAsync(user!);
        var reset = await signIn.UserManager.ResetPasswordAsync(user!, token, LiveApp.DemoPassword);
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Description)));
        return (email, name);
    }
}
