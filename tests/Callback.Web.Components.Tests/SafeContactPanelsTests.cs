using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Workflow;
using Callback.Web.Features.Cases;
using Callback.Web.Features.Dispatch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Safe contact that stays safe (issue 15.2): never taken from her usual number, asked explicitly, "no safe number given"
/// an answer the briefing repeats, and corrected during a call with the warnings worked out again. On a real SQLite file.
/// </summary>
public sealed class SafeContactPanelsTests : RealDatabaseComponentTest
{
    private const string UsualPhone = "0612345678";

    private CaseWorkflowService Workflow => Database.Workflow;

    [Fact]
    public void ReviewForm_LeavesTheSafeNumberEmpty_AndRefusesAReviewThatDidNotAskForIt()
    {
        var blue = CaseIn(CaseState.AwaitingReview, OffenceCategory.Threats);
        var acted = 0;
        var context = new CaseContext(blue, Officer, WorkflowOptions, Now, _ => { acted++; return Task.CompletedTask; });

        var form = Render<ReviewForm>(p => p.Add(x => x.Model, context));
        form.Find("[data-testid=review-submit]").Click();

        Assert.Equal(0, acted);
        Assert.Contains("Numéro sûr", form.Find("[data-testid=review-error]").TextContent, StringComparison.Ordinal);
        form.Find("[data-testid=review-safe-contact] [data-testid=safe-answer-number]").Change(true);
        Assert.Equal("", SafePhoneInput(form).GetAttribute("value") ?? "");
        Assert.DoesNotContain(UsualPhone, Digits(form.Markup), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewForm_NoSafeNumberGiven_IsStoredAsSuch_NeverAsHerUsualNumber()
    {
        var id = await OpenAsync("62-2026-000801");
        var c = await Workflow.GetAsync(id, OfficerHere, Xunit.TestContext.Current.CancellationToken);

        var form = Render<ReviewForm>(p => p.Add(x => x.Model, ContextActingFor(c)));
        form.Find("[data-testid=review-safe-contact] [data-testid=safe-answer-none]").Change(true);
        // No danger grid here: said explicitly (issue 16.6).
        WordingTests.CheckBox(form.Find("[data-testid=review-grid-not-assessed]")).Change(true);
        await form.Find("[data-testid=review-submit]").ClickAsync(new());

        var safe = (await Workflow.GetAsync(id, OfficerHere, Xunit.TestContext.Current.CancellationToken)).Victim.SafeContact;
        Assert.Null(safe.SafePhone);
        Assert.True(safe.NoSafeNumberGiven);
    }

    [Fact]
    public async Task ReviewForm_TypedSafeNumber_IsTheOneStored()
    {
        var id = await OpenAsync("62-2026-000802");
        var c = await Workflow.GetAsync(id, OfficerHere, Xunit.TestContext.Current.CancellationToken);

        var form = Render<ReviewForm>(p => p.Add(x => x.Model, ContextActingFor(c, revealed: true)));
        form.Find("[data-testid=review-safe-contact] [data-testid=safe-answer-number]").Change(true);
        SafePhoneInput(form).Input("07 11 22 33 44");
        // No danger grid here: said explicitly (issue 16.6).
        WordingTests.CheckBox(form.Find("[data-testid=review-grid-not-assessed]")).Change(true);
        await form.Find("[data-testid=review-submit]").ClickAsync(new());

        var safe = (await Workflow.GetAsync(id, OfficerHere, Xunit.TestContext.Current.CancellationToken)).Victim.SafeContact;
        Assert.Equal("07 11 22 33 44", safe.SafePhone);
        Assert.False(safe.NoSafeNumberGiven);
    }

    [Fact]
    public void Briefing_WhenSheGaveNoSafeNumber_SaysSo_AndNeverOffersHerUsualNumber()
    {
        var c = CaseIn(CaseState.PatrolRequested, OffenceCategory.Threats, safe: SafeContact.None with { NoSafeNumberGiven = true });

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(c)).Add(x => x.NowUtc, Now));

        Assert.Equal("Aucun numéro sûr donné", card.Find("[data-testid=briefing-safe-number]").TextContent.Trim());
        Assert.DoesNotContain(UsualPhone, Digits(card.Markup), StringComparison.Ordinal);
    }

