using Microsoft.AspNetCore.Localization;

namespace Callback.Web.Localization;

/// <summary>
/// The language of the API's answers (the intake checks' reasons): a records system has no language cookie, so it says
/// its language in <c>Accept-Language</c>. Any French or English tag counts (<c>en-US</c> reads English). Pages ignore
/// the header: the application is French unless the user picks English, whatever the browser's language.
/// Without a French or English tag, the request gets the application's default culture, French.
/// </summary>
internal sealed class ApiAcceptLanguage : RequestCultureProvider
{
    public const string French = "fr-FR";
    public const string English = "en-GB";

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return NullProviderCultureResult;
        }

        var tags = httpContext.Request.GetTypedHeaders().AcceptLanguage
            .Where(t => t.Quality is not 0)
            .OrderByDescending(t => t.Quality ?? 1);
        foreach (var tag in tags)
        {
            var language = tag.Value.Value ?? "";
            if (language.Equals("fr", StringComparison.OrdinalIgnoreCase) || language.StartsWith("fr-", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(French));
            }

            if (language.Equals("en", StringComparison.OrdinalIgnoreCase) || language.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(English));
            }
        }

        return NullProviderCultureResult;
    }
}
