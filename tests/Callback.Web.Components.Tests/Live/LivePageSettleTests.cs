using Callback.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Callback.Web.Components.Tests.Live;

/// <summary>
/// Issue 20.5: a page that hears of a change reads again a moment later, on the page's clock, so that the officer who
/// acted is answered before the queues of her whole unit read; what is heard meanwhile is in the same read.
/// </summary>
public sealed class LivePageSettleTests : LivePageTest
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddSingleton(Options.Create(new LiveOptions { ChangeSettleDelay = Settle }));
    }

    [Fact]
    public async Task ChangesHeard_AreReadOnce_WhenTheSettleDelayHasPassed_NotBefore()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));

        for (var i = 0; i < 20; i++)
        {
            Changes.Publish(ChangeIn(UnitId));
        }

        await HeardAsync(page.Instance, 20);
        Clock.Advance(Settle - TimeSpan.FromMilliseconds(1));
        page.WaitForState(() => true);
        Assert.Equal(1, page.Instance.Reads);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=reads]").TextContent));

        // Nothing was left over for another read.
        Clock.Advance(Settle);
        page.WaitForState(() => true);
        Assert.Equal(2, page.Instance.Reads);
    }

    [Fact]
    public async Task HerOwnAction_IsReadAtOnce_WhileTheChangeOthersCausedWaits()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        Changes.Publish(ChangeIn(UnitId));
        await HeardAsync(page.Instance, 1);

        page.Find("[data-testid=act-ok]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.Instance.Reads));
        Clock.Advance(Settle);
        page.WaitForAssertion(() => Assert.Equal(3, page.Instance.Reads));
    }

    [Fact]
    public async Task APageGoneWhileItWaits_ReadsNothing()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        var probe = page.Instance;
        Changes.Publish(ChangeIn(UnitId));
        await HeardAsync(probe, 1);

        await DisposeComponentsAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, probe.Reads);
    }
}
