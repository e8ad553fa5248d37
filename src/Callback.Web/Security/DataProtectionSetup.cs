using Microsoft.AspNetCore.DataProtection;

namespace Callback.Web.Security;

public static class DataProtectionSetup
{
    public const string KeysPathKey = "DataProtection:KeysPath";

    /// <summary>
    /// Keeps the keys that sign cookies and antiforgery tokens in a folder beside the database (data/keys by default),
    /// so a restart or an upgrade does not sign everyone out mid-call. The folder holds secrets: it is backed up with
    /// the database and readable by the service account only.
    /// </summary>
    public static IServiceCollection AddCallbackDataProtection(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var path = Path.GetFullPath(Path.Combine(contentRoot, configuration[KeysPathKey] ?? "data/keys"));
        Directory.CreateDirectory(path);
        services.AddDataProtection()
            .SetApplicationName("Callback")
            .PersistKeysToFileSystem(new DirectoryInfo(path));
        return services;
    }
}
