using System.Net;
using System.Text.RegularExpressions;
using Callback.Web.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>
/// Behind nginx terminating TLS (docs/deploy.md), the app is reached over http; the sign-in cookie must still be marked
/// Secure, which it can only be if the app believes the proxy's X-Forwarded-Proto, and only the proxy's.
/// </summary>
public partial class ForwardedHeadersTests
{
    private const string Proxy = "10.0.0.5";

    /// <summary>The in-memory server has no connection address: the test says where each request comes from.</summary>
    internal sealed class RemoteAddressFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Remote", out var remote))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    [Fact]
    public async Task SignInCookie_IsSecure_BehindATrustedProxyTerminatingTls_AndNoOneElseCanClaimHttps()
    {
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b =>
        {
            b.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
            b.ConfigureServices(s => s.AddTransient<IStartupFilter, RemoteAddressFromTestHeader>());
        }));

        Assert.Contains("secure", await SignInCookieAsync(site, from: Proxy, proto: "https"), StringComparison.OrdinalIgnoreCase);
        // nginx on the same host as the node.
        Assert.Contains("secure", await SignInCookieAsync(site, from: "127.0.0.1", proto: "https"), StringComparison.OrdinalIgnoreCase);
        // The same header from an address that is not a proxy is not believed, nor plain http through the proxy.
        Assert.DoesNotContain("secure", await SignInCookieAsync(site, from: "203.0.113.9", proto: "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(site, from: Proxy, proto: "http"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AProxyThatIsNotAnAddress_StopsTheStart_SayingWhichSettingAndValue()
    {
        await using var factory = new CallbackFactory(configure: b => b.UseSetting("ForwardedHeaders:KnownProxies:0", "nginx.local"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("ForwardedHeaders:KnownProxies: 'nginx.local' is not an IP address.", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Signs in through the form as the proxy would relay it; cookies carried by hand, as a Secure cookie would not be over http.</summary>
    private static async Task<string> SignInCookieAsync(SecuredSite site, string from, string proto)
    {
        using var client = site.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Test-Remote", from);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);

        using var form = await client.GetAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken);
        var token = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Groups[1].Value;
        var cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/signin", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["email"] = SecuredSite.Email("officer62"),
                ["password"] = SecuredSite.Password,
                ["returnUrl"] = "/queue",
            }),
        };
        post.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(post, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/queue", response.Headers.Location?.OriginalString);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("callback.auth=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
