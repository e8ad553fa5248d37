using Callback.Domain.Access;
using Microsoft.AspNetCore.Authorization;

namespace Callback.Web.Security;

/// <summary>
/// The named authorization policies of pages, endpoints and menu links: one per <see cref="Feature"/>, requiring the
/// roles the permission map gives it. A page says which feature it is (<c>[Authorize(Policy = Policies.Queue)]</c>);
/// who may open it is decided in Domain/Access/Permissions.cs only.
/// </summary>
public static class Policies
{
    // Constants, because attribute arguments must be; the names are the features' own, so Register can find them.
    public const string Queue = nameof(Feature.Queue);
    public const string Search = nameof(Feature.Search);
    public const string NewCase = nameof(Feature.NewCase);
    public const string NeutralCard = nameof(Feature.NeutralCard);
    public const string Dispatch = nameof(Feature.Dispatch);
    public const string Supervision = nameof(Feature.Supervision);
    public const string Import = nameof(Feature.Import);
    public const string ApiKeys = nameof(Feature.ApiKeys);
    public const string Audit = nameof(Feature.Audit);
    public const string Users = nameof(Feature.Users);
    public const string Partners = nameof(Feature.Partners);
    public const string JobDashboard = nameof(Feature.JobDashboard);
    public const string Units = nameof(Feature.Units);

    /// <summary>The policy name of <paramref name="feature"/>.</summary>
    public static string For(Feature feature) => feature.ToString();

    /// <summary>The feature a policy name stands for, or null when it is not one of ours.</summary>
    public static Feature? FeatureOf(string policy) => Enum.TryParse<Feature>(policy, out var feature) && For(feature) == policy ? feature : null;

    /// <summary>Registers every feature's policy from the permission map.</summary>
    public static AuthorizationBuilder AddFeaturePolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var feature in Enum.GetValues<Feature>())
        {
            builder.AddPolicy(For(feature), policy => policy.RequireRole(Permissions.RolesFor(feature)));
        }

        return builder;
    }

    /// <summary>Whether a signed-in user's roles open <paramref name="feature"/>, where no policy evaluation is at hand (Hangfire's filter).</summary>
    public static bool Opens(System.Security.Claims.ClaimsPrincipal user, Feature feature)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Permissions.RolesFor(feature).Any(user.IsInRole);
    }
}
