using System.Security.Claims;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Callback.Web.Features.Account;

/// <summary>Claims Callback adds to the Identity cookie: the user's unit and its département, for scope checks.</summary>
public static class CallbackClaims
{
    public const string UnitId = "callback:unit";
    public const string Departement = "callback:departement";
    public const string DisplayName = "callback:name";
}

public static class IdentitySetup
{
    /// <summary>How often an open circuit re-checks the user's security stamp (a disabled user is cut off within it).</summary>
    public static readonly TimeSpan Revalidation = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddCallbackIdentity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.LogoutPath = "/account/logout";
            o.Cookie.Name = "callback.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = Revalidation);
        services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CallbackDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            // One use per code, ±1 step (Identity's own provider takes ±2 steps and the same code again).
            .AddTokenProvider<AuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider)
            .AddPasswordValidator<Security.CommonPasswordValidator>()
            .AddClaimsPrincipalFactory<CallbackClaimsFactory>();
        // Identity's store, with the authenticator key protected by Data Protection; registered last, so it is the one resolved.
        services.AddScoped<IUserStore<ApplicationUser>, CallbackUserStore>();
        services.AddSingleton<DecoyPassword>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<SessionRevocation>();
        // Identity's stores want a scoped context; it comes from the same pooled factory as everything else.
        services.AddScoped<CallbackDbContext>(sp => sp.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContext());
        // One named policy per feature, built from the permission map: pages and endpoints name a policy, never roles.
        services.AddAuthorizationBuilder().AddFeaturePolicies();
        services.AddScoped<CurrentUser>();
        return services;
    }
}

/// <summary>Puts the unit and its département into the cookie so every request knows the user's scope without a query.</summary>
internal sealed class CallbackClaimsFactory(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options,
    IDbContextFactory<CallbackDbContext> databases)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CallbackClaims.DisplayName, user.DisplayName));
        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(Security.TwoFactor.Claim, "on"));
        }
        if (user.UnitId is { } unitId)
        {
            await using var db = await databases.CreateDbContextAsync();
            var departement = await db.Units.Where(u => u.Id == unitId).Select(u => u.Departement).SingleAsync();
            identity.AddClaim(new Claim(CallbackClaims.UnitId, unitId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim(CallbackClaims.Departement, departement));
        }

        return identity;
    }
}

/// <summary>
/// Re-checks the security stamp and the session of every open circuit each minute: a user who is disabled, locked out,
/// whose password changed or whose session ended on another node loses the open pages, not only the next request.
/// A session ended on this node (sign-out, "sign out everywhere") closes the circuit at once.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<IdentityOptions> _options;
    private readonly SessionRevocation _sessions;

    public RevalidatingIdentityStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> options, SessionRevocation sessions)
        : base(loggers)
    {
        _scopes = scopes;
        _options = options;
        _sessions = sessions;
        _sessions.Ended += OnSessionEnded;
    }

    protected override TimeSpan RevalidationInterval => IdentitySetup.Revalidation;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        if (user is null || user.Disabled)
        {
            return false;
        }

        // A circuit starts from a cookie, and a cookie is only accepted with its session: the id is there to check.
        if (authenticationState.User.FindFirstValue(SessionRevocation.Claim) is { } session && !await _sessions.IsActiveAsync(user.Id, session, cancellationToken))
        {
            return false;
        }

        var stamp = authenticationState.User.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        return !users.SupportsUserSecurityStamp || stamp == await users.GetSecurityStampAsync(user);
    }

    private void OnSessionEnded(string userId, string? sessionId) => _ = CloseIfOursAsync(userId, sessionId);

    private async Task CloseIfOursAsync(string userId, string? sessionId)
    {
        try
        {
            var user = (await GetAuthenticationStateAsync()).User;
            if (user.FindFirstValue(ClaimTypes.NameIdentifier) == userId && (sessionId is null || user.FindFirstValue(SessionRevocation.Claim) == sessionId))
            {
                // As the minute's revalidation would: the circuit's pages see an anonymous user and leave for the sign-in page.
                SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            }
        }
        catch (InvalidOperationException)
        {
            // The circuit had no state yet (still starting): its first revalidation reads the ended session.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sessions.Ended -= OnSessionEnded;
        }

        base.Dispose(disposing);
    }
}

/// <summary>The signed-in user as the workflow sees them: an <see cref="Actor"/> with roles and scope.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<Actor> ActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return FromPrincipal(state.User);
    }

    public static Actor FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var unit = user.FindFirstValue(CallbackClaims.UnitId) is { } u ? int.Parse(u, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        return new Actor(id, roles, unit, user.FindFirstValue(CallbackClaims.Departement));
    }

    public static string DisplayName(ClaimsPrincipal user) =>
        user.FindFirstValue(CallbackClaims.DisplayName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "";
}

/// <summary>Creates users from the command line and for the demo.</summary>
public sealed class UserAdministration(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IDbContextFactory<CallbackDbContext> databases)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }
    }

    public async Task<ApplicationUser> CreateAsync(string email, string displayName, string password, string role, string? unitCode)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role \"{role}\". Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        await EnsureRolesAsync();
        Unit? unit = null;
        if (unitCode is not null)
        {
            await using var db = await databases.CreateDbContextAsync();
            unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode)
                ?? throw new ArgumentException($"Unit \"{unitCode}\" does not exist.", nameof(unitCode));
        }
        else if (role != Roles.Admin)
        {
            throw new ArgumentException($"A user with role {role} must belong to a unit (--unit CODE).", nameof(unitCode));
        }

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, UnitId = unit?.Id };
        Check(await users.CreateAsync(user, password), $"user {email}");
        Check(await users.AddToRoleAsync(user, role), $"role of {email}");
        return user;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
