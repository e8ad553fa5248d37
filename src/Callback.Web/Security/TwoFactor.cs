using System.Security.Claims;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Callback.Web.Security;

/// <summary>
/// Two-factor authentication with an authenticator app (TOTP): the sign-in step, the enrolment, and the gate that keeps
/// a Supervisor or an Admin without it out of every page until they enrol. Those roles see a whole département, or
/// everything: a stolen password alone must not open that much.
/// </summary>
public static class TwoFactor
{
    /// <summary>"on" in the cookie of a user who has two-factor enabled (set by the claims factory).</summary>
    public const string Claim = "callback:2fa";
    public const string SetupPath = "/account/2fa/setup";

    public static bool IsRequiredFor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);
    }

    public static bool IsEnabledFor(ClaimsPrincipal user) => user?.FindFirstValue(Claim) == "on";

    /// <summary>Sends a Supervisor or Admin without two-factor to the enrolment page; anything but a page view gets 403.</summary>
    public static IApplicationBuilder UseTwoFactorGate(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var user = http.User;
            if (user.Identity?.IsAuthenticated == true && IsRequiredFor(user) && !IsEnabledFor(user) && !IsOpenWithoutTwoFactor(http))
            {
                if (HttpMethods.IsGet(http.Request.Method))
                {
                    http.Response.Redirect(SetupPath);
                }
                else
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return;
            }

            await next(http);
        });

    private static bool IsOpenWithoutTwoFactor(HttpContext http)
    {
        var path = http.Request.Path;
        return path.StartsWithSegments("/account") || path.StartsWithSegments("/culture")
            || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
            || http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null;
    }

    public static IEndpointRouteBuilder MapTwoFactorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account/2fa");

        // The second step of sign-in: the password was right, Identity holds the user in its two-factor cookie.
        account.MapPost("", async ([FromForm] string code, [FromForm] string? returnUrl, SignInManager<ApplicationUser> signIn, SecurityAudit audit,
            TwoFactorEnrolment enrolment) =>
        {
            var user = await signIn.GetTwoFactorAuthenticationUserAsync();
            if (user is null)
            {
                return Results.LocalRedirect("~/account/login?error=expired");
            }

            var result = await signIn.TwoFactorAuthenticatorSignInAsync(Normalise(code), isPersistent: false, rememberClient: false);
            var back = AccountEndpoints.SafeReturn(returnUrl);
            if (result.Succeeded)
            {
                await enrolment.ProtectClearKeyAsync(user);
                await audit.RecordAsync(user.Id, AuditActions.TwoFactorSucceeded, null);
                await audit.RecordAsync(user.Id, AuditActions.SignIn, "with two-factor");
                return Results.LocalRedirect(back);
            }

            if (result.IsLockedOut)
            {
                await audit.RecordAsync(user.Id, AuditActions.LockedOut, "too many failed two-factor codes");
                // The sign-in form's one refusal: it names no reason to anyone (issue 14, finding 5).
                return Results.LocalRedirect("~/account/login?error=invalid");
            }

            await audit.RecordAsync(user.Id, AuditActions.TwoFactorFailed, "wrong code at sign-in");
            return Results.LocalRedirect($"~/account/2fa?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
        }).RequireRateLimiting(SignInThrottle.AddressPolicy);

        // Enrolment: the code proves the app holds the key before two-factor is switched on.
        account.MapPost("/enable", async ([FromForm] string code, ClaimsPrincipal principal, UserManager<ApplicationUser> users,
            SignInManager<ApplicationUser> signIn, SecurityAudit audit) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null)
            {
                return Results.LocalRedirect("~/account/login");
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Normalise(code)))
            {
                await audit.RecordAsync(user.Id, AuditActions.TwoFactorFailed, "wrong code at enrolment");
                return Results.LocalRedirect($"~{SetupPath}?error=invalid");
            }

            await users.SetTwoFactorEnabledAsync(user, true);
            // A new cookie with the two-factor claim and the new security stamp: the gate opens, open circuits stay valid.
            await signIn.RefreshSignInAsync(user);
            await audit.RecordAsync(user.Id, AuditActions.TwoFactorEnabled, null);
            return Results.LocalRedirect($"~{SetupPath}?done=1");
        }).RequireAuthorization();

        return endpoints;
    }

    /// <summary>The key as an otpauth:// URI, for the QR code (issuer "Callback", the account's e-mail as label).</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString("Callback")}:{Uri.EscapeDataString(email)}?secret={key}&issuer=Callback&digits=6";

    private static string Normalise(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}

/// <summary>Sets a known authenticator key and switches two-factor on: the demo accounts, whose key README.md publishes.</summary>
public sealed class TwoFactorEnrolment(UserManager<ApplicationUser> users, IUserStore<ApplicationUser> store)
{
    public async Task EnrolAsync(ApplicationUser user, string base32Key)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (store is not IUserAuthenticatorKeyStore<ApplicationUser> keys)
        {
            throw new InvalidOperationException("The user store cannot hold authenticator keys.");
        }

        await keys.SetAuthenticatorKeyAsync(user, base32Key, CancellationToken.None);
        var result = await users.SetTwoFactorEnabledAsync(user, true);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not enable two-factor for user {user.Id}: {string.Join(" ", result.Errors.Select(e => e.Code))}");
        }
    }

    /// <summary>A key stored in clear before keys were protected is stored again, protected, once a code made with it was accepted.</summary>
    public async Task ProtectClearKeyAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (store is CallbackUserStore keys && await keys.HasClearKeyAsync(user) && await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
        {
            await keys.SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
            await users.UpdateAsync(user);
        }
    }
}
