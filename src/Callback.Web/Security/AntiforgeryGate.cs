using Microsoft.AspNetCore.Antiforgery;

namespace Callback.Web.Security;

public static class AntiforgeryGate
{
    /// <summary>
    /// Refuses with 400 every request whose antiforgery check failed, before any endpoint runs. UseAntiforgery only
    /// records the verdict: an endpoint that binds no form (sign-out) would act on a forged post, and one that does
    /// (sign-in) throws an exception instead of answering 400.
    /// </summary>
    public static IApplicationBuilder UseAntiforgeryGate(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !IsSignOutOfNobody(http))
            {
                // No status-code page: re-executing one would run a page endpoint on the same rejected form.
                if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }

                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync("The form has expired: reload the page and try again.");
                return;
            }

            await next(http);
        });

    /// <summary>
    /// The idle timer's sign-out arrives after the cookie expired, with a token bound to the user who is gone: signing out
    /// nobody is harmless, so let it through to the sign-in page instead of showing an error.
    /// </summary>
    private static bool IsSignOutOfNobody(HttpContext http) =>
        http.User.Identity?.IsAuthenticated != true && http.Request.Path.Equals("/account/logout", StringComparison.OrdinalIgnoreCase);
}
