using System.Net;
using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Callback.Web.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

public sealed class HeadersAndKeysTests
{
    [Fact]
    public async Task SignedInPages_CarryTheSecurityHeaders_AndAreNeverCached()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = await site.SignedInAsync("officer62");

        using var response = await client.GetAsync(new Uri($"/cases/{site.CaseId}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' ws: wss:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        // The one inline script Blazor writes, the import map, carries this response's nonce.
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"nonce=\"{nonce}\"", body, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, "a case page must not be stored by the browser");
    }

    [Fact]
    public async Task ACookieIssuedBeforeARestart_IsStillAcceptedAfterIt()
    {
        var folder = Directory.CreateTempSubdirectory("callback-restart-").FullName;
        string cookie;
        await using (var before = await SecuredSite.StartAsync(new CallbackFactory(folder)))
        {
            using var client = before.Anonymous();
            var response = await SecuredSite.PostFormAsync(client, "/account/login", "/account/signin", new()
            {
                ["email"] = SecuredSite.Email("officer62"),
                ["password"] = SecuredSite.Password,
                ["returnUrl"] = "/queue",
            });
            cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("callback.auth=", StringComparison.Ordinal)).Split(';')[0];
        }

        await using var after = new CallbackFactory(folder);
        using var fresh = after.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/queue");
        request.Headers.Add("Cookie", cookie);
        using var queue = await fresh.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains("Officier 62", await queue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azertyuiop123")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("Motdepasse123")]
    public async Task CommonPasswords_AreRefused_EvenWhenLongEnough(string password)
    {
        await using var site = await SecuredSite.StartAsync();
        await using var scope = site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => users.CreateAsync("common@test.callback", "Common", password, Roles.Officer, "CTC-62"));

        Assert.Contains("most common", error.Message, StringComparison.Ordinal);
    }
}
