using Callback.Domain.Cases;
using Callback.Domain.Partners;

namespace Callback.Domain.Tests.Partners;

public class ReferralTests
{
    private static readonly Guid CaseId = Guid.CreateVersion7();
    private static readonly DateTime Now = new(2026, 3, 3, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ReferralWithoutConsent_IsRefused()
    {
        var error = Assert.Throws<CaseRuleException>(() => Referral.Record(CaseId, Association(), consentGiven: false, "officer-1", Now));

        Assert.Contains("consent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferralWithConsent_RecordsWhoReferredWhomWhen()
    {
        var referral = Referral.Record(CaseId, Association(), consentGiven: true, "officer-1", Now, "  rappel souhaité le matin ");

        Assert.True(referral.ConsentGiven);
        Assert.Equal(CaseId, referral.CaseId);
        Assert.Equal("officer-1", referral.ActorId);
        Assert.Equal(Now, referral.AtUtc);
        Assert.Equal("rappel souhaité le matin", referral.Note);
    }

    [Fact]
    public void ReferralToAnInactivePartner_IsRefused()
    {
        var partner = Association();
        partner.Deactivate();

        Assert.Throws<CaseRuleException>(() => Referral.Record(CaseId, partner, consentGiven: true, "officer-1", Now));
    }

    [Fact]
    public void UpdateStatus_RecordsWhoAndWhen_AndReturnsTheStatusItReplaced()
    {
        var referral = Referral.Record(CaseId, Association(), consentGiven: true, "officer-1", Now);
        Assert.Equal((ReferralStatus.Sent, null, null), (referral.Status, referral.StatusAtUtc, referral.StatusActorId));

        var before = referral.UpdateStatus(ReferralStatus.Declined, "officer-2", Now.AddDays(1));
        var again = referral.UpdateStatus(ReferralStatus.Appointment, "officer-1", Now.AddDays(3));

        Assert.Equal((ReferralStatus.Sent, ReferralStatus.Declined), (before, again));
        Assert.Equal((ReferralStatus.Appointment, Now.AddDays(3), "officer-1"), (referral.Status, referral.StatusAtUtc, referral.StatusActorId));
    }

    [Fact]
    public void UpdateStatus_ToTheCurrentStatus_IsRefused()
    {
        var referral = Referral.Record(CaseId, Association(), consentGiven: true, "officer-1", Now);

        Assert.Throws<CaseRuleException>(() => referral.UpdateStatus(ReferralStatus.Sent, "officer-1", Now));
        Assert.Null(referral.StatusAtUtc);
    }

    private static Partner Association() => new("974", PartnerKind.Lawyer, "France Victimes 974 – juristes", "01 99 00 97 42");
}