    [Fact]
    public void Briefing_WhenNobodyAskedForASafeNumber_SaysThat_AndNeverOffersHerUsualNumber()
    {
        var c = CaseIn(CaseState.PatrolRequested, OffenceCategory.Threats, safe: null);

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(c)).Add(x => x.NowUtc, Now));

        Assert.Equal("Numéro sûr non demandé", card.Find("[data-testid=briefing-safe-number]").TextContent.Trim());
        Assert.DoesNotContain(UsualPhone, Digits(card.Markup), StringComparison.Ordinal);
    }

    [Fact]
    public void Briefing_OfAnOrangeCaseBeforeAReason_CarriesNoAddressNorNumber_AndOffersTheReveal()
    {
        var c = CaseIn(CaseState.PatrolRequested, OffenceCategory.ConjugalViolence, safe: new SafeContact("0711223344", null, null, null, ContactChannel.Phone, false, null));
        RevealRequest? asked = null;

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(c, identityShown: false)).Add(x => x.NowUtc, Now)
            .Add(x => x.OnReveal, r => asked = r));

        Assert.DoesNotContain("Lilas", card.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("711223344", Digits(card.Markup), StringComparison.Ordinal);
        Assert.DoesNotContain("612345678", Digits(card.Markup), StringComparison.Ordinal);
        card.Find("[data-testid=briefing-reveal-reason] input, input[data-testid=briefing-reveal-reason]").Input("crew leaving now");
        card.Find("[data-testid=briefing-reveal]").Click();
        Assert.Equal("crew leaving now", asked?.Reason);
    }

    [Fact]
    public async Task CallPanel_ASafeContactCorrectedMidCall_IsSavedAudited_AndTheWarningsAreWorkedOutAgain()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var id = await OpenAsync("62-2026-000803");
        await Workflow.ReviewAsync(id, (await Workflow.GetAsync(id, OfficerHere, ct)).Version,
            new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false,
                SafeContact.None with { NoSafeNumberGiven = true }), OfficerHere, ct);
        var c = await Workflow.GetAsync(id, OfficerHere, ct);

        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextActingFor(c, revealed: true)));
        Assert.Contains(Warnings(panel), w => w.StartsWith("La victime n'a donné aucun numéro sûr", StringComparison.Ordinal));

        // During the call she names a safe number, and says she can talk only in the evening (09:00 UTC is 10:00 in Paris).
        panel.Find("[data-testid=safe-edit]").Click();
        panel.Find("[data-testid=call-safe-contact] [data-testid=safe-answer-number]").Change(true);
        SafePhoneInput(panel).Input("07 11 22 33 44");
        panel.Find("[data-testid=safe-from] input, input[data-testid=safe-from]").Input("18:00");
        panel.Find("[data-testid=safe-until] input, input[data-testid=safe-until]").Input("21:00");
        await panel.Find("[data-testid=safe-save]").ClickAsync(new());

        // The page reads the case again after an action; so does this test.
        var fresh = await Workflow.GetAsync(id, OfficerHere, ct);
        panel.Render(p => p.Add(x => x.Model, ContextActingFor(fresh, revealed: true)));

        var warnings = Warnings(panel);
        Assert.DoesNotContain(warnings, w => w.Contains("numéro sûr", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Hors des heures sûres", StringComparison.Ordinal));
        Assert.Equal("07 11 22 33 44", panel.Find("[data-testid=number-to-call]").TextContent.Trim());
        var timeline = await Workflow.TimelineAsync(id, OfficerHere, ct);
        Assert.Equal("SafePhone, SafeHours", Assert.Single(timeline, e => e.Action == AuditActions.UpdateSafeContact).Reason);
    }

    [Fact]
    public async Task CallPanel_ANoteTypedBeforeTheOutcome_IsRecordedWithTheCall_AndTheFieldEmpties()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var id = await OpenAsync("62-2026-000804");
        await Workflow.ReviewAsync(id, (await Workflow.GetAsync(id, OfficerHere, ct)).Version,
            new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false,
                SafeContact.None with { NoSafeNumberGiven = true }), OfficerHere, ct);
        var c = await Workflow.GetAsync(id, OfficerHere, ct);
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextActingFor(c, revealed: true)));

        panel.Find("[data-testid=attempt-note-input] textarea, textarea[data-testid=attempt-note-input]").Input("  Messagerie pleine, une voix d'homme en fond.  ");
        await panel.Find("[data-testid=outcome-Voicemail]").ClickAsync(new());

        var attempt = Assert.Single((await Workflow.GetAsync(id, OfficerHere, ct)).Attempts);
        Assert.Equal(AttemptOutcome.Voicemail, attempt.Outcome);
        Assert.Equal("Messagerie pleine, une voix d'homme en fond.", attempt.Note);
        Assert.Equal("", panel.Find("[data-testid=attempt-note-input] textarea, textarea[data-testid=attempt-note-input]").GetAttribute("value") ?? "");
    }

    [Fact]
    public void CallPanel_OnAnOrangeCaseBeforeTheReveal_OffersNoSafeContactFields()
    {
        var orange = CaseIn(CaseState.AwaitingContact, OffenceCategory.ConjugalViolence, safe: new SafeContact("0711223344", null, null, null, ContactChannel.Phone, false, "Tournesol"));

        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(orange, Officer)));

        Assert.Empty(panel.FindAll("[data-testid=safe-editor]"));
        Assert.Single(panel.FindAll("[data-testid=safe-edit-hidden]"));
        Assert.DoesNotContain("711223344", Digits(panel.Markup), StringComparison.Ordinal);
        Assert.DoesNotContain("Tournesol", panel.Markup, StringComparison.Ordinal);
    }

    private CaseContext ContextActingFor(Case c, bool revealed = false) =>
        new(c, OfficerHere, WorkflowOptions, Now, action => action(OfficerHere, c.Version)) { IdentityRevealed = revealed };

    private async Task<Guid> OpenAsync(string reference) =>
        await Workflow.OpenAsync("CTC-62", new NewCase(reference, TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-30), OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", UsualPhone, "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), OfficerHere, Xunit.TestContext.Current.CancellationToken);

    private static AngleSharp.Dom.IElement SafePhoneInput(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component) =>
        component.Find("[data-testid=safe-phone] input, input[data-testid=safe-phone]");

    private static List<string> Warnings(IRenderedComponent<CallPanel> panel) =>
        panel.FindAll("[data-testid=call-warning]").Select(w => w.TextContent.Trim()).ToList();

    /// <summary>The digits of a page, separators between them dropped: a phone number matches however it was formatted.</summary>
    private static string Digits(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, @"(?<=\d)(?:[\s.\-/()]|&nbsp;|&#xA0;|&#160;)+(?=\d)", "");

}
