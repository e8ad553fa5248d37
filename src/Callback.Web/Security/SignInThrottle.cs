using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Callback.Web.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Callback.Web.Security;

/// <summary>How many sign-in attempts one client address, and one typed e-mail, may make (section <c>Security:SignIn</c>).</summary>
public sealed class SignInLimits
{
    public const string Section = "Security:SignIn";

    /// <summary>
    /// Password and two-factor posts per client address and window. A unit behind one NAT signs in at shift change:
    /// the default leaves room for that, not for a script (issue 14 saw 4,400 attempts in 20 s from one client).
    /// </summary>
    public int PerAddressPermitLimit { get; set; } = 30;

    public TimeSpan PerAddressWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Attempts per typed e-mail (known or not: the limit must not tell them apart) and window. Above it the password is
    /// not even checked and nothing is audited: a known account's failures stay in the audit chain, at this pace at most.
    /// </summary>
    public int PerAccountPermitLimit { get; set; } = 10;

    public TimeSpan PerAccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    internal void Validate()
    {
        if (PerAddressPermitLimit < 1 || PerAccountPermitLimit < 1 || PerAddressWindow <= TimeSpan.Zero || PerAccountWindow <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(Section, typeof(SignInLimits), ["Security:SignIn: permit limits must be at least 1 and windows positive."]);
        }
    }
}

/// <summary>
/// Sign-in's two limits, with ASP.NET Core's rate limiter: per client address as an endpoint policy
/// (<see cref="AddressPolicy"/>, a 429 before the form is read), and per account inside the endpoint, once the e-mail
/// typed is known. Both are in memory: with two nodes each node counts its own (the account lockout, in the database,
/// still stops a guesser after five failures across all nodes).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const string AddressPolicy = "signin-address";

    internal static readonly Meter Meter = new("Callback.SignIn");
    private static readonly Counter<long> UnknownAccounts = Meter.CreateCounter<long>("callback.signin.unknown_account", description: "Failed sign-ins for an e-mail that has no account (kept out of the audit chain).");
    internal static readonly Counter<long> Throttled = Meter.CreateCounter<long>("callback.signin.throttled", description: "Sign-in attempts refused by a rate limit.");

    private readonly PartitionedRateLimiter<string> _accounts;

    public SignInThrottle(IOptions<SignInLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var settings = limits.Value;
        _accounts = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PerAccountPermitLimit, Window = settings.PerAccountWindow, QueueLimit = 0 }));
    }

    /// <summary>One attempt for the account typed; false when its window is spent. The e-mail is kept only as a hash.</summary>
    public bool TryAcquireForAccount(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())));
        using var lease = _accounts.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            Throttled.Add(1, new KeyValuePair<string, object?>("limit", "account"));
        }

        return lease.IsAcquired;
    }

    public static void CountUnknownAccount() => UnknownAccounts.Add(1);

    public void Dispose() => _accounts.Dispose();

    /// <summary>Per client address (as the trusted proxy reported it); requests with no address share one window.</summary>
    internal sealed class AddressLimit(IOptions<SignInLimits> limits) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
        {
            Throttled.Add(1, new KeyValuePair<string, object?>("limit", "address"));
            var http = context.HttpContext;
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            // Not the status-code page: the answer is this short sentence, in the visitor's language.
            if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            var text = http.RequestServices.GetRequiredService<IStringLocalizer<SecurityText>>();
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(text["SignInThrottled"], cancellationToken);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var address = httpContext.Connection.RemoteIpAddress?.ToString() ?? "no-address";
            var settings = limits.Value;
            return RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PerAddressPermitLimit, Window = settings.PerAddressWindow, QueueLimit = 0 });
        }
    }
}

public static class SignInThrottleSetup
{
    public static IServiceCollection AddSignInThrottle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInLimits>().Bind(configuration.GetSection(SignInLimits.Section))
            .Validate(l => { l.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        // A policy object of its own, so its refusal is sign-in's (a short localised text) and not the intake API's problem answer.
        services.AddRateLimiter(o => o.AddPolicy<string, SignInThrottle.AddressLimit>(SignInThrottle.AddressPolicy));
        return services;
    }
}
