using Callback.Domain.Identity;
using Callback.Web.Demo;
using Callback.Web.Features.Account;
using Callback.Web.Security;
using Callback.Web.Tests.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Web.Tests.Security;

/// <summary>Issue 14, finding 7 (one use per code, ±1 step) and finding 3's half about the authenticator keys (never in clear).</summary>
public sealed class AuthenticatorCodeTests
{
    /// <summary>The app on a clock stopped 10 s into a 30 s step, so that which step a code belongs to is never a race.</summary>
    private static (CallbackFactory Factory, FakeTimeProvider Clock) OnStoppedClock()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds((now / 30 * 30) + 10));
        return (new CallbackFactory(configure: b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock))), clock);
    }

    /// <summary>The password step, then <paramref name="code"/>: true when the code opened the app.</summary>
    private static async Task<bool> CodeOpensAsync(SecuredSite site, string account, string code)
    {
        using var client = site.Anonymous();
        var password = await SecuredSite.PasswordStepAsync(client, account);
        Assert.StartsWith("/account/2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var answer = await SecuredSite.PostFormAsync(client, password.Headers.Location!.OriginalString, "/account/2fa", new() { ["code"] = code, ["returnUrl"] = "/queue" });
        return answer.Headers.Location?.OriginalString == "/queue";
    }

    [Fact]
    public async Task ACode_OpensTheAppOnce_NotTwice()
    {
        var (factory, clock) = OnStoppedClock();
        await using var site = await SecuredSite.StartAsync(factory);
        var code = Totp.Code(SecuredSite.AuthenticatorKey, clock.GetUtcNow());

        var first = await CodeOpensAsync(site, "supervisor62", code);
        var replay = await CodeOpensAsync(site, "supervisor62", code);
        // Another user's code of the same step is theirs to use (the demo accounts share one key).
        var otherUser = await CodeOpensAsync(site, "supervisor59", code);

        Assert.True(first);
        Assert.False(replay);
        Assert.True(otherUser);
    }

    [Fact]
    public async Task OnlyTheStepBeforeAndAfter_AreAccepted_AndNeverAnOlderStepThanTheLastUsed()
    {
        var (factory, clock) = OnStoppedClock();
        await using var site = await SecuredSite.StartAsync(factory);
        var now = clock.GetUtcNow();
        string Code(int step) => Totp.Code(SecuredSite.AuthenticatorKey, now, step);

        var twoBefore = await CodeOpensAsync(site, "supervisor62", Code(-2));
        var twoAfter = await CodeOpensAsync(site, "supervisor62", Code(+2));
        var oneBefore = await CodeOpensAsync(site, "supervisor62", Code(-1));
        var current = await CodeOpensAsync(site, "supervisor62", Code(0));
        var backToOneBefore = await CodeOpensAsync(site, "supervisor62", Code(-1));
        var oneAfter = await CodeOpensAsync(site, "supervisor62", Code(+1));

        Assert.False(twoBefore, "a code 60 s old must be refused");
        Assert.False(twoAfter, "a code 60 s ahead must be refused");
        Assert.True(oneBefore);
        Assert.True(current);
        Assert.False(backToOneBefore, "a step earlier than one already used must be refused");
        Assert.True(oneAfter);
    }

    [Fact]
    public async Task AuthenticatorKeys_AreStoredProtected_AndStillWork_TheDemoKeyToo()
    {
        await using var site = await SecuredSite.StartAsync();
        ApplicationUser demo;
        await using (var scope = site.Services.CreateAsyncScope())
        {
            demo = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync("demo-supervisor@test.callback", "Démo", SecuredSite.Password, Roles.Supervisor, "CTC-62");
            await scope.ServiceProvider.GetRequiredService<TwoFactorEnrolment>().EnrolAsync(demo, DemoSeeder.DemoAuthenticatorKey);
        }

        var stored = await StoredKeysAsync(site);
        var demoOpens = await CodeOpensAsync(site, "demo-supervisor", Totp.Code(DemoSeeder.DemoAuthenticatorKey, TimeProvider.System.GetUtcNow()));

        Assert.Equal(4, stored.Count);
        Assert.All(stored, s =>
        {
            Assert.StartsWith(CallbackUserStore.Prefix, s, StringComparison.Ordinal);
            Assert.DoesNotContain(SecuredSite.AuthenticatorKey, s, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoSeeder.DemoAuthenticatorKey, s, StringComparison.Ordinal);
        });
        Assert.True(demoOpens);
    }

    [Fact]
    public async Task AKeyStoredInClear_BeforeTheChange_StillWorks_AndIsProtectedOnceUsed()
    {
        await using var site = await SecuredSite.StartAsync();
        var supervisor = await site.UserIdAsync("supervisor59");
        await using (var db = await site.Databases.CreateDbContextAsync())
        {
            var row = await db.UserTokens.SingleAsync(t => t.UserId == supervisor && t.Name == "AuthenticatorKey");
            row.Value = SecuredSite.AuthenticatorKey;
            await db.SaveChangesAsync();
        }

        var opens = await CodeOpensAsync(site, "supervisor59", Totp.Code(SecuredSite.AuthenticatorKey, TimeProvider.System.GetUtcNow()));

        Assert.True(opens);
        await using var check = await site.Databases.CreateDbContextAsync();
        var stored = await check.UserTokens.Where(t => t.UserId == supervisor && t.Name == "AuthenticatorKey").Select(t => t.Value).SingleAsync();
        Assert.StartsWith(CallbackUserStore.Prefix, stored, StringComparison.Ordinal);
    }

    private static async Task<List<string>> StoredKeysAsync(SecuredSite site)
    {
        await using var db = await site.Databases.CreateDbContextAsync();
        return await db.UserTokens.Where(t => t.Name == "AuthenticatorKey").Select(t => t.Value!).ToListAsync();
    }
}
