using System.Net;
using Callback.Web.Tests.Security;

namespace Callback.Web.Tests.Hosting;

/// <summary>
/// Issue 16.3: a dispatcher who signed in landed on "/account/denied?ReturnUrl=/queue", whose only link was refused too.
/// Each role now starts on its own page, and a refusal offers the pages the user may open.
/// </summary>
public sealed class LandingTests
{
    [Theory]
    [InlineData("officer62", "queue")]
    [InlineData("dispatcher62", "dispatch")]
    [InlineData("supervisor62", "supervision")]
    [InlineData("admin", "admin")]
    public async Task EachRole_SigningInFromTheSignInPage_LandsOnItsOwnPage_WhichOpens(string account, string home)
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = site.Anonymous();

        // The sign-in page opened directly: no page to go back to.
        var response = await SecuredSite.PostFormAsync(client, "/account/login", "/account/signin", new()
        {
            ["email"] = SecuredSite.Email(account),
            ["password"] = SecuredSite.Password,
        });
        if (response.Headers.Location?.OriginalString.StartsWith("/account/2fa", StringComparison.Ordinal) == true)
        {
            Assert.Equal("/account/2fa?returnUrl=%2F", response.Headers.Location.OriginalString);
            response = await SecuredSite.PostFormAsync(client, response.Headers.Location.OriginalString, "/account/2fa", new()
            {
                ["code"] = Totp.Code(SecuredSite.AuthenticatorKey, TimeProvider.System.GetUtcNow()),
                ["returnUrl"] = "/",
            });
        }

        Assert.Equal("/", response.Headers.Location?.OriginalString);
        using var landing = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, landing.StatusCode);
        Assert.Equal(home, landing.Headers.Location?.OriginalString.Split('/').Last());
        using var page = await client.GetAsync(new Uri("/" + home, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task ADispatcherRefusedTheQueue_IsOfferedTheBoard_AndNotTheQueueAgain()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = await site.SignedInAsync("dispatcher62");

        using var refused = await client.GetAsync(new Uri("/queue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var denied = await client.GetStringAsync(refused.Headers.Location);

        Assert.Contains("Pages que vous pouvez ouvrir", denied, StringComparison.Ordinal);
        Assert.Contains("href=\"dispatch\"", denied, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"queue\"", denied, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"supervision\"", denied, StringComparison.Ordinal);
    }
}
