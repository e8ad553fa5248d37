using Callback.Web.Components.Layout;

namespace Callback.Web.Components.Tests;

public class JobStoreBannerTests : CallbackComponentTest
{
    [Theory]
    [InlineData(Domain.Identity.Roles.Supervisor)]
    [InlineData(Domain.Identity.Roles.Admin)]
    [InlineData(Domain.Identity.Roles.Dispatcher)]
    public void WhileTheJobStoreFails_SupervisorsAdminsAndDispatchersSeeTheBanner_UntilItAnswersAgain(string role)
    {
        Authorization.SetAuthorized("someone").SetRoles(role);
        var banner = Render<JobStoreBanner>();
        Assert.Empty(banner.FindAll("[data-testid=job-store-banner]"));

        JobStore.ReportFailure(new TimeoutException());
        banner.WaitForAssertion(() => Assert.Contains("ne répond plus", banner.Find("[data-testid=job-store-banner]").TextContent, StringComparison.Ordinal));

        Clock.Advance(TimeSpan.FromSeconds(10));
        JobStore.ReportSuccess();
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid=job-store-banner]")));
    }

    [Fact]
    public void Officers_DoNotSeeTheBanner()
    {
        Authorization.SetAuthorized("someone").SetRoles(Domain.Identity.Roles.Officer);
        JobStore.ReportFailure(new TimeoutException());

        var banner = Render<JobStoreBanner>();

        Assert.Empty(banner.FindAll("[data-testid=job-store-banner]"));
    }
}
