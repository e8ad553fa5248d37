using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Callback.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Security;

/// <summary>
/// Server-side sessions (issue 14, finding 6): each sign-in cookie carries a session id (<see cref="Claim"/>) that names
/// a row in the database; the cookie is honoured only while the row is there. Sign-out deletes the row, so the old cookie
/// is refused at once on every node, and "sign out everywhere" deletes all of a user's rows (and renews the security
/// stamp for any older cookie).
/// </summary>
/// <remarks>
/// The rows live in Identity's <c>AspNetUserTokens</c> table (login provider <see cref="LoginProvider"/>, name = the
/// session id, value = when it began), keyed by user and session: no schema change, a primary-key read per request.
/// A session is ended after <see cref="MaxAge"/> whatever its activity: rows older than that are swept at each sign-in
/// of the same user. Circuits open on this node are closed at once through <see cref="Ended"/>; those on another node at
/// their next revalidation (<see cref="Features.Account.IdentitySetup.Revalidation"/>), which reads the same row.
/// </remarks>
public sealed class SessionRevocation(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, ILogger<SessionRevocation> logger)
{
    public const string Claim = "callback:sid";
    public const string LoginProvider = "Callback.Session";

    /// <summary>The longest a session lasts, however active: more than a shift, less than a week of leaving a browser open.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(2);

    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    /// <summary>Raised on this node when sessions end: the user's id and the session, or null for all of the user's.</summary>
    public event Action<string, string?>? Ended;

    /// <summary>Tells this node's open circuits that every session of <paramref name="userId"/> ended (after a committed write that ended them).</summary>
    public void AnnounceAllEnded(string userId) => Ended?.Invoke(userId, null);

    /// <summary>Records a new session for <paramref name="userId"/> and returns its id (128 random bits).</summary>
    public async Task<string> BeginAsync(string userId, CancellationToken cancellationToken = default)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var now = clock.GetUtcNow();
        var expired = now.Subtract(MaxAge).ToUnixTimeSeconds();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // Sessions never signed out (a closed browser) are swept here: a user has a handful of rows at most.
        var rows = await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == LoginProvider).ToListAsync(cancellationToken);
        db.UserTokens.RemoveRange(rows.Where(t => !long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var began) || began < expired));
        db.UserTokens.Add(new IdentityUserToken<string>
        {
            UserId = userId,
            LoginProvider = LoginProvider,
            Name = id,
            Value = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    public async Task<bool> IsActiveAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var began = await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.LoginProvider == LoginProvider && t.Name == sessionId)
            .Select(t => t.Value).SingleOrDefaultAsync(cancellationToken);
        return long.TryParse(began, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) > clock.GetUtcNow().Subtract(MaxAge);
    }

    /// <summary>Is the session <paramref name="principal"/> names still open? A principal without a session id never is.</summary>
    public Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && principal.FindFirstValue(Claim) is { } sessionId
            ? IsActiveAsync(userId, sessionId, cancellationToken)
            : Task.FromResult(false);

    /// <summary>Sign-out: this session's row goes, so its cookie is refused from now on, on every node.</summary>
    public async Task EndAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == LoginProvider && t.Name == sessionId)
                .ExecuteDeleteAsync(cancellationToken);
        }

        Ended?.Invoke(userId, sessionId);
    }
}
