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
}
