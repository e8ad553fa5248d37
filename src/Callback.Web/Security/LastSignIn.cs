using System.Security.Claims;
using Callback.Domain.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Security;

/// <summary>
/// Stamps <see cref="Domain.Identity.ApplicationUser.LastSignInUtc"/> when the application cookie is issued: after the
/// password for an account without two-factor, after the code for one with it (a password alone gets only Identity's
/// short two-factor cookie, so it does not count). Hooked on the cookie rather than on each sign-in path, so both paths
/// and any future one are covered by one line of code.
/// </summary>
public static class LastSignIn
{
    public static IServiceCollection AddLastSignInTracking(this IServiceCollection services)
    {
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var previous = o.Events.OnSignedIn;
            o.Events.OnSignedIn = async context =>
            {
                await previous(context);
                if (context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
                {
                    var services = context.HttpContext.RequestServices;
                    await RecordAsync(services.GetRequiredService<IDbContextFactory<CallbackDbContext>>(), services.GetRequiredService<TimeProvider>(), id);
                }
            };
        });
        return services;
    }

    /// <summary>One update of one column: the sign-in itself is what the audit chain records.</summary>
    public static async Task RecordAsync(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, string userId)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInUtc, now));
    }
}
