using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Web.Security;
using Microsoft.AspNetCore.Identity;

namespace Callback.Web.Features.Account;

/// <summary>What the sign-in form may say: in, on to the code, or one refusal for every other case.</summary>
public enum PasswordSignInOutcome
{
    SignedIn,
    TwoFactorRequired,
    Refused,
}

/// <summary>
/// The password step, written so that its answer and its duration do not tell an unknown e-mail from an existing,
/// disabled or locked account (issue 14, finding 5). Every path verifies exactly one password hash (a decoy one for an
/// unknown e-mail) before anything is decided, and every refusal is the same <see cref="PasswordSignInOutcome.Refused"/>:
/// even the right password of a disabled or locked account gets it, because a lock that answered differently for the
/// right password would let a guesser go on guessing through it.
/// </summary>
public sealed partial class PasswordSignIn(
    SignInManager<ApplicationUser> signIn,
    UserManager<ApplicationUser> users,
    SecurityAudit audit,
    SignInThrottle throttle,
    DecoyPassword decoy,
    ILogger<PasswordSignIn> logger)
{
    public async Task<PasswordSignInOutcome> SignInAsync(string email, string password)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        if (!throttle.TryAcquireForAccount(email))
        {
            // Nothing checked, nothing audited: a client hammering one account (known or not) cannot grow the chain.
            LogThrottled(logger);
            return PasswordSignInOutcome.Refused;
        }

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Anonymous noise stays out of the audit chain: a counter and a line without the e-mail.
            decoy.Verify(password);
            SignInThrottle.CountUnknownAccount();
            LogUnknownAccount(logger);
            return PasswordSignInOutcome.Refused;
        }

        if (user.Disabled || await users.IsLockedOutAsync(user))
        {
            // The same hash work as any other attempt, and the same answer; the account's own history keeps the reason.
            VerifyWithoutEffect(user, password);
            await audit.RecordAsync(user.Id, user.Disabled ? AuditActions.SignInRefused : AuditActions.LockedOut,
                user.Disabled ? "account disabled" : "too many failed sign-ins");
            return PasswordSignInOutcome.Refused;
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.RecordAsync(user.Id, AuditActions.SignIn, null);
            return PasswordSignInOutcome.SignedIn;
        }

        if (result.RequiresTwoFactor)
        {
            // The password was right; Identity keeps the user in its short two-factor cookie until the code is given.
            await audit.RecordAsync(user.Id, AuditActions.PasswordAccepted, "two-factor code requested");
            return PasswordSignInOutcome.TwoFactorRequired;
        }

        await audit.RecordAsync(user.Id, result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed,
            result.IsLockedOut ? "too many failed sign-ins" : "wrong password");
        return PasswordSignInOutcome.Refused;
    }

    private void VerifyWithoutEffect(ApplicationUser user, string password)
    {
        if (user.PasswordHash is { } hash)
        {
            users.PasswordHasher.VerifyHashedPassword(user, hash, password);
        }
        else
        {
            decoy.Verify(password);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: no account has the e-mail typed (not audited).")]
    private static partial void LogUnknownAccount(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: too many attempts for the e-mail typed (not audited, nothing checked).")]
    private static partial void LogThrottled(ILogger logger);
}

/// <summary>
/// A password hash of nobody's, made with the application's own hasher at start-up, so that verifying a password
/// against it costs what verifying a real one costs.
/// </summary>
public sealed class DecoyPassword
{
    private static readonly ApplicationUser Nobody = new() { Id = "decoy", UserName = "decoy" };
    private readonly PasswordHasher<ApplicationUser> _hasher;
    private readonly string _hash;

    // Identity's own hasher with Identity's options (it is registered scoped; this one lives as long as the app).
    public DecoyPassword(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options)
    {
        _hasher = new PasswordHasher<ApplicationUser>(options);
        _hash = _hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }

    public void Verify(string password) => _hasher.VerifyHashedPassword(Nobody, _hash, password);
}
