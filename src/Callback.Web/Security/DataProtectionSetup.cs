using Microsoft.AspNetCore.DataProtection;

namespace Callback.Web.Security;

public static partial class DataProtectionSetup
{
    public const string KeysPathKey = "DataProtection:KeysPath";

    /// <summary>A PKCS#12 file (and its password) whose certificate encrypts the keys at rest (docs/security.md).</summary>
    public const string CertificatePathKey = "DataProtection:CertificatePath";

    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>
    /// Says once at start how the keys are kept. Without a certificate, Data Protection's own warning ("No XML encryptor
    /// configured", issue 16.8) came at each new key and told an operator nothing of what to do; it is filtered in
    /// appsettings.json and this line says it instead, with the setting that changes it.
    /// </summary>
    public static void ReportKeyProtection(IConfiguration configuration, string contentRoot, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var folder = KeysFolder(configuration, contentRoot);
        if (configuration[CertificatePathKey] is { Length: > 0 })
        {
            LogEncrypted(logger, folder);
        }
        else
        {
            LogUnencrypted(logger, folder, CertificatePathKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data-protection keys in {Folder}, encrypted with the configured certificate")]
    private static partial void LogEncrypted(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data-protection keys in {Folder}, readable by the service account only and not encrypted: set {Setting} to encrypt them (docs/security.md, Data at rest)")]
    private static partial void LogUnencrypted(ILogger logger, string folder, string setting);

    /// <summary>The key ring's folder: <c>DataProtection:KeysPath</c>, or data/keys, against the content root.</summary>
    public static string KeysFolder(IConfiguration configuration, string contentRoot) =>
        Path.GetFullPath(Path.Combine(contentRoot, configuration?[KeysPathKey] ?? "data/keys"));

    /// <summary>
    /// Keeps the keys that sign cookies and antiforgery tokens in a folder beside the database (data/keys by default),
    /// so a restart or an upgrade does not sign everyone out mid-call. The folder holds secrets: it is backed up with
    /// the database and readable by the service account only.
    /// </summary>
    public static IServiceCollection AddCallbackDataProtection(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var path = KeysFolder(configuration, contentRoot);
        Directory.CreateDirectory(path);
        PrivateFiles.NarrowFolder(path);
        var keys = services.AddDataProtection()
            .SetApplicationName("Callback")
            .PersistKeysToFileSystem(new DirectoryInfo(path));
        if (configuration[CertificatePathKey] is { Length: > 0 } certificatePath)
        {
            // The keys protect the sessions and the authenticator secrets: encrypted with the certificate, a copy of the
            // folder (a backup, a stolen disk image) is useless without the certificate's private key.
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                Path.GetFullPath(Path.Combine(contentRoot, certificatePath)), configuration[CertificatePasswordKey]);
            keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }
}
