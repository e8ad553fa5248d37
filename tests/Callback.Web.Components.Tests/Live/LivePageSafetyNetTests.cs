using Callback.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Callback.Web.Components.Tests.Live;

/// <summary>
/// Issue 20.5: each page reads at its own second of the 30, so that pages opened together do not read together for the
/// rest of the day.
/// </summary>
public sealed class LivePageSafetyNetTests : LivePageTest
{
    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddSingleton(Options.Create(new LiveOptions { ChangeSettleDelay = TimeSpan.Zero, FirstSafetyNetRead = 7 }));
    }

    [Fact]
    public void TheSafetyNetRead_ComesAtThePagesOwnTick_ThenEveryThirtySeconds()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));

        for (var second = 1; second <= 37; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            page.WaitForAssertion(() => Assert.Equal($"09:00:{second:00}", page.Find("[data-testid=now]").TextContent));
            Assert.Equal(second < 7 ? 1 : second < 37 ? 2 : 3, page.Instance.Reads);
        }
    }

    [Fact]
    public void EachPage_DrawsItsOwnTick_AmongTheThirty()
    {
        var drawn = Enumerable.Range(0, 3000).Select(_ => LivePage.DrawFirstReadTick()).ToList();

        Assert.All(drawn, tick => Assert.InRange(tick, 1, 30));
        Assert.Equal(30, drawn.Distinct().Count());
    }

    [Fact]
    public void AFixedTick_OutsideTheThirty_IsRefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LiveOptions { FirstSafetyNetRead = 31 }.Validate());

        Assert.Contains("Live:FirstSafetyNetRead", error.Message, StringComparison.Ordinal);
    }
}
