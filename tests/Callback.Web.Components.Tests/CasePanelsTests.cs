using Callback.Domain.Cases;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

public class CasePanelsTests : CallbackComponentTest
{
    private static readonly string[] AllActions =
        ["action-ScheduleFollowUp", "action-RequestPatrol", "action-Acknowledge", "action-Dispatch", "action-ReportOutcome", "action-CallOffPatrol", "action-Close", "action-Reopen"];

    public static TheoryData<CaseState, string, string[]> Permitted => new()
    {
        { CaseState.AwaitingReview, "officer", ["action-RequestPatrol", "action-Close"] },
        { CaseState.AwaitingContact, "officer", ["action-ScheduleFollowUp", "action-RequestPatrol", "action-Close"] },
        { CaseState.FollowUp, "officer", ["action-ScheduleFollowUp", "action-RequestPatrol", "action-Close"] },
        { CaseState.FollowUp, "dispatcher", [] },
        { CaseState.PatrolRequested, "officer", ["action-CallOffPatrol"] },
        { CaseState.PatrolRequested, "dispatcher", ["action-Acknowledge", "action-Dispatch", "action-CallOffPatrol"] },
        { CaseState.PatrolDispatched, "officer", ["action-CallOffPatrol"] },
        { CaseState.PatrolDispatched, "dispatcher", ["action-ReportOutcome", "action-CallOffPatrol"] },
        { CaseState.Closed, "officer", [] },
        { CaseState.Closed, "supervisor", ["action-Reopen"] },
    };

    [Theory]
    [MemberData(nameof(Permitted))]
    public void CaseActions_ShowOnlyTheActionsTheLifecycleAndTheRoleAllow(CaseState state, string role, string[] expected)
    {
        var actor = role switch { "dispatcher" => Dispatcher, "supervisor" => Supervisor, _ => Officer };

        var panel = Render<CaseActions>(p => p.Add(x => x.Model, ContextFor(CaseIn(state), actor)));

        var shown = AllActions.Where(a => panel.FindAll($"[data-testid={a}]").Count > 0).ToArray();
        Assert.Equal(expected, shown);
    }

    [Fact]
    public void CallPanel_OutsideTheVictimsSafeHours_WarnsBeforeTheCall()
    {
        // 09:00 UTC is 10:00 in Paris; she is safe to call only in the evening.
        var evenings = new SafeContact("0611111111", new TimeOnly(18, 0), new TimeOnly(21, 0), "Europe/Paris", ContactChannel.Phone, false, null);

        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact, safe: evenings), Officer)));

        var warning = Assert.Single(panel.FindAll("[data-testid=call-warning]"));
        Assert.Contains("Hors des heures sûres", warning.TextContent);
        Assert.Contains("18:00", warning.TextContent);
    }

    [Fact]
    public void CallPanel_InsideSafeHoursOnASafeNumber_GivesNoWarning_ButAlwaysAsksTheSafetyQuestionFirst()
    {
        var days = new SafeContact("0611111111", new TimeOnly(8, 0), new TimeOnly(20, 0), "Europe/Paris", ContactChannel.Phone, false, null);

        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact, safe: days), Officer)));

        Assert.Empty(panel.FindAll("[data-testid=call-warning]"));
        Assert.Contains("Pouvez-vous parler en sécurité", panel.Find("[data-testid=safe-first]").TextContent);
    }

    [Fact]
    public void CallPanel_WithoutASafeNumber_WarnsThatThePhoneMayNotBeSafe()
    {
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact, safe: null), Officer)));

        Assert.Contains(panel.FindAll("[data-testid=call-warning]"), w => w.TextContent.Contains("Aucun numéro sûr n'a été noté", StringComparison.Ordinal));
    }

    [Fact]
    public void CallPanel_OffersOneButtonPerOutcome()
    {
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact), Officer)));

        foreach (var outcome in Enum.GetValues<Domain.Contact.AttemptOutcome>())
        {
            Assert.Single(panel.FindAll($"[data-testid=outcome-{outcome}]"));
        }
    }

    [Fact]
    public void IdentityPanel_OnAnOrangeCase_HidesTheIdentityUntilAReasonIsGiven()
    {
        var orange = CaseIn(CaseState.AwaitingContact, Domain.Cases.OffenceCategory.ConjugalViolence);
        string? reason = null;

        var panel = Render<IdentityPanel>(p => p
            .Add(x => x.Model, ContextFor(orange, Officer))
            .Add(x => x.OnReveal, r => reason = r));

        Assert.DoesNotContain("Martin", panel.Markup);
        Assert.DoesNotContain("0612345678", panel.Markup);
        Assert.Equal("C. M. •• 78", panel.Find("[data-testid=identity-masked]").TextContent.Trim());
        Assert.True(panel.Find("button[data-testid=reveal]").HasAttribute("disabled"));

        panel.Find("textarea").Input("calling her back about the hearing");
        panel.Find("button[data-testid=reveal]").Click();

        Assert.Equal("calling her back about the hearing", reason);
    }

    [Fact]
    public void IdentityPanel_OnceRevealed_ShowsTheIdentity()
    {
        var panel = Render<IdentityPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact), Officer, revealed: true)));

        Assert.Contains("Camille Martin", panel.Find("[data-testid=identity]").TextContent);
    }

    [Fact]
    public void IdentityPanel_OnABlueCase_ShowsTheIdentityWithoutAReason()
    {
        var blue = CaseIn(CaseState.AwaitingContact, Domain.Cases.OffenceCategory.Threats);

        var panel = Render<IdentityPanel>(p => p.Add(x => x.Model, ContextFor(blue, Officer)));

        Assert.Contains("Camille Martin", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=reveal-reason]"));
    }

    [Fact]
    public void ReviewForm_OnAnOrangeCaseWithoutASafeNumber_NeverShowsHerUsualNumber()
    {
        // Pre-filling the safe number with her usual one leaked it before any reveal and silenced the "not a safe
        // number" warning (issue 14, item 1).
        var orange = CaseIn(CaseState.AwaitingReview, Domain.Cases.OffenceCategory.ConjugalViolence, safe: null);

        var form = Render<ReviewForm>(p => p.Add(x => x.Model, ContextFor(orange, Officer)));

        Assert.DoesNotContain("0612345678", form.Markup);
        Assert.DoesNotContain("Martin", form.Markup);
    }
}
