using System.Net;
using Callback.Domain.Access;
using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

/// <summary>Who reaches the dispatch board, the dashboard, its exports and the job dashboard, signed in through the real form.</summary>
public sealed partial class SignInTests
{
    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}62@test.callback";
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, $"{role} 62", Password, role, "CTC-62");
            if (role is Roles.Supervisor or Roles.Admin)
            {
                // Two-factor is required of these roles (docs/security.md): enrol them as the form would.
                await scope.ServiceProvider.GetRequiredService<Web.Security.TwoFactorEnrolment>().EnrolAsync(user, Security.SecuredSite.AuthenticatorKey);
            }
        }

        var client = Client();
        var response = await SignInAsync(client, email, Password);
        if (response.Headers.Location?.OriginalString.StartsWith("/account/2fa", StringComparison.Ordinal) == true)
        {
            await Security.SecuredSite.PostFormAsync(client, response.Headers.Location.OriginalString, "/account/2fa", new()
            {
                ["code"] = Security.Totp.Code(Security.SecuredSite.AuthenticatorKey, TimeProvider.System.GetUtcNow()),
                ["returnUrl"] = "/queue",
            });
        }

        return client;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Roles.Dispatcher, "/dispatch", true)]
    [InlineData(Roles.Dispatcher, "/supervision", false)]
    [InlineData(Roles.Dispatcher, "/supervision/export.csv", false)]
    [InlineData(Roles.Dispatcher, "/hangfire", false)]
    [InlineData(Roles.Supervisor, "/dispatch", true)]
    [InlineData(Roles.Supervisor, "/supervision", true)]
    [InlineData(Roles.Supervisor, "/supervision/export.csv", true)]
    public async Task Pages_AndExports_OpenOnlyToTheirRoles(string role, string path, bool allowed)
    {
        // This table is written by hand; the permission map must say the same, or one of them is wrong.
        Assert.Equal(allowed, Permissions.RolesFor(FeatureOf(path)).Contains(role));
        using var client = await SignedInAsync(role);

        var (status, body) = await GetAsync(client, path);

        Assert.Equal(allowed, status == HttpStatusCode.OK);
        if (!allowed)
        {
            Assert.DoesNotContain("data-testid=\"dispatch-board\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("indicator,period", body, StringComparison.Ordinal);
        }
    }

    private static Feature FeatureOf(string path) => path switch
    {
        "/dispatch" => Feature.Dispatch,
        "/hangfire" => Feature.JobDashboard,
        _ when path.StartsWith("/supervision", StringComparison.Ordinal) => Feature.Supervision,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "no feature for this path"),
    };

    [Theory]
    [InlineData("/dispatch")]
    [InlineData("/supervision")]
    [InlineData("/supervision/export.xlsx")]
    [InlineData("/hangfire")]
    public async Task AnOfficer_ReachesNeitherTheBoard_NorTheDashboard_NorTheJobDashboard(string path)
    {
        Assert.DoesNotContain(Roles.Officer, Permissions.RolesFor(FeatureOf(path)));
        using var client = Client();
        await SignInAsync(client, "officer62@test.callback", Password);

        var (status, _) = await GetAsync(client, path);

        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ReassignChoices_AreTheEnabledOfficersOfTheSupervisorsDepartement()
    {
        using var _ = await SignedInAsync(Roles.Dispatcher);
        var supervision = _factory.Services.GetRequiredService<Features.Supervision.SupervisionService>();

        var for62 = await supervision.OfficersAsync(Domain.Workflow.Actor.User("s62", null, "62", Roles.Supervisor));
        var forAdmin = await supervision.OfficersAsync(Domain.Workflow.Actor.User("admin", null, null, Roles.Admin));

        Assert.Equal(["Officier 62"], for62.Select(o => o.Name));
        Assert.Equal(["Officier 59", "Officier 62"], forAdmin.Select(o => o.Name));
    }
}
