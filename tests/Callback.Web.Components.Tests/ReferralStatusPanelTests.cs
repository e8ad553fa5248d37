using Callback.Domain.Partners;
using Callback.Web.Features.Supervision;

namespace Callback.Web.Components.Tests;

public class ReferralStatusPanelTests : CallbackComponentTest
{
    [Fact]
    public void Dashboard_CountsTheReferralsPerStatus_InFrench()
    {
        var model = SupervisionModel.Empty with
        {
            NowUtc = Now,
            Referrals = [new(ReferralStatus.Sent, 4), new(ReferralStatus.VictimContacted, 0), new(ReferralStatus.Appointment, 2), new(ReferralStatus.Done, 7), new(ReferralStatus.Declined, 1)],
        };

        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, model));

        Assert.Contains("Orientations par statut", page.Find("[data-testid=referral-statuses]").TextContent, StringComparison.Ordinal);
        Assert.Equal(("Rendez-vous fixé", "2"), Row(page, "Appointment"));
        Assert.Equal(("Accompagnement réalisé", "7"), Row(page, "Done"));
        Assert.Equal(("Victime contactée", "0"), Row(page, "VictimContacted"));
    }

    private static (string Label, string Count) Row(IRenderedComponent<SupervisionDashboard> page, string status)
    {
        var row = page.Find($"[data-testid=referral-status-{status}]");
        return (row.QuerySelector("th")!.TextContent.Trim(), row.QuerySelector("td")!.TextContent.Trim());
    }
}
