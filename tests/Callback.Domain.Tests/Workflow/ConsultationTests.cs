using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;

namespace Callback.Domain.Tests.Workflow;

/// <summary>The consultation rule: who read which personal data, traced without flooding the log.</summary>
public class ConsultationTests
{
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task ABlueCase_OpenedThreeTimesAWindowApart_WritesThreeConsultations_AndThreeTimesWithinOne_WritesOne(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await BlueCaseAsync(h);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await h.Workflow.ConsultAsync(id, h.OfficerA));
            h.Clock.Advance(h.Options.ConsultationWindow + TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, await CountAsync(h, id, AuditActions.Consult));

        // Pre-render, live render, a reload on a colleague's change: one reading.
        for (var i = 0; i < 3; i++)
        {
            await h.Workflow.ConsultAsync(id, h.OfficerA);
            h.Clock.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(4, await CountAsync(h, id, AuditActions.Consult));

        // Another reader is another line.
        await h.Workflow.ConsultAsync(id, h.OfficerA2);
        var entries = (await h.AuditAsync(id)).Where(e => e.Action == AuditActions.Consult).ToList();
        Assert.Equal(5, entries.Count);
        Assert.Equal("officer-a2", entries[^1].Actor);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task AnOrangeCase_AsksAReasonOncePerReaderPerCasePerDay_AndAuditsEveryOpening(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        var id = await h.CaseAwaitingContactAsync();
        var before = (await h.AuditAsync(id)).Count;

        // Before any reason: hidden, and nothing was read, so nothing is written.
        Assert.False(await h.Workflow.ConsultAsync(id, h.OfficerA));
        Assert.Equal(before, (await h.AuditAsync(id)).Count);

        await h.Workflow.RevealIdentityAsync(id, "calling her back about the hearing", h.OfficerA);
        for (var i = 0; i < 3; i++)
        {
            h.Clock.Advance(h.Options.ConsultationWindow + TimeSpan.FromSeconds(1));
            Assert.True(await h.Workflow.ConsultAsync(id, h.OfficerA));
        }

        var opening = Assert.Single(await h.AuditAsync(id), e => e.Action == AuditActions.OpenIdentity);
        var again = (await h.AuditAsync(id)).Where(e => e.Action == AuditActions.OpenIdentityAgain).ToList();
        Assert.Equal(3, again.Count);
        Assert.All(again, e => Assert.Equal($"reason of entry {opening.Sequence}", e.Reason));

        // The reason is this reader's: a colleague still has to give one.
        Assert.False(await h.Workflow.ConsultAsync(id, h.OfficerA2));

        // A day later the reason has lapsed: asked again, nothing written.
        h.Clock.Advance(h.Options.IdentityReasonValidFor);
        var count = (await h.AuditAsync(id)).Count;
        Assert.False(await h.Workflow.ConsultAsync(id, h.OfficerA));
        Assert.Equal(count, (await h.AuditAsync(id)).Count);
    }

    [Fact]
    public async Task TheReasonsLifetime_IsConfigurable()
    {
        await using var h = await Harness.CreateAsync(o => o.IdentityReasonValidFor = TimeSpan.FromHours(1));
        var id = await h.CaseAwaitingContactAsync();
        await h.Workflow.RevealIdentityAsync(id, "hearing", h.OfficerA);

        h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(await h.Workflow.ConsultAsync(id, h.OfficerA));
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await h.Workflow.ConsultAsync(id, h.OfficerA));
    }

    [Fact]
    public async Task AConsultationOutsideTheScope_IsRefusedAndAudited_AndTracesNoReading()
    {
        await using var h = await Harness.CreateAsync();
        var id = await BlueCaseAsync(h);

        await Assert.ThrowsAsync<CaseAccessDeniedException>(() => h.Workflow.ConsultAsync(id, h.OfficerB));

        var entries = await h.AuditAsync(id);
        Assert.Single(entries, e => e.Action == AuditActions.AccessDenied && e.Actor == "officer-b");
        Assert.DoesNotContain(entries, e => e.Action == AuditActions.Consult);
    }

    [Fact]
    public async Task EveryPrint_IsAudited_AndAnOrangePrintShowsTheIdentityOnlyAfterAReason()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();

