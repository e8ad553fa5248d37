using Microsoft.AspNetCore.Identity;

namespace Callback.Domain.Identity;

/// <summary>A Callback user: an Identity account that belongs to one unit.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public int? UnitId { get; set; }
    public string DisplayName { get; set; } = "";
    public bool Disabled { get; set; }

    /// <summary>When the user last signed in (the full sign-in, two-factor included); null if never.</summary>
    public DateTime? LastSignInUtc { get; set; }
}

/// <summary>The four roles of PRODUCT.md. Names are stable: they are stored in the Identity tables.</summary>
public static class Roles
{
    public const string Officer = nameof(Officer);
    public const string Supervisor = nameof(Supervisor);
    public const string Dispatcher = nameof(Dispatcher);
    public const string Admin = nameof(Admin);

    public static IReadOnlyList<string> All { get; } = [Officer, Supervisor, Dispatcher, Admin];
}
