using Callback.Domain.Cases;
using Callback.Web.Features.Cases;
using Callback.Web.Features.Queue;
using Callback.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Components.Tests;

public sealed class CaseHeaderTests : CallbackComponentTest
{
    [Fact]
    public void Countdown_MovesWithTheInjectedClock()
    {
        // Not cohabiting: that would make the contact due at once, hours ago, and an overdue countdown moves by the hour.
        var subject = CaseIn(CaseState.AwaitingContact, cohabiting: TriState.No);
        Assert.NotNull(subject.DueAtUtc);
        var header = Render<CaseHeader>(p => p.Add(x => x.Model, ContextFor(subject, Officer)));
        var before = header.Find("[data-testid=case-countdown]").TextContent;

        // Beyond the hour a countdown moves once a minute: a minute on the fake clock must show.
        Clock.Advance(TimeSpan.FromMinutes(1));

        header.WaitForAssertion(() => Assert.NotEqual(before, header.Find("[data-testid=case-countdown]").TextContent));
        var expected = Countdown.Format(subject.DueAtUtc, Now.AddMinutes(1), Services.GetRequiredService<IStringLocalizer<Text>>());
        Assert.Contains(expected, header.Find("[data-testid=case-countdown]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclinedFollowUpInHighDanger_TellsEveryReaderThatASupervisorDecides()
    {
        var subject = CaseIn(CaseState.AwaitingContact, cohabiting: TriState.No);
        subject.RaiseDanger(DangerLevel.High, "menaces", Now.AddHours(-2), Policy);
        subject.RecordContact(new ContactReport(false, DangerLevel.High, false, null) { Then = AfterContact.Declined }, "officer-1", Now.AddHours(-1), Policy);
        Assert.Equal(CaseState.FollowUp, subject.State);

        var header = Render<CaseHeader>(p => p.Add(x => x.Model, ContextFor(subject, Officer)));

        Assert.StartsWith("Elle a refusé le suivi le 03/03/2026 09:00", header.Find("[data-testid=declined-awaiting-supervisor]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFollowUpSheAccepted_ShowsItsNextCheckIn_AndNoSuchWarning()
    {
        var header = Render<CaseHeader>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.FollowUp, cohabiting: TriState.No), Officer)));

        Assert.Empty(header.FindAll("[data-testid=declined-awaiting-supervisor]"));
        Assert.Contains("point de suivi n° 1", header.Find("[data-testid=next-check-in]").TextContent, StringComparison.Ordinal);
    }
}
