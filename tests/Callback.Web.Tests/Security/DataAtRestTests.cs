using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Callback.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>
/// Issue 14, item 3: what Callback leaves on disk. The database, its -wal and -shm, the job store and the keys are
/// readable by the service account only, and the key ring is encrypted when a certificate is configured.
/// </summary>
public sealed class DataAtRestTests
{
    [Fact]
    public void WithACertificate_TheKeyRingIsEncryptedAtRest_AndStillReadAfterARestart()
    {
        var folder = Directory.CreateTempSubdirectory("callback-keys-").FullName;
        var certificate = Path.Combine(folder, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Callback keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(1));
            File.WriteAllBytes(certificate, made.Export(X509ContentType.Pkcs12, "pfx-password"));
        }

        var settings = new Dictionary<string, string?>
        {
            [DataProtectionSetup.KeysPathKey] = Path.Combine(folder, "keys"),
            [DataProtectionSetup.CertificatePathKey] = certificate,
            [DataProtectionSetup.CertificatePasswordKey] = "pfx-password",
        };

        var protectedText = Protector(settings, folder).Protect("authenticator secret");
        var keyFile = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(folder, "keys"), "*.xml")));

        Assert.Contains("encryptedSecret", keyFile, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", keyFile, StringComparison.Ordinal);
        // A second process (a restart) reads the encrypted ring with the same certificate.
        Assert.Equal("authenticator secret", Protector(settings, folder).Unprotect(protectedText));
    }

    [Fact]
    public void WithoutACertificate_TheKeyRingIsInClear_AsDocumented()
    {
        var folder = Directory.CreateTempSubdirectory("callback-keys-").FullName;
        var settings = new Dictionary<string, string?> { [DataProtectionSetup.KeysPathKey] = Path.Combine(folder, "keys") };

        Protector(settings, folder).Protect("x");

        var keyFile = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(folder, "keys"), "*.xml")));
        Assert.DoesNotContain("encryptedSecret", keyFile, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void AKeysFolderLeftReadableByAnEarlierVersion_IsNarrowedAtStart()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        var keys = Directory.CreateTempSubdirectory("callback-keys-").FullName;
        var old = Path.Combine(keys, "key-old.xml");
        File.WriteAllText(old, "<key/>");
        File.SetUnixFileMode(keys, PrivateFiles.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(old, PrivateFiles.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        new ServiceCollection().AddCallbackDataProtection(Configuration(new() { [DataProtectionSetup.KeysPathKey] = keys }), keys);

        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(keys));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(old));
    }

    /// <summary>The real app, as a process: every file it creates in a new data folder is 0600, the folders 0700.</summary>
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task TheAppsDatabaseJobStoreAndKeys_AreReadableByItsAccountOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        var root = Directory.CreateTempSubdirectory("callback-modes-").FullName;
        var data = Path.Combine(root, "data");
        var info = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ConnectionStrings__Callback"] = $"Data Source={Path.Combine(data, "callback.db")}";
        info.Environment["ConnectionStrings__Hangfire"] = Path.Combine(data, "hangfire.db");
        info.Environment["DataProtection__KeysPath"] = Path.Combine(data, "keys");
        info.Environment["Demo__SeedOnStart"] = "true";
        using var app = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        var started = new TaskCompletionSource();
        app.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        app.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
            var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
            var folders = Directory.GetDirectories(data, "*", SearchOption.AllDirectories).Append(data).ToList();

            Assert.Contains(files, f => f.EndsWith("callback.db-wal", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith(".xml", StringComparison.Ordinal));
            Assert.All(files, f => Assert.Equal((f, PrivateFiles.FileMode), (f, File.GetUnixFileMode(f))));
            Assert.All(folders, f => Assert.Equal((f, PrivateFiles.FolderMode), (f, File.GetUnixFileMode(f))));
        }
        catch (TimeoutException)
        {
            lock (output)
            {
                Assert.Fail($"the app did not start:\n{output}");
            }
        }
        finally
        {
            app.Kill(entireProcessTree: true);
        }
    }

    private static IDataProtector Protector(Dictionary<string, string?> settings, string contentRoot) =>
        new ServiceCollection().AddCallbackDataProtection(Configuration(settings), contentRoot)
            .BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
