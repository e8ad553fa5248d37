using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Callback.Web.Security;

/// <summary>How long a session may sit idle.</summary>
public sealed class SessionSettings
{
    public const string Section = "Security";

    /// <summary>No interaction for this long signs the user out: the cookie stops sliding, and the page's own timer submits sign-out.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

public static class SessionSetup
{
    public static IServiceCollection AddCallbackSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionSettings>().Bind(configuration.GetSection(SessionSettings.Section))
            .Validate(s => s.IdleTimeout > TimeSpan.Zero, "Security:IdleTimeout must be positive.").ValidateOnStart();
        services.AddSignInThrottle(configuration);
        // Registered after Identity's own cookie setup, so this expiry wins over its default.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SessionSettings>>((cookie, session) =>
            {
                cookie.ExpireTimeSpan = session.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
                BindToServerSession(cookie.Events);
            });
        // The stamp check every minute rebuilds the principal from the database: the session id goes over with it.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(SessionRevocation.Claim) is { } session && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && !identity.HasClaim(c => c.Type == SessionRevocation.Claim))
            {
                identity.AddClaim(new Claim(SessionRevocation.Claim, session.Value));
            }

            return Task.CompletedTask;
        });
        return services;
    }

    /// <summary>
    /// Ties the sign-in cookie to a row of <see cref="SessionRevocation"/> (issue 14, finding 6): a new cookie begins a
    /// session (or keeps the one of the cookie it replaces, for the same user), and every request's cookie is refused
    /// unless its session is still there, before Identity's own security-stamp check runs.
    /// </summary>
    private static void BindToServerSession(CookieAuthenticationEvents events)
    {
        var signingIn = events.OnSigningIn;
        events.OnSigningIn = async context =>
        {
            await signingIn(context);
            if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId
                && !identity.HasClaim(c => c.Type == SessionRevocation.Claim))
            {
                var current = context.HttpContext.User;
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRevocation>();
                var session = current.FindFirstValue(ClaimTypes.NameIdentifier) == userId && current.FindFirstValue(SessionRevocation.Claim) is { } kept
                    ? kept
                    : await sessions.BeginAsync(userId, context.HttpContext.RequestAborted);
                identity.AddClaim(new Claim(SessionRevocation.Claim, session));
            }
        };

        var validating = events.OnValidatePrincipal;
        events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRevocation>();
            if (context.Principal is not { } principal || !await sessions.IsActiveAsync(principal, context.HttpContext.RequestAborted))
            {
                // Signed out, signed out everywhere, or a cookie from before sessions existed: the request is anonymous.
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }

            await validating(context);
        };
    }
}