        var masked = await h.Workflow.PrintAsync(id, PrintView.Briefing, h.OfficerA);
        var again = await h.Workflow.PrintAsync(id, PrintView.Briefing, h.OfficerA);
        await h.Workflow.RevealIdentityAsync(id, "patrol tonight", h.OfficerA);
        var shown = await h.Workflow.PrintAsync(id, PrintView.ProsecutorSummary, h.OfficerA);

        Assert.False(masked.IdentityShown);
        Assert.False(again.IdentityShown);
        Assert.True(shown.IdentityShown);
        var prints = (await h.AuditAsync(id)).Where(e => e.Action == AuditActions.Print).Select(e => e.Reason).ToList();
        Assert.Equal(["Briefing, identity masked", "Briefing, identity masked", "ProsecutorSummary, identity shown"], prints);
        // The summary's chronology is the case's audit trail up to the print, the chain's hashes with it.
        Assert.Equal(AuditActions.OpenIdentity, shown.Timeline[^1].Action);
        Assert.Equal(64, shown.Timeline[^1].Hash.Length);
    }

    [Fact]
    public async Task CorrectingTheSafeContact_IsAudited_WithTheFieldsNamed_NeverTheValues()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        var safe = new SafeContact("07 11 22 33 44", new TimeOnly(18, 0), new TimeOnly(21, 0), "Indian/Reunion", ContactChannel.ThirdParty, NoVoicemail: true, CodeWord: "Tournesol");

        await h.Workflow.UpdateSafeContactAsync(id, await h.VersionAsync(id), safe, h.OfficerA);

        var stored = (await h.LoadAsync(id)).Victim.SafeContact;
        Assert.Equal("07 11 22 33 44", stored.SafePhone);
        Assert.Equal(ContactChannel.ThirdParty, stored.Channel);
        Assert.Equal("Indian/Reunion", stored.TimeZoneId);
        var entry = Assert.Single(await h.AuditAsync(id), e => e.Action == AuditActions.UpdateSafeContact);
        Assert.Equal("SafePhone, SafeHours, TimeZoneId, Channel, NoVoicemail, CodeWord", entry.Reason);

        // "She named none" replaces the number and is stored as such.
        await h.Workflow.UpdateSafeContactAsync(id, await h.VersionAsync(id), SafeContact.None with { NoSafeNumberGiven = true }, h.OfficerA);
        stored = (await h.LoadAsync(id)).Victim.SafeContact;
        Assert.Null(stored.SafePhone);
        Assert.True(stored.NoSafeNumberGiven);
    }

    [Theory]
    [InlineData("06 12", "Safe number")]
    [InlineData("06 12 34 56 78 ext", "Safe number")]
    public async Task ASafeNumberThatIsNotOne_IsRefused_NamingTheField(string phone, string field)
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        var version = await h.VersionAsync(id);
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;

        var refused = await Assert.ThrowsAsync<CaseRuleException>(() =>
            h.Workflow.UpdateSafeContactAsync(id, version, SafeContact.None with { SafePhone = phone }, h.OfficerA));

        Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await h.AuditAsync(id), e => e.Action == AuditActions.UpdateSafeContact);
    }

    [Fact]
    public async Task ASafeNumberAndNoneGiven_AreNotBothAccepted_NorHalfTheSafeHours_NorAnUnknownZone()
    {
        await using var h = await Harness.CreateAsync();
        var id = await h.CaseAwaitingContactAsync();
        var version = await h.VersionAsync(id);

        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.UpdateSafeContactAsync(id, version, SafeContact.None with { SafePhone = "0611111111", NoSafeNumberGiven = true }, h.OfficerA));
        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.UpdateSafeContactAsync(id, version, SafeContact.None with { SafeFrom = new TimeOnly(9, 0) }, h.OfficerA));
        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.UpdateSafeContactAsync(id, version, SafeContact.None with { TimeZoneId = "Mars/Olympus" }, h.OfficerA));
    }

    private static async Task<Guid> BlueCaseAsync(Harness h) =>
        await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000500") with { Offence = OffenceCategory.Threats }, h.OfficerA);

    private static async Task<int> CountAsync(Harness h, Guid id, string action) => (await h.AuditAsync(id)).Count(e => e.Action == action);
}
