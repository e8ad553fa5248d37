using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Web.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Security;

/// <summary>An Admin disables or re-enables an account.</summary>
public sealed class UserAccess(UserManager<ApplicationUser> users, SecurityAudit audit)
{
    /// <summary>
    /// Disabling also renews the security stamp: the user's cookie stops validating at its next check, and every open
    /// circuit of theirs is closed by <c>RevalidatingIdentityStateProvider</c> within <see cref="IdentitySetup.Revalidation"/>.
    /// </summary>
    public async Task SetDisabledAsync(string userId, bool disabled, string adminId)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"User {userId} does not exist.");
        if (user.Id == adminId && disabled)
        {
            throw new InvalidOperationException("An Admin cannot disable their own account.");
        }

        user.Disabled = disabled;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync(adminId, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, $"user {user.Id}");
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync() =>
        await users.Users.OrderBy(u => u.Email).Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, u.Disabled, u.TwoFactorEnabled)).ToListAsync();

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Code)));
        }
    }
}

public sealed record UserRow(string Id, string Email, string DisplayName, bool Disabled, bool TwoFactor);
