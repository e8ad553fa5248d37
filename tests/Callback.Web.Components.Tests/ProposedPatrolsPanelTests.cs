using Callback.Domain.Cases;
using Callback.Web.Features.Supervision;

namespace Callback.Web.Components.Tests;

/// <summary>Issue 18.2: the proposals a supervisor decides on, one by one or as a counted batch, in French.</summary>
public class ProposedPatrolsPanelTests : CallbackComponentTest
{
    private static ProposedPatrols Two => new(
    [
        new(Guid.NewGuid(), 3, "62-2019-000101", "CTC-62", "Europe/Paris", DangerLevel.Moderate, PatrolReason.ContactDeadlineElapsed, Now.AddMinutes(-40), Now.AddMinutes(20), "Réexamen 2019"),
        new(Guid.NewGuid(), 5, "62-2019-000102", "CTC-62", "Europe/Paris", DangerLevel.Low, PatrolReason.MaxAttemptsReached, Now.AddMinutes(-10), Now.AddMinutes(50), "Réexamen 2019"),
    ], 5);

    [Fact]
    public void NoProposal_ShowsNoPanel()
    {
        var panel = Render<ProposedPatrolsPanel>(p => p.Add(x => x.Proposals, ProposedPatrols.Empty));

        Assert.Empty(panel.FindAll("[data-testid=proposed-patrols]"));
    }

    [Fact]
    public void TheBatch_IsCountedBeforeItGoes_AndSendsExactlyTheRowsShown()
    {
        IReadOnlyList<ProposedPatrol>? sent = null;
        var proposals = Two;
        var panel = Render<ProposedPatrolsPanel>(p => p
            .Add(x => x.Proposals, proposals)
            .Add(x => x.OnConfirmAll, rows => sent = rows));

        var text = panel.Find("[data-testid=proposed-patrols]").TextContent;
        Assert.Contains("Patrouilles proposées en attente de décision : 2", text, StringComparison.Ordinal);
        Assert.Contains("dans la limite de 5 par heure et par unité", text, StringComparison.Ordinal);
        Assert.Contains("Échéance de contact dépassée", text, StringComparison.Ordinal);
        Assert.Equal(2, panel.FindAll("[data-testid=proposed-row]").Count);

        panel.Find("[data-testid=confirm-all]").Click();
        Assert.Null(sent);
        Assert.Contains("Patrouilles à envoyer au tableau du dispatch : 2", panel.Find("[data-testid=confirm-all-check]").TextContent, StringComparison.Ordinal);
        panel.Find("[data-testid=confirm-all-submit]").Click();

        Assert.Equal(proposals.Rows, sent);
    }

    [Fact]
    public void Declining_AsksWhy_AndSendsTheReasonWithTheRow()
    {
        (ProposedPatrol Row, string Reason)? declined = null;
        var proposals = Two;
        var panel = Render<ProposedPatrolsPanel>(p => p
            .Add(x => x.Proposals, proposals)
            .Add(x => x.OnDecline, d => declined = d));

        panel.FindAll("[data-testid=decline-one]")[1].Click();
        Assert.True(panel.Find("[data-testid=decline-submit]").HasAttribute("disabled"));
        panel.Find("[data-testid=decline-reason] input, input[data-testid=decline-reason]").Input("joint par sa sœur ce matin");
        panel.Find("[data-testid=decline-submit]").Click();

        Assert.Equal((proposals.Rows[1], "joint par sa sœur ce matin"), declined);
    }
}
