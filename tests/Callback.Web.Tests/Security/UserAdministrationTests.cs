using System.Net;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>/admin/users' service on the real host: every change audited, a Supervisor held to their département.</summary>
public sealed class UserAdministrationTests : IAsyncLifetime
{
    private SecuredSite _site = null!;
    private AsyncServiceScope _scope;

    public async ValueTask InitializeAsync()
    {
        _site = await SecuredSite.StartAsync();
        _scope = _site.Services.CreateAsyncScope();
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _site.DisposeAsync();
    }

    private UserAccess Access => _scope.ServiceProvider.GetRequiredService<UserAccess>();

    private async Task<Actor> ActorAsync(string account)
    {
        var id = await _site.UserIdAsync(account);
        var users = _scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        return CurrentUser.FromPrincipal(await users.CreateUserPrincipalAsync((await users.UserManager.FindByIdAsync(id))!));
    }

    private async Task<ApplicationUser> UserAsync(string email)
    {
        await using var db = await _site.Databases.CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }

    [Fact]
    public async Task AnAdmin_CreatesChangesDisablesAndResetsAnAccount_EachChangeOneAuditEntry_AndTheStampRenewed()
    {
        var admin = await ActorAsync("admin");
        var users = _scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        var created = await Access.CreateAsync(admin, "nouvel.agent@test.callback", "Nouvel agent", Roles.Officer, "CTC-62");
        var user = await UserAsync("nouvel.agent@test.callback");
        Assert.True(await users.CheckPasswordAsync(user, created.Password));
        await Access.ChangeRoleAsync(admin, created.Id, Roles.Dispatcher);
        await Access.ChangeUnitAsync(admin, created.Id, "CTC-59");
        await Access.SetDisabledAsync(admin, created.Id, disabled: true);
        await Access.SetDisabledAsync(admin, created.Id, disabled: false);
        var stampBefore = (await UserAsync("nouvel.agent@test.callback")).SecurityStamp;
        var newPassword = await Access.ResetPasswordAsync(admin, created.Id);
        var supervisor = await _site.UserIdAsync("supervisor62");
        await Access.ResetTwoFactorAsync(admin, supervisor);

        user = await UserAsync("nouvel.agent@test.callback");
        Assert.NotEqual(stampBefore, user.SecurityStamp);
        Assert.True(await users.CheckPasswordAsync(user, newPassword));
        Assert.False(await users.CheckPasswordAsync(user, created.Password));
        Assert.True(await users.IsInRoleAsync(user, Roles.Dispatcher));
        Assert.False(await users.IsInRoleAsync(user, Roles.Officer));
        var twoFactorUser = await users.FindByIdAsync(supervisor);
        Assert.False(twoFactorUser!.TwoFactorEnabled);
        Assert.Null(await users.GetAuthenticatorKeyAsync(twoFactorUser));
        var row = Assert.Single(await Access.ListAsync(admin), r => r.Id == created.Id);
        Assert.Equal((Roles.Dispatcher, "CTC-59", false), (row.Role, row.UnitCode, row.Disabled));

        foreach (var (action, reason) in new[]
        {
            ("UserCreated", $"user {created.Id} as Officer of unit CTC-62"),
            ("UserRoleChanged", $"user {created.Id}: Officer -> Dispatcher"),
            ("UserUnitChanged", $"user {created.Id}: unit CTC-62 -> CTC-59"),
            ("UserDisabled", $"user {created.Id}"),
            ("UserEnabled", $"user {created.Id}"),
            ("PasswordReset", $"user {created.Id}"),
            ("TwoFactorReset", $"user {supervisor}"),
        })
        {
            var entry = Assert.Single(await _site.AuditAsync(action), e => e.Reason == reason);
            Assert.Equal(admin.Id, entry.Actor);
        }

        // No audit reason carries an e-mail address or a name.
        await using var db = await _site.Databases.CreateDbContextAsync();
        Assert.DoesNotContain(await db.AuditEntries.Select(e => e.Reason).ToListAsync(), r => r != null && (r.Contains('@', StringComparison.Ordinal) || r.Contains("Nouvel", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ASupervisor_ManagesTheirDepartementsUsers_AndNobodyElse()
    {
        var supervisor = await ActorAsync("supervisor62");
        var officer59 = await _site.UserIdAsync("officer59");
        var admin = await _site.UserIdAsync("admin");
        var officer62 = await _site.UserIdAsync("officer62");

        var listed = (await Access.ListAsync(supervisor)).Select(r => r.Email).ToList();
        var units = (await Access.UnitsAsync(supervisor)).Select(u => u.Code).ToList();
        var refusals = new List<(UserAdminError Expected, Func<Task> Act)>
        {
            (UserAdminError.RoleNotAllowed, () => Access.CreateAsync(supervisor, "chef@test.callback", "Chef", Roles.Admin, null)),
            (UserAdminError.UnitOutOfScope, () => Access.CreateAsync(supervisor, "sup59@test.callback", "Sup 59", Roles.Supervisor, "CTC-59")),
            (UserAdminError.OutOfScope, () => Access.SetDisabledAsync(supervisor, officer59, disabled: true)),
            (UserAdminError.OutOfScope, () => Access.ResetPasswordAsync(supervisor, officer59)),
            (UserAdminError.OutOfScope, () => Access.ResetTwoFactorAsync(supervisor, admin)),
            (UserAdminError.OutOfScope, () => Access.ChangeRoleAsync(supervisor, admin, Roles.Officer)),
            (UserAdminError.RoleNotAllowed, () => Access.ChangeRoleAsync(supervisor, officer62, Roles.Admin)),
            (UserAdminError.UnitOutOfScope, () => Access.ChangeUnitAsync(supervisor, officer62, "CTC-59")),
        };
        var deniedBefore = (await _site.AuditAsync("AccessDenied")).Count;
        foreach (var (expected, act) in refusals)
        {
            Assert.Equal(expected, (await Assert.ThrowsAsync<UserAdminException>(act)).Error);
        }

        var created = await Access.CreateAsync(supervisor, "agent62@test.callback", "Agent 62", Roles.Supervisor, "CTC-62");
        await Access.SetDisabledAsync(supervisor, officer62, disabled: true);

        Assert.Contains(SecuredSite.Email("officer62"), listed);
        Assert.DoesNotContain(SecuredSite.Email("officer59"), listed);
        Assert.DoesNotContain(SecuredSite.Email("admin"), listed);
        Assert.Equal(["CTC-62"], units);
        Assert.DoesNotContain(Roles.Admin, UserAccess.RolesGivenBy(supervisor));
        Assert.Equal(refusals.Count, (await _site.AuditAsync("AccessDenied")).Count - deniedBefore);
        Assert.False((await UserAsync(SecuredSite.Email("officer59"))).Disabled);
        Assert.True((await UserAsync(SecuredSite.Email("officer62"))).Disabled);
        Assert.Contains(await _site.AuditAsync("UserCreated"), e => e.Actor == supervisor.Id && e.Reason == $"user {created.Id} as Supervisor of unit CTC-62");
        await using var db = await _site.Databases.CreateDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "chef@test.callback" || u.Email == "sup59@test.callback"));
    }

    [Fact]
    public async Task AnOfficer_ManagesNoAccount()
    {
        var officer = await ActorAsync("officer62");

        await Assert.ThrowsAsync<ActionForbiddenException>(() => Access.ListAsync(officer));
        await Assert.ThrowsAsync<ActionForbiddenException>(() => Access.CreateAsync(officer, "x@test.callback", "X", Roles.Officer, "CTC-62"));
    }

    [Fact]
    public async Task ASupervisorsUsersPage_ListsTheirDepartementOnly_AndSignInsSetTheLastSignIn()
    {
        using var client = await _site.SignedInAsync("supervisor62");

        var page = await client.GetStringAsync(new Uri("/admin/users", UriKind.Relative));
        var officer = await UserAsync(SecuredSite.Email("officer62"));
        var supervisor = await UserAsync(SecuredSite.Email("supervisor62"));

        Assert.Contains(SecuredSite.Email("officer62"), page, StringComparison.Ordinal);
        Assert.DoesNotContain(SecuredSite.Email("officer59"), page, StringComparison.Ordinal);
        Assert.DoesNotContain(SecuredSite.Email("admin"), page, StringComparison.Ordinal);
        // Signed in through the password and the two-factor code: the last sign-in is stamped; the officer never signed in.
        Assert.NotNull(supervisor.LastSignInUtc);
        Assert.Null(officer.LastSignInUtc);
    }

    [Fact]
    public async Task AnAdminsUnitsPage_ListsTheUnits_AndASupervisorIsRefused()
    {
        using var admin = await _site.SignedInAsync("admin");
        using var supervisor = await _site.SignedInAsync("supervisor62");

        var page = await admin.GetStringAsync(new Uri("/admin/units", UriKind.Relative));
        using var refused = await supervisor.GetAsync(new Uri("/admin/units", UriKind.Relative));

        Assert.Contains("data-testid=\"unit-row\"", page, StringComparison.Ordinal);
        Assert.Contains("CTC-59", page, StringComparison.Ordinal);
        // A detail not given reads « — » (the capacity « par défaut »): stacked at 320 px, an empty cell showed its
        // column's name followed by nothing.
        var cells = System.Text.RegularExpressions.Regex.Matches(page, "<td data-label=[^>]*>(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(cells);
        Assert.All(cells, cell => Assert.False(string.IsNullOrWhiteSpace(cell.Groups[1].Value), cell.Value));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
