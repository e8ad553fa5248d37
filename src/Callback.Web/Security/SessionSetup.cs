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
        // Registered after Identity's own cookie setup, so this expiry wins over its default.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SessionSettings>>((cookie, session) =>
            {
                cookie.ExpireTimeSpan = session.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
            });
        return services;
    }
}
