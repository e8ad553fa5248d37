using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Partners;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Tests.Workflow;

/// <summary>What the case page writes besides transitions: officers' notes and the status partners report for a referral.</summary>
public class NotesAndReferralStatusTests
{
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AddNote_KeepsTheNote_AndWritesOneAuditEntry(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var before = await h.AuditAsync(id);

        await h.Workflow.AddNoteAsync(id, await h.VersionAsync(id), "  Voisine jointe : rappeler après 18 h. ", h.OfficerA2);

        var entry = Assert.Single((await h.AuditAsync(id)).Skip(before.Count));
        Assert.Equal((AuditActions.AddNote, "officer-a2"), (entry.Action, entry.Actor));
        Assert.Null(entry.Reason); // the note's words stay in the case, never in the chain
        var note = Assert.Single((await h.Workflow.GetAsync(id, h.OfficerA)).Notes);
        Assert.Equal(("Voisine jointe : rappeler après 18 h.", "officer-a2", h.Now), (note.Text, note.ActorId, note.AtUtc));
    }

    [Fact]
    public async Task AddNote_OutsideTheOfficersUnit_IsRefusedAndAudited_AndNothingIsKept()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();

        await Assert.ThrowsAsync<CaseAccessDeniedException>(() => h.Workflow.AddNoteAsync(id, 2, "curious", h.OfficerB));

        Assert.Equal(AuditActions.AccessDenied, (await h.AuditAsync(id))[^1].Action);
        Assert.Empty((await h.Workflow.GetAsync(id, h.OfficerA)).Notes);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task UpdateReferralStatus_RecordsWhatThePartnerReported_WithOneAuditEntry(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var (id, referral) = await ReferredCaseAsync(h);
        var before = await h.AuditAsync(id);
        h.Clock.Advance(TimeSpan.FromDays(2));

        await h.Workflow.UpdateReferralStatusAsync(id, referral, ReferralStatus.Sent, ReferralStatus.Appointment, h.OfficerA2);

        var entry = Assert.Single((await h.AuditAsync(id)).Skip(before.Count));
        Assert.Equal((AuditActions.ReferralStatus, "officer-a2", $"referral {referral}: Sent -> Appointment"), (entry.Action, entry.Actor, entry.Reason));
        var read = Assert.Single(await h.Workflow.ReferralsAsync(id, h.OfficerA));
        Assert.Equal((ReferralStatus.Appointment, h.Now, "officer-a2"), (read.Referral.Status, read.Referral.StatusAtUtc, read.Referral.StatusActorId));
        Assert.Equal("France Victimes 62", read.PartnerName);
        Assert.Contains(h.Notifier.Changes, c => c.CaseId == id && c.Action == AuditActions.ReferralStatus);
    }

    [Fact]
    public async Task UpdateReferralStatus_OnAStatusAColleagueChangedMeanwhile_IsAConflict_AndKeepsTheirs()
    {
        await using var h = await Harness.CreateAsync();
        var (id, referral) = await ReferredCaseAsync(h);
        await h.Workflow.UpdateReferralStatusAsync(id, referral, ReferralStatus.Sent, ReferralStatus.VictimContacted, h.OfficerA);
        var audited = (await h.AuditAsync(id)).Count;

        // The second officer's page still shows "sent".
        await Assert.ThrowsAsync<CaseConflictException>(() =>
            h.Workflow.UpdateReferralStatusAsync(id, referral, ReferralStatus.Sent, ReferralStatus.Declined, h.OfficerA2));

        Assert.Equal(ReferralStatus.VictimContacted, (await h.Workflow.ReferralsAsync(id, h.OfficerA))[0].Referral.Status);
        Assert.Equal(audited, (await h.AuditAsync(id)).Count);
    }

    [Fact]
    public async Task UpdateReferralStatus_OutsideScope_IsRefusedAndAudited_AndByADispatcher_IsForbidden()
    {
        await using var h = await Harness.CreateAsync();
        var (id, referral) = await ReferredCaseAsync(h);

        await Assert.ThrowsAsync<CaseAccessDeniedException>(() =>
            h.Workflow.UpdateReferralStatusAsync(id, referral, ReferralStatus.Sent, ReferralStatus.Done, h.OfficerB));
        Assert.Equal(AuditActions.AccessDenied, (await h.AuditAsync(id))[^1].Action);
        await Assert.ThrowsAsync<ActionForbiddenException>(() =>
            h.Workflow.UpdateReferralStatusAsync(id, referral, ReferralStatus.Sent, ReferralStatus.Done, h.Dispatcher));
        await Assert.ThrowsAsync<CaseAccessDeniedException>(() => h.Workflow.ReferralsAsync(id, h.OfficerB));

        Assert.Equal(ReferralStatus.Sent, (await h.Workflow.ReferralsAsync(id, h.OfficerA))[0].Referral.Status);
        Assert.DoesNotContain(await h.AuditAsync(id), e => e.Action == AuditActions.ReferralStatus);
    }

    [Fact]
    public async Task UpdateReferralStatus_OfAnotherCasesReferral_IsRefused()
    {
        await using var h = await Harness.CreateAsync();
        var (_, referral) = await ReferredCaseAsync(h);
        var other = await h.CaseAwaitingContactAsync("62-2026-000002");

        await Assert.ThrowsAsync<CaseRuleException>(() =>
            h.Workflow.UpdateReferralStatusAsync(other, referral, ReferralStatus.Sent, ReferralStatus.Done, h.OfficerA));

        Assert.DoesNotContain(await h.AuditAsync(), e => e.Action == AuditActions.ReferralStatus);
    }

    private static async Task<(Guid CaseId, long ReferralId)> ReferredCaseAsync(Harness h)
    {
        var id = await h.CaseAwaitingContactAsync();
        int partner;
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            var p = new Partner("62", PartnerKind.VictimSupport, "France Victimes 62", "03 21 71 62 00");
            db.Partners.Add(p);
            await db.SaveChangesAsync();
            partner = p.Id;
        }

        var referral = await h.Workflow.ReferAsync(id, partner, consentGiven: true, null, h.OfficerA);
        await using var check = await h.Databases.CreateDbContextAsync();
        Assert.Equal(ReferralStatus.Sent, (await check.Referrals.SingleAsync(r => r.Id == referral)).Status);
        return (id, referral);
    }
}
