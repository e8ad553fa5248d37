using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Security;

/// <summary>
/// The authenticator-app codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), replacing Identity's provider for two
/// reasons (issue 14, finding 7): Identity accepts ±2 steps (a code 60 s old) and the same code any number of times.
/// Here a code is accepted for its own step and one on each side, and only for a step later than the last one this user
/// had accepted; that step is kept in the database and moved forward with a conditional write, so two requests racing
/// with one code, on one node or two, cannot both win.
/// </summary>
public sealed class AuthenticatorCodes(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string LoginProvider = "Callback.Totp";
    public const string LastStepName = "LastAcceptedStep";
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>The app computes the code; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var secret = Base32.Decode(key);
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        long? matched = null;
        // Every candidate is computed, so the time taken does not say which step matched.
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(token)))
            {
                matched = step;
            }
        }

        return matched is { } accepted && await ConsumeAsync(user.Id, accepted);
    }

    /// <summary>The code of <paramref name="step"/> for <paramref name="secret"/> (RFC 4226 dynamic truncation).</summary>
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 and every authenticator app use HMAC-SHA1; its weakness as a hash does not apply to HMAC.
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Moves the user's last accepted step to <paramref name="step"/> if it is later; false if this step (or a later one) was used.</summary>
    private async Task<bool> ConsumeAsync(string userId, long step)
    {
        var value = step.ToString(CultureInfo.InvariantCulture);
        await using var db = await databases.CreateDbContextAsync();
        var last = await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.LoginProvider == LoginProvider && t.Name == LastStepName)
            .Select(t => t.Value).SingleOrDefaultAsync();
        if (last is null)
        {
            db.UserTokens.Add(new IdentityUserToken<string> { UserId = userId, LoginProvider = LoginProvider, Name = LastStepName, Value = value });
            try
            {
                await db.SaveChangesAsync();
                return true;
            }
            catch (DbUpdateException)
            {
                // Another request recorded a first step at the same moment: the primary key let only one through.
                return false;
            }
        }

        if (!long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var lastStep) || lastStep >= step)
        {
            return false;
        }

        // Compare-and-set: of two requests that read the same last step, only one updates the row.
        return await db.UserTokens
            .Where(t => t.UserId == userId && t.LoginProvider == LoginProvider && t.Name == LastStepName && t.Value == last)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, value)) == 1;
    }
}

/// <summary>
/// Identity's EF user store, except that the authenticator key is kept encrypted with ASP.NET Core Data Protection
/// (purpose <see cref="Purpose"/>) instead of in clear in <c>AspNetUserTokens</c> (issue 14, finding 3). A key stored
/// before this change (no <see cref="Prefix"/>) is still read as it is, and is stored protected the next time it is set
/// or a code made with it is accepted (<see cref="TwoFactor"/>'s sign-in step).
/// </summary>
public sealed class CallbackUserStore(CallbackDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, CallbackDbContext>(context, describer)
{
    public const string Purpose = "Callback.Identity.AuthenticatorKey.v1";
    public const string Prefix = "dp1:";
    private const string IdentityProvider = "[AspNetUserStore]";
    private const string KeyName = "AuthenticatorKey";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public override Task SetAuthenticatorKeyAsync(ApplicationUser user, string key, CancellationToken cancellationToken) =>
        SetTokenAsync(user, IdentityProvider, KeyName, Prefix + _protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, IdentityProvider, KeyName, cancellationToken);
        return stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;
    }

    /// <summary>True when the user's key is still in clear (stored before keys were protected).</summary>
    public async Task<bool> HasClearKeyAsync(ApplicationUser user, CancellationToken cancellationToken = default) =>
        await GetTokenAsync(user, IdentityProvider, KeyName, cancellationToken) is { } stored && !stored.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>RFC 4648 base 32, as authenticator keys are written (padding and spaces ignored, any case).</summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static byte[] Decode(string input)
    {
        var bytes = new List<byte>(input.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in input)
        {
            if (c is ' ' or '=')
            {
                continue;
            }

            var index = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (index < 0)
            {
                throw new FormatException("An authenticator key holds a character that is not base 32.");
            }

            buffer = (buffer << 5) | index;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
