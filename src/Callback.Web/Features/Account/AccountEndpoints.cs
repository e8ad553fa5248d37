using System.Security.Claims;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Account;

/// <summary>Sign-in, sign-out and the language switch: plain form posts, so they work before any circuit exists.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");

        account.MapPost("/signin", async ([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl, PasswordSignIn signIn) =>
            await signIn.SignInAsync(email, password) switch
            {
                PasswordSignInOutcome.SignedIn => Results.LocalRedirect(SafeReturn(returnUrl)),
                PasswordSignInOutcome.TwoFactorRequired => Results.LocalRedirect($"~/account/2fa?returnUrl={Uri.EscapeDataString(SafeReturn(returnUrl))}"),
                // One answer for an unknown e-mail, a wrong password, a disabled or a locked account (issue 14, finding 5).
                _ => Back(returnUrl, "invalid"),
            }).RequireRateLimiting(SignInThrottle.AddressPolicy);

        account.MapPost("/logout", async (ClaimsPrincipal principal, SignInManager<ApplicationUser> signIn, SessionRevocation sessions, SecurityAudit audit) =>
        {
            if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
            {
                // The session's row goes first: the cookie is refused from now on even if the browser (or a thief) kept a copy.
                if (principal.FindFirstValue(SessionRevocation.Claim) is { } session)
                {
                    await sessions.EndAsync(id, session);
                }

                await audit.RecordAsync(id, AuditActions.SignOut, null);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        }).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());

        endpoints.MapGet("/culture", (string culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = culture is "en" or "en-GB" or "en-US" ? "en-GB" : "fr-FR";
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(SafeReturn(returnUrl));
        });

        return endpoints;
    }

    private static IResult Back(string? returnUrl, string error) =>
        Results.LocalRedirect($"~/account/login?error={error}&returnUrl={Uri.EscapeDataString(SafeReturn(returnUrl))}");

    /// <summary>
    /// Only local paths: no open redirect through the sign-in form or the language switch. Anything else goes to "/",
    /// which sends each role to its own page (<see cref="Landing"/>).
    /// </summary>
    /// <remarks>
    /// A path holding anything but visible ASCII (a tab, a space, a zero-width or non-ASCII character) is refused whole:
    /// browsers drop tabs and line breaks ("/\t/evil.example" becomes "//evil.example") and a Location header cannot carry the rest.
    /// </remarks>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal)
            && r.All(c => c is > ' ' and < '\u007f' and not '\\')
            ? r
            : "/";
}

/// <summary>Writes sign-in and access events into the audit chain (user ids only, never the e-mail typed).</summary>
public sealed class SecurityAudit(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, ILogger<SecurityAudit> logger)
{
    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    public Task RecordAsync(string actor, string action, string? reason, Guid? caseId = null) =>
        _unitOfWork.AuditAsync(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor, caseId, action, null, null, reason), CancellationToken.None);
}
