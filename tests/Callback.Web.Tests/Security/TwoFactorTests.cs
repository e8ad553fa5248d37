using System.Net;
using System.Text.RegularExpressions;

namespace Callback.Web.Tests.Security;

public sealed partial class TwoFactorTests
{
    [Fact]
    public async Task SupervisorWithoutTwoFactor_ReachesNoPage_UntilEnrolled()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = site.Anonymous();
        Assert.Equal("/queue", (await SecuredSite.PasswordStepAsync(client, "supervisor-new")).Headers.Location?.OriginalString);

        var queue = await client.GetAsync(new Uri("/queue", UriKind.Relative));
        var casePage = await client.GetAsync(new Uri($"/cases/{site.CaseId}", UriKind.Relative));
        var setup = await client.GetStringAsync(new Uri("/account/2fa/setup", UriKind.Relative));
        var key = KeyShown().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var wrong = await SecuredSite.PostFormAsync(client, "/account/2fa/setup", "/account/2fa/enable", new() { ["code"] = "000000" });
        var enrolled = await SecuredSite.PostFormAsync(client, "/account/2fa/setup", "/account/2fa/enable", new() { ["code"] = Totp.Code(key, TimeProvider.System.GetUtcNow()) });
        var after = await client.GetAsync(new Uri("/queue", UriKind.Relative));

        Assert.Equal("/account/2fa/setup", queue.Headers.Location?.OriginalString);
        Assert.Equal("/account/2fa/setup", casePage.Headers.Location?.OriginalString);
        Assert.Contains("data-testid=\"two-factor-required\"", setup, StringComparison.Ordinal);
        Assert.Contains("<svg", setup, StringComparison.Ordinal);
        Assert.Equal(32, key.Length);
        Assert.Contains("error=invalid", wrong.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Contains("done=1", enrolled.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var userId = await site.UserIdAsync("supervisor-new");
        Assert.Contains(await site.AuditAsync("TwoFactorEnabled"), e => e.Actor == userId);
        Assert.Contains(await site.AuditAsync("TwoFactorFailed"), e => e.Actor == userId);
    }

    [Fact]
    public async Task WithTwoFactor_SignInAsksForTheCode_AndOnlyTheRightCodeOpensTheApp()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = site.Anonymous();

        var password = await SecuredSite.PasswordStepAsync(client, "supervisor62");
        var before = await client.GetAsync(new Uri("/queue", UriKind.Relative));
        var wrong = await SecuredSite.PostFormAsync(client, "/account/2fa", "/account/2fa", new() { ["code"] = "000000", ["returnUrl"] = "/queue" });
        var stillOut = await client.GetAsync(new Uri("/queue", UriKind.Relative));
        var right = await SecuredSite.PostFormAsync(client, "/account/2fa", "/account/2fa", new() { ["code"] = Totp.Code(SecuredSite.AuthenticatorKey, TimeProvider.System.GetUtcNow()), ["returnUrl"] = "/queue" });
        var queue = await client.GetAsync(new Uri("/queue", UriKind.Relative));

        Assert.StartsWith("/account/2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Contains("/account/login", before.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Contains("error=invalid", wrong.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Contains("/account/login", stillOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/queue", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var userId = await site.UserIdAsync("supervisor62");
        Assert.Single(await site.AuditAsync("TwoFactorFailed"), e => e.Actor == userId);
        Assert.Single(await site.AuditAsync("TwoFactorSucceeded"), e => e.Actor == userId);
    }

    [GeneratedRegex("data-testid=\"two-factor-key\">([A-Z2-7 ]+)<")]
    private static partial Regex KeyShown();
}
