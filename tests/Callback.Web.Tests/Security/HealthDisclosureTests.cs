using System.Net;
using System.Text.Json;
using Callback.Web.Tests.Hosting;

namespace Callback.Web.Tests.Security;

/// <summary>
/// /health told anyone how many units the service holds, how many job servers run and how late the deadlines are:
/// an outsider gets the status only, an Admin (or a probe on the host, Hosting/HostTests) the checks.
/// </summary>
public class HealthDisclosureTests
{
    private static readonly IPAddress Outsider = IPAddress.Parse("203.0.113.9");

    [Fact]
    public async Task AnonymousCallerFromElsewhere_GetsTheStatusOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b => FixedRemoteAddress.From(b, Outsider)));
        using var client = site.Anonymous();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body);
        Assert.DoesNotContain("unit", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("server", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AdminFromElsewhere_GetsTheChecks_AndAnotherRoleDoesNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b => FixedRemoteAddress.From(b, Outsider)));
        using var admin = await site.SignedInAsync("admin");
        using var supervisor = await site.SignedInAsync("supervisor62");

        using var adminResponse = await admin.GetAsync(new Uri("/health", UriKind.Relative), ct);
        using var json = JsonDocument.Parse(await adminResponse.Content.ReadAsStringAsync(ct));
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("units", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);

        using var supervisorResponse = await supervisor.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal("Healthy", await supervisorResponse.Content.ReadAsStringAsync(ct));
    }
}
