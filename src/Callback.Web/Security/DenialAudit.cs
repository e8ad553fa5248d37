using System.Security.Claims;
using Callback.Domain.Audit;
using Callback.Web.Features.Account;

namespace Callback.Web.Security;

/// <summary>
/// Writes one AccessDenied audit entry for every request a signed-in user was refused: a 403 (the Hangfire dashboard,
/// an endpoint's role check) or the cookie handler's redirect to the access-denied page (a page's role check). The
/// reason is the method and path only: paths carry ids, never personal data, and the query string is left out.
/// Anonymous requests are challenged (sent to sign-in), not denied: auditing them would let anyone on the network grow
/// the chain at will.
/// </summary>
public static class DenialAudit
{
    public const string Action = AuditActions.AccessDenied;

    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            await next(http);
            // A status-code page re-executed for a denial is the same denial, already recorded by the outer pass.
            if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || !IsDenial(http.Response)
                || http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
            {
                return;
            }

            var audit = http.RequestServices.GetRequiredService<SecurityAudit>();
            await audit.RecordAsync(userId, Action, Describe(http.Request.Method, http.Request.PathBase.Add(http.Request.Path)));
        });

    public static string Describe(string method, PathString path) => $"{method} {path.Value}";

    private static bool IsDenial(HttpResponse response) =>
        response.StatusCode == StatusCodes.Status403Forbidden
        || (response.StatusCode == StatusCodes.Status302Found
            && response.Headers.Location.ToString() is { } location
            && location.Contains("/account/denied", StringComparison.OrdinalIgnoreCase));
}
