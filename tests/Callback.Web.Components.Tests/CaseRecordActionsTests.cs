using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Partners;
using Callback.Web.Features.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Components.Tests;

/// <summary>The case record's two writes, clicked on a real SQLite file: adding a note and recording a partner's report.</summary>
public sealed class CaseRecordActionsTests : RealDatabaseComponentTest
{
    [Fact]
    public async Task AddingANote_SavesItWithOneAuditEntry_AndEmptiesTheField()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var id = await OpenAsync(ct);
        var context = await CasePageContextAsync(id, ct);
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, context));

        record.Find("[data-testid=note-input] textarea, textarea[data-testid=note-input]").Input("Sa sœur peut l'héberger.");
        await record.Find("[data-testid=note-submit]").ClickAsync(new());

        var read = await Database.Workflow.GetAsync(id, OfficerHere, ct);
        Assert.Equal("Sa sœur peut l'héberger.", Assert.Single(read.Notes).Text);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.AddNote, ct));
        Assert.Equal("", record.Find("[data-testid=note-input] textarea, textarea[data-testid=note-input]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task PressingWhatThePartnerReported_UpdatesTheStatus_WithOneAuditEntry()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var id = await OpenAsync(ct);
        var partner = await PartnerAsync(ct);
        var referral = await Database.Workflow.ReferAsync(id, partner, consentGiven: true, null, OfficerHere, ct);
        var context = await CasePageContextAsync(id, ct);
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, context));

        await record.Find("[data-testid=referral-set-VictimContacted]").ClickAsync(new());

        var read = Assert.Single(await Database.Workflow.ReferralsAsync(id, OfficerHere, ct));
        Assert.Equal((referral, ReferralStatus.VictimContacted, "officer-1"), (read.Referral.Id, read.Referral.Status, read.Referral.StatusActorId));
        Assert.Equal(1, await AuditedAsync(id, AuditActions.ReferralStatus, ct));
    }

    private async Task<Guid> OpenAsync(CancellationToken ct)
    {
        var workflow = Database.Workflow;
        var id = await workflow.OpenAsync("CTC-62", new NewCase("62-2026-000901", TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-3), OffenceCategory.Threats,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), OfficerHere, ct);
        var c = await workflow.GetAsync(id, OfficerHere, ct);
        await workflow.ReviewAsync(id, c.Version, new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), OfficerHere, ct);
        return id;
    }


    private async Task<int> PartnerAsync(CancellationToken ct)
    {
        await using var db = await Database.Databases.CreateDbContextAsync(ct);
        var partner = new Partner("62", PartnerKind.VictimSupport, "France Victimes 62", "03 21 71 62 00");
        db.Partners.Add(partner);
        await db.SaveChangesAsync(ct);
        return partner.Id;
    }

    private async Task<int> AuditedAsync(Guid id, string action, CancellationToken ct)
    {
        await using var db = await Database.Databases.CreateDbContextAsync(ct);
        return await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == action, ct);
    }
}
