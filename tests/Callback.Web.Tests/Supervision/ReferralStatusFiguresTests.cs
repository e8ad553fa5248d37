using Callback.Domain.Partners;
using Callback.Web.Features.Supervision;

namespace Callback.Web.Tests.Supervision;

public class ReferralStatusFiguresTests
{
    [Fact]
    public async Task Supervision_CountsReferralsPerStatusAsUpdated_WithinTheSupervisorsScope()
    {
        await using var h = await Harness.CreateAsync();
        int here, there;
        await using (var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var p62 = new Partner("62", PartnerKind.VictimSupport, "France Victimes 62", "03 21 71 62 00");
            var p59 = new Partner("59", PartnerKind.VictimSupport, "France Victimes 59", "03 20 00 59 00");
            db.Partners.AddRange(p62, p59);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            (here, there) = (p62.Id, p59.Id);
        }

        var a = await h.CaseAwaitingContactAsync("62-a");
        var b = await h.CaseAwaitingContactAsync("62-b");
        var sentA = await h.Workflow.ReferAsync(a, here, consentGiven: true, null, h.OfficerA);
        var sentB = await h.Workflow.ReferAsync(b, here, consentGiven: true, null, h.OfficerA);
        await h.Workflow.ReferAsync(b, here, consentGiven: true, null, h.OfficerA);
        await h.Workflow.UpdateReferralStatusAsync(a, sentA, ReferralStatus.Sent, ReferralStatus.Appointment, h.OfficerA);
        await h.Workflow.UpdateReferralStatusAsync(b, sentB, ReferralStatus.Sent, ReferralStatus.Declined, h.OfficerA2);
        await h.Workflow.UpdateReferralStatusAsync(b, sentB, ReferralStatus.Declined, ReferralStatus.Done, h.OfficerA2);
        // Another département's referral, done: not the 62 supervisor's to count.
        var other = await h.Workflow.OpenAsync("CTC-59", h.Facts("59-a"), h.OfficerB);
        await h.Workflow.ReviewAsync(other, await h.VersionAsync(other), Harness.Findings(), h.OfficerB);
        var sentOther = await h.Workflow.ReferAsync(other, there, consentGiven: true, null, h.OfficerB);
        await h.Workflow.UpdateReferralStatusAsync(other, sentOther, ReferralStatus.Sent, ReferralStatus.Done, h.OfficerB);

        var model = await new SupervisionService(h.Databases, h.Clock).LoadAsync(h.Supervisor, TestContext.Current.CancellationToken);
        var admin = await new SupervisionService(h.Databases, h.Clock).LoadAsync(Harness.Admin, TestContext.Current.CancellationToken);

        Assert.Equal(
            [(ReferralStatus.Sent, 1), (ReferralStatus.VictimContacted, 0), (ReferralStatus.Appointment, 1), (ReferralStatus.Done, 1), (ReferralStatus.Declined, 0)],
            model.Referrals.Select(r => (r.Status, r.Count)));
        Assert.Equal(2, admin.Referrals.Single(r => r.Status == ReferralStatus.Done).Count);
    }
}
