using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Web.Tests.Hosting;

/// <summary>Issue 16.8: what an operator reads in the log at a first start is what to do, not a framework's noise.</summary>
public sealed class StartLogTests
{
    [Fact]
    public async Task AFirstStart_SaysHowTheKeysAreKept_WithoutDataProtectionsEncryptorWarning()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new CallbackFactory(configure: b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();

        // The sign-in form's antiforgery token makes the first key of an empty key ring.
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("__RequestVerificationToken", page, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(Path.Combine(factory.Folder, "keys"), "key-*.xml").Length == 1, "a key was made");
        var text = logs.Text();
        Assert.Contains($"Data-protection keys in {Path.Combine(factory.Folder, "keys")}, readable by the service account only and not encrypted: set DataProtection:CertificatePath", text, StringComparison.Ordinal);
        Assert.DoesNotContain("No XML encryptor configured", text, StringComparison.Ordinal);
    }
}
