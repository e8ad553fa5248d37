using System.Reflection;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

public sealed class DisabledUserTests
{
    [Fact]
    public async Task DisablingAUser_FailsTheRevalidationOfTheirOpenCircuit()
    {
        await using var site = await SecuredSite.StartAsync();
        var officerId = await site.UserIdAsync("officer62");
        var adminId = await site.UserIdAsync("admin");
        await using var scope = site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        // The principal an open circuit holds: the one the cookie carried when the page opened.
        var circuitUser = new AuthenticationState(await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(officerId))!));
        var provider = (RevalidatingIdentityStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        var validBefore = await RevalidateAsync(provider, circuitUser);
        await scope.ServiceProvider.GetRequiredService<UserAccess>().SetDisabledAsync(Actor.User(adminId, null, null, Roles.Admin), officerId, disabled: true);
        var validAfter = await RevalidateAsync(provider, circuitUser);

        Assert.True(validBefore);
        Assert.False(validAfter);
        Assert.True(IdentitySetup.Revalidation <= TimeSpan.FromMinutes(1), "a disabled user must lose open pages within a minute");
        Assert.Contains(await site.AuditAsync("UserDisabled"), e => e.Actor == adminId && e.Reason == $"user {officerId}");
    }

    /// <summary>The check the provider's timer runs every <see cref="IdentitySetup.Revalidation"/> on every open circuit.</summary>
    private static async Task<bool> RevalidateAsync(RevalidatingIdentityStateProvider provider, AuthenticationState state)
    {
        var check = typeof(RevalidatingIdentityStateProvider).GetMethod("ValidateAuthenticationStateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return await (Task<bool>)check.Invoke(provider, [state, CancellationToken.None])!;
    }
}
