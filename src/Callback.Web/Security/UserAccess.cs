using System.Net.Mail;
using System.Security.Cryptography;
using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Security;

/// <summary>
/// <c>/admin/users</c>: an Admin manages every account; a Supervisor the accounts of their département's units, never an
/// Admin's, and gives neither the Admin role nor a unit of another département. Each change is one audited write: the
/// Identity rows and the audit entry commit together. A change that alters what a user may do (role, unit, disabling, a
/// reset) renews their security stamp, so their cookie and open pages are cut off within <see cref="Features.Account.IdentitySetup.Revalidation"/>.
/// </summary>
public sealed class UserAccess(
    UserManager<ApplicationUser> users,
    SessionRevocation sessions,
    IDbContextFactory<CallbackDbContext> databases,
    TimeProvider clock,
    ILogger<UserAccess> logger)
{
    /// <summary>Where Identity's token store keeps the authenticator key and the recovery codes.</summary>
    private const string IdentityTokenProvider = "[AspNetUserStore]";

    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    /// <summary>The accounts <paramref name="actor"/> manages, by e-mail.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        Require(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var query = from u in db.Users
                    join unit in db.Units on u.UnitId equals unit.Id into units
                    from unit in units.DefaultIfEmpty()
                    select new { User = u, Unit = unit };
        if (!CaseScope.SeesEverything(actor))
        {
            // A Supervisor: users of a unit of their département, none of them an Admin.
            var adminRoleId = db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id);
            query = query.Where(x => x.Unit != null && x.Unit.Departement == actor.Departement
                && !db.UserRoles.Any(ur => ur.UserId == x.User.Id && adminRoleId.Contains(ur.RoleId)));
        }

        var rows = await query.OrderBy(x => x.User.Email)
            .Select(x => new
            {
                x.User.Id,
                x.User.Email,
                x.User.DisplayName,
                x.User.Disabled,
                x.User.TwoFactorEnabled,
                x.User.LastSignInUtc,
                UnitCode = x.Unit == null ? null : x.Unit.Code,
                TimeZoneId = x.Unit == null ? Unit.DefaultTimeZoneId : x.Unit.TimeZoneId,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == x.User.Id select r.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new UserRow(r.Id, r.Email ?? "", r.DisplayName, r.Role ?? "", r.UnitCode, r.TimeZoneId, r.Disabled, r.TwoFactorEnabled, r.LastSignInUtc))
            .ToList();
    }

    /// <summary>The units <paramref name="actor"/> may put a user in.</summary>
    public async Task<IReadOnlyList<Unit>> UnitsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        Require(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Units.AsNoTracking().Where(CaseScope.ForUnits(ScopeOf(actor))).OrderBy(u => u.Code).ToListAsync(cancellationToken);
    }

    /// <summary>The roles <paramref name="actor"/> may give: every one for an Admin, all but Admin for a Supervisor.</summary>
    public static IReadOnlyList<string> RolesGivenBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return CaseScope.SeesEverything(actor) ? Roles.All : Roles.All.Where(r => r != Roles.Admin).ToList();
    }

    /// <summary>Creates an account with a generated password, returned once and never stored in clear.</summary>
    public async Task<CreatedUser> CreateAsync(Actor actor, string email, string displayName, string role, string? unitCode, CancellationToken cancellationToken = default)
    {
        Require(actor);
        var address = email?.Trim() ?? "";
        if (address.Length > 254 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            throw new UserAdminException(UserAdminError.EmailInvalid, $"\"{address}\" is not an e-mail address.");
        }

        var name = string.IsNullOrWhiteSpace(displayName) ? address : displayName.Trim();
        if (name.Length > 200)
        {
            throw new UserAdminException(UserAdminError.NameTooLong, "A name has at most 200 characters.");
        }

        if (!Roles.All.Contains(role))
        {
            throw new UserAdminException(UserAdminError.RoleUnknown, $"Unknown role \"{role}\". Roles: {string.Join(", ", Roles.All)}.");
        }

        var password = GeneratePassword();
        var id = await AuditingDenialAsync(actor, "new user", () => _unitOfWork.RunAsync(async (write, ct) =>
        {
            var db = write.Db;
            var unit = await UnitForAsync(db, actor, role, unitCode, ct);
            var normalisedEmail = users.NormalizeEmail(address);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalisedEmail || u.NormalizedUserName == users.NormalizeName(address), ct))
            {
                throw new UserAdminException(UserAdminError.EmailTaken, $"An account with the e-mail {address} already exists.");
            }

            var user = new ApplicationUser
            {
                UserName = address,
                NormalizedUserName = users.NormalizeName(address),
                Email = address,
                NormalizedEmail = normalisedEmail,
                EmailConfirmed = true,
                DisplayName = name,
                UnitId = unit?.Id,
                LockoutEnabled = true,
                SecurityStamp = NewStamp(),
            };
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = await RoleIdAsync(db, role, ct) });
            write.Audit(Record(actor, AuditActions.UserCreated, $"user {user.Id} as {role}{(unit is null ? "" : $" of unit {unit.Code}")}"));
            return user.Id;
        }, StaleReads.Surface, cancellationToken));
        return new CreatedUser(id, password);
    }

    public Task ChangeRoleAsync(Actor actor, string userId, string role, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, mayBeSelf: false, async (db, target, ct) =>
        {
            if (!Roles.All.Contains(role))
            {
                throw new UserAdminException(UserAdminError.RoleUnknown, $"Unknown role \"{role}\".");
            }

            if (target.Role == role)
            {
                return null;
            }

            var unit = target.User.UnitId is { } unitId ? await db.Units.SingleAsync(u => u.Id == unitId, ct) : null;
            await UnitForAsync(db, actor, role, unit?.Code, ct);
            db.UserRoles.RemoveRange(await db.UserRoles.Where(ur => ur.UserId == target.User.Id).ToListAsync(ct));
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = target.User.Id, RoleId = await RoleIdAsync(db, role, ct) });
            return Record(actor, AuditActions.UserRoleChanged, $"user {target.User.Id}: {target.Role} -> {role}");
        }, cancellationToken);

    public Task ChangeUnitAsync(Actor actor, string userId, string? unitCode, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, mayBeSelf: false, async (db, target, ct) =>
        {
            var unit = await UnitForAsync(db, actor, target.Role, string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim(), ct);
            if (target.User.UnitId == unit?.Id)
            {
                return null;
            }

            var before = target.User.UnitId is { } old ? await db.Units.Where(u => u.Id == old).Select(u => u.Code).SingleAsync(ct) : "none";
            target.User.UnitId = unit?.Id;
            return Record(actor, AuditActions.UserUnitChanged, $"user {target.User.Id}: unit {before} -> {unit?.Code ?? "none"}");
        }, cancellationToken);

    /// <summary>
    /// Disabling renews the security stamp: the user's cookie stops validating at its next check, and every open
    /// circuit of theirs is closed by <c>RevalidatingIdentityStateProvider</c> within <see cref="Features.Account.IdentitySetup.Revalidation"/>.
    /// </summary>
    public Task SetDisabledAsync(Actor actor, string userId, bool disabled, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, mayBeSelf: !disabled, (_, target, _) =>
        {
            if (target.User.Disabled == disabled)
            {
                return Task.FromResult<AuditRecord?>(null);
            }

            target.User.Disabled = disabled;
            return Task.FromResult<AuditRecord?>(Record(actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, $"user {target.User.Id}"));
        }, cancellationToken);

    /// <summary>
    /// "Sign out everywhere": ends every session of the user (their cookies are refused at once on every node), renews
    /// their stamp, and closes their circuits on this node now, on the others at their next revalidation.
    /// </summary>
    /// <returns>How many sessions were open.</returns>
    public async Task<int> SignOutEverywhereAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        var ended = 0;
        await ChangeAsync(actor, userId, mayBeSelf: false, async (db, target, ct) =>
        {
            ended = await db.UserTokens.Where(t => t.UserId == target.User.Id && t.LoginProvider == SessionRevocation.LoginProvider).ExecuteDeleteAsync(ct);
            return Record(actor, AuditActions.SignOutEverywhere, $"user {target.User.Id}, {ended} session(s) ended");
        }, cancellationToken);
        sessions.AnnounceAllEnded(userId);
        return ended;
    }

    /// <summary>Turns two-factor off and forgets the authenticator key: a Supervisor or Admin enrols again at the next sign-in.</summary>
    public Task ResetTwoFactorAsync(Actor actor, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, mayBeSelf: false, async (db, target, ct) =>
        {
            target.User.TwoFactorEnabled = false;
            db.UserTokens.RemoveRange(await db.UserTokens.Where(t => t.UserId == target.User.Id && t.LoginProvider == IdentityTokenProvider).ToListAsync(ct));
            return Record(actor, AuditActions.TwoFactorReset, $"user {target.User.Id}");
        }, cancellationToken);

    /// <summary>Replaces the password with a generated one, returned once; the lockout is lifted with it.</summary>
    public async Task<string> ResetPasswordAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        var password = GeneratePassword();
        await ChangeAsync(actor, userId, mayBeSelf: false, (_, target, _) =>
        {
            target.User.PasswordHash = users.PasswordHasher.HashPassword(target.User, password);
            target.User.AccessFailedCount = 0;
            target.User.LockoutEnd = null;
            return Task.FromResult<AuditRecord?>(Record(actor, AuditActions.PasswordReset, $"user {target.User.Id}"));
        }, cancellationToken);
        return password;
    }

    /// <summary>A strong password for a new account or a reset: 120 random bits, URL-safe, shown once.</summary>
    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('/', '-').Replace('+', '_');

    private sealed record Target(ApplicationUser User, string Role);

    /// <summary>Loads the user, checks the actor may touch them, applies the change, renews the stamps and audits it; a change that returns no record changed nothing.</summary>
    private async Task ChangeAsync(
        Actor actor, string userId, bool mayBeSelf, Func<CallbackDbContext, Target, CancellationToken, Task<AuditRecord?>> change, CancellationToken cancellationToken)
    {
        Require(actor);
        if (!mayBeSelf && userId == actor.Id)
        {
            throw new UserAdminException(UserAdminError.Self, "Change your own account's role, unit, password or two-factor through another administrator.");
        }

        try
        {
            await AuditingDenialAsync(actor, $"user {userId}", () => _unitOfWork.RunAsync(async (write, ct) =>
            {
                var db = write.Db;
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct)
                    ?? throw new UserAdminException(UserAdminError.UnknownUser, $"No user {userId}.");
                var role = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).FirstOrDefaultAsync(ct) ?? "";
                var departement = user.UnitId is { } unitId ? await db.Units.Where(u => u.Id == unitId).Select(u => u.Departement).SingleAsync(ct) : null;
                if (!InScope(actor, role, departement))
                {
                    throw new UserAdminException(UserAdminError.OutOfScope, $"User {user.Id} is outside your scope.");
                }

                if (await change(db, new Target(user, role), ct) is { } record)
                {
                    user.SecurityStamp = NewStamp();
                    user.ConcurrencyStamp = Guid.NewGuid().ToString();
                    write.Audit(record);
                }

                return true;
            }, StaleReads.Surface, cancellationToken));
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new UserAdminException(UserAdminError.Conflict, $"User {userId} was changed by someone else in the meantime. Reload and try again.", ex);
        }
    }

    /// <summary>A refusal for scope (a user, a role or a unit beyond the actor's reach) is audited as a denial, like a page refused.</summary>
    private async Task<T> AuditingDenialAsync<T>(Actor actor, string subject, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (UserAdminException ex) when (ex.Error is UserAdminError.OutOfScope or UserAdminError.RoleNotAllowed or UserAdminError.UnitOutOfScope)
        {
            await _unitOfWork.AuditAsync(Record(actor, AuditActions.AccessDenied, $"{subject}: {ex.Error}"), CancellationToken.None);
            throw;
        }
    }

    /// <summary>The unit a user of <paramref name="role"/> goes in: required for every role but Admin, and in a Supervisor's département.</summary>
    private static async Task<Unit?> UnitForAsync(CallbackDbContext db, Actor actor, string role, string? unitCode, CancellationToken ct)
    {
        if (!RolesGivenBy(actor).Contains(role))
        {
            throw new UserAdminException(UserAdminError.RoleNotAllowed, $"You may not give the role \"{role}\".");
        }

        if (unitCode is null)
        {
            return role == Roles.Admin ? null : throw new UserAdminException(UserAdminError.UnitRequired, $"A user with role {role} must belong to a unit.");
        }

        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode, ct)
            ?? throw new UserAdminException(UserAdminError.UnitUnknown, $"Unit \"{unitCode}\" does not exist.");
        return CaseScope.Allows(ScopeOf(actor), unit.Id, unit.Departement)
            ? unit
            : throw new UserAdminException(UserAdminError.UnitOutOfScope, $"Unit {unit.Code} is outside your département.");
    }

    /// <summary>An Admin reaches everyone; a Supervisor the non-Admin users of units in their département.</summary>
    private static bool InScope(Actor actor, string role, string? departement) =>
        CaseScope.SeesEverything(actor) || (role != Roles.Admin && departement is not null && actor.IsIn(Roles.Supervisor) && departement == actor.Departement);

    /// <summary>The breadth of a Supervisor's management is their département, whatever else they hold.</summary>
    private static Actor ScopeOf(Actor actor) =>
        CaseScope.SeesEverything(actor) ? actor : Actor.User(actor.Id, null, actor.Departement, Roles.Supervisor);

    private static async Task<string> RoleIdAsync(CallbackDbContext db, string role, CancellationToken ct)
    {
        if (await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync(ct) is { } id)
        {
            return id;
        }

        var created = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
        db.Roles.Add(created);
        return created.Id;
    }

    private AuditRecord Record(Actor actor, string action, string reason) =>
        new(clock.GetUtcNow().UtcDateTime, actor.Id, null, action, null, null, reason);

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    private static void Require(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.Users))
        {
            throw new ActionForbiddenException("Only an Admin or a Supervisor may manage users.");
        }
    }
}

public sealed record UserRow(
    string Id, string Email, string DisplayName, string Role, string? UnitCode, string TimeZoneId, bool Disabled, bool TwoFactor, DateTime? LastSignInUtc);

public sealed record CreatedUser(string Id, string Password);

/// <summary>Why a change to an account was refused; the page translates it.</summary>
public enum UserAdminError
{
    EmailInvalid,
    RoleUnknown,
    EmailTaken,
    NameTooLong,
    RoleNotAllowed,
    UnitRequired,
    UnitUnknown,
    UnitOutOfScope,
    OutOfScope,
    Self,
    UnknownUser,
    Conflict,
}

public sealed class UserAdminException : InvalidOperationException
{
    public UserAdminException()
    {
    }

    public UserAdminException(string message)
        : base(message)
    {
    }

    public UserAdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UserAdminException(UserAdminError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    public UserAdminError Error { get; }
}
