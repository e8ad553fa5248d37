using System.Security.Cryptography;

namespace Callback.Web.Security;

/// <summary>
/// Headers every response carries. The Content-Security-Policy allows scripts only from this origin plus the one inline
/// import map Blazor writes, which carries a per-request nonce; Blazor Server needs neither 'unsafe-eval' nor
/// 'wasm-unsafe-eval' (no WebAssembly runs in the browser). MudBlazor sets style attributes, hence 'unsafe-inline' for
/// styles only. The circuit is a WebSocket to the same host, hence ws:/wss: in connect-src.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "callback:csp-nonce";

    /// <summary>The nonce of this request's Content-Security-Policy, for the inline import map.</summary>
    public static string Nonce(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[NonceKey] is not string nonce)
        {
            // URL-safe alphabet (allowed by CSP): a "+" would be written "&#x2B;" in the attribute, which is equivalent in a
            // browser but not the same text, and one check in three that compared them failed.
            nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
            http.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    public static string Policy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseCallbackSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = Policy(Nonce(http));
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                // A case page left in a shared browser's cache is a victim's address on the next person's screen:
                // nothing a signed-in user sees is stored. Fingerprinted static files keep their own long cache header.
                if (http.User.Identity?.IsAuthenticated == true || string.IsNullOrEmpty(headers.CacheControl))
                {
                    if (!IsStaticAsset(http))
                    {
                        headers.CacheControl = "no-store, max-age=0";
                        headers.Pragma = "no-cache";
                    }
                }

                return Task.CompletedTask;
            });
            await next(http);
        });

    private static bool IsStaticAsset(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null;
}
