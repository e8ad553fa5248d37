using System.Security.Claims;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Web.Components.Tests.Live;

/// <summary>An officer of unit 7 on the probe page, and a broadcaster the test publishes to.</summary>
public abstract class LivePageTest : CallbackComponentTest
{
    protected const int UnitId = 7;

    protected LivePageTest()
    {
        Authorization.SetAuthorized("Officer One");
        Authorization.SetRoles(Domain.Identity.Roles.Officer);
        Authorization.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, "officer-1"),
            new Claim(CallbackClaims.UnitId, UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(CallbackClaims.Departement, "62"));
    }

    protected CaseChangeBroadcaster Changes { get; } = new(NullLogger<CaseChangeBroadcaster>.Instance);

    protected override void AddServices(IServiceCollection services)
    {
        services.AddScoped<CurrentUser>();
        services.AddSingleton(_ => Changes);
    }

    protected static CaseChanged ChangeIn(int unitId) =>
        new(Guid.NewGuid(), unitId, "62", CaseState.PatrolRequested, nameof(CaseTrigger.RequestPatrol), Now);

    /// <summary>Waits until the page has heard <paramref name="count"/> changes: the broadcaster hands them over on the thread pool.</summary>
    protected static async Task HeardAsync(ProbeLivePage page, int count)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (page.Heard < count && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(10, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.Equal(count, page.Heard);
    }
}
