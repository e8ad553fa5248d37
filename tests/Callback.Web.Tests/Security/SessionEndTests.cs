using System.Net;
using System.Reflection;
using System.Security.Claims;
using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Callback.Web.Security;
using Callback.Web.Tests.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>Issue 14, finding 6: sign-out ends the session on the server, and an Admin can end all of a user's sessions.</summary>
public sealed class SessionEndTests
{
    private const string CookieName = "callback.auth";

    /// <summary>A client whose cookies the test can read, signed in as <paramref name="account"/>; returns the sign-in cookie's value.</summary>
    private static async Task<(HttpClient Client, string Cookie)> SignInAsync(CallbackFactory factory, string account)
    {
        var jar = new CookieContainer();
        var client = factory.CreateDefaultClient(new CookieContainerHandler(jar));
        var response = await SecuredSite.PasswordStepAsync(client, account);
        Assert.Equal("/queue", response.Headers.Location?.OriginalString);
        var cookie = jar.GetCookies(client.BaseAddress!)[CookieName]?.Value;
        Assert.False(string.IsNullOrEmpty(cookie), "signing in must set the cookie");
        return (client, cookie);
    }

    /// <summary>A bare request carrying only <paramref name="cookie"/>, as a thief holding a copy of it would send.</summary>
    private static async Task<HttpResponseMessage> WithCookieAsync(CallbackFactory factory, string cookie, string path = "/queue")
    {
        using var client = factory.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        return await client.SendAsync(request);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response) =>
        Assert.StartsWith("/account/login", response.Headers.Location?.IsAbsoluteUri == true ? response.Headers.Location.PathAndQuery : response.Headers.Location?.OriginalString,
            StringComparison.Ordinal);

    [Fact]
    public async Task OldCookie_AfterSignOut_IsRefused()
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, cookie) = await SignInAsync(site.Factory, "officer62");
        using var _ = client;

        var before = await WithCookieAsync(site.Factory, cookie);
        var logout = await SecuredSite.PostFormAsync(client, "/queue", "/account/logout", []);
        var after = await WithCookieAsync(site.Factory, cookie);
        var page = await WithCookieAsync(site.Factory, cookie, $"/cases/{site.CaseId}");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("/account/login", logout.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        AssertSentToSignIn(after);
        AssertSentToSignIn(page);
        Assert.Single(await site.AuditAsync("SignOut"));
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEverySessionOfTheUser_OnlyTheirs_AndIsAudited()
    {
        await using var site = await SecuredSite.StartAsync();
        var (first, firstCookie) = await SignInAsync(site.Factory, "officer62");
        var (second, secondCookie) = await SignInAsync(site.Factory, "officer62");
        var (other, otherCookie) = await SignInAsync(site.Factory, "dispatcher62");
        using var a = first;
        using var b = second;
        using var c = other;
        var officer = await site.UserIdAsync("officer62");
        var admin = await site.UserIdAsync("admin");

        await using var scope = site.Services.CreateAsyncScope();
        var signIns = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var adminActor = CurrentUser.FromPrincipal(await signIns.CreateUserPrincipalAsync((await signIns.UserManager.FindByIdAsync(admin))!));

        var ended = await scope.ServiceProvider.GetRequiredService<UserAccess>().SignOutEverywhereAsync(adminActor, officer);

        Assert.Equal(2, ended);
        AssertSentToSignIn(await WithCookieAsync(site.Factory, firstCookie));
        AssertSentToSignIn(await WithCookieAsync(site.Factory, secondCookie));
        var others = await WithCookieAsync(site.Factory, otherCookie, "/dispatch");
        Assert.True(HttpStatusCode.OK == others.StatusCode, $"{others.StatusCode} {others.Headers.Location}");
        Assert.Contains(await site.AuditAsync("SignOutEverywhere"), e => e.Actor == admin && e.Reason!.Contains(officer, StringComparison.Ordinal));
        // Signing in again opens a new session.
        var (again, _) = await SignInAsync(site.Factory, "officer62");
        using var d = again;
        var queue = await again.GetAsync(new Uri("/queue", UriKind.Relative));
        Assert.True(HttpStatusCode.OK == queue.StatusCode, $"{queue.StatusCode} {queue.Headers.Location}");
    }

    [Fact]
    public async Task OpenCircuit_IsClosedAtOnce_WhenItsSessionEnds_AndFailsItsRevalidation()
    {
        await using var site = await SecuredSite.StartAsync();
        var officer = await site.UserIdAsync("officer62");
        var sessions = site.Services.GetRequiredService<SessionRevocation>();
        await using var scope = site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        // The principal an open circuit holds: the one the cookie carried when the page opened, with its session.
        var principal = await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(officer))!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionRevocation.Claim, await sessions.BeginAsync(officer)));
        var state = new AuthenticationState(principal);
        var provider = (RevalidatingIdentityStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        provider.SetAuthenticationState(Task.FromResult(state));

        var validBefore = await RevalidateAsync(provider, state);
        await sessions.EndAsync(officer, principal.FindFirstValue(SessionRevocation.Claim)!);
        var now = await provider.GetAuthenticationStateAsync();
        var validAfter = await RevalidateAsync(provider, state);

        Assert.True(validBefore);
        Assert.False(now.User.Identity?.IsAuthenticated);
        Assert.False(validAfter);
    }

    /// <summary>Two nodes on one PostgreSQL database: a cookie signed out on one is refused by the other.</summary>
    [Fact]
    public async Task OldCookie_SignedOutOnOneNode_IsRefusedByTheOther_OnPostgres()
    {
        await TestPostgres.WithDatabaseAsync(async connectionString =>
        {
            void OnPostgres(IWebHostBuilder b)
            {
                b.UseSetting("Database:Provider", "Postgres");
                b.UseSetting("ConnectionStrings:Callback", connectionString);
            }

            await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: OnPostgres));
            // The same installation's second node: the same database and the same key ring.
            await using var nodeB = new CallbackFactory(site.Factory.Folder, OnPostgres);
            var (client, cookie) = await SignInAsync(site.Factory, "officer62");
            using var _ = client;

            var beforeOnB = await WithCookieAsync(nodeB, cookie);
            await SecuredSite.PostFormAsync(client, "/queue", "/account/logout", []);
            var afterOnB = await WithCookieAsync(nodeB, cookie);

            Assert.Equal(HttpStatusCode.OK, beforeOnB.StatusCode);
            AssertSentToSignIn(afterOnB);
        });
    }

    /// <summary>The check the provider's timer runs every <see cref="IdentitySetup.Revalidation"/> on every open circuit.</summary>
    private static async Task<bool> RevalidateAsync(RevalidatingIdentityStateProvider provider, AuthenticationState state)
    {
        var check = typeof(RevalidatingIdentityStateProvider).GetMethod("ValidateAuthenticationStateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return await (Task<bool>)check.Invoke(provider, [state, CancellationToken.None])!;
    }
}
