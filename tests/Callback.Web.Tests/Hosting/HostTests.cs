using System.Net;
using System.Text.Json;
using Callback.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

/// <summary>The real web host on its SQLite default, with its own files in a temporary folder.</summary>
public sealed class CallbackFactory(string? folder = null, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    /// <summary>The host's files; a second factory on the same folder is the same installation after a restart.</summary>
    public string Folder { get; } = folder ?? Directory.CreateTempSubdirectory("callback-host-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Callback", $"Data Source={Path.Combine(Folder, "callback.db")}");
        builder.UseSetting("ConnectionStrings:Hangfire", Path.Combine(Folder, "hangfire.db"));
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(Folder, "keys"));
        configure?.Invoke(builder);
    }
}

public class HostTests
{
    [Fact]
    public async Task Health_ReportsTheDatabaseTheJobStoreAndTheDeadlineLag()
    {
        // A probe on the host itself: only it (or an Admin) reads the checks (Security/HealthDisclosureTests).
        await using var factory = new CallbackFactory(configure: b => FixedRemoteAddress.From(b, IPAddress.Loopback));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("jobStore").GetProperty("status").GetString());
        Assert.Equal(0, checks.GetProperty("deadlines").GetProperty("data").GetProperty("oldestDueLagSeconds").GetDouble());
    }

    /// <summary>The retention run is declared beside the start-up (a broken job store must not stop the app), but declared.</summary>
    [Fact]
    public async Task DailyRetentionRun_IsDeclaredInTheJobStore_SoonAfterTheStart()
    {
        await using var factory = new CallbackFactory();
        using var client = factory.CreateClient();
        var storage = factory.Services.GetRequiredService<JobStorage>();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool declared;
        do
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            using var connection = storage.GetConnection();
            declared = connection.GetRecurringJobs().Any(j => j.Id == RetentionJob.RecurringId);
        }
        while (!declared && waited.Elapsed < TimeSpan.FromSeconds(20));

        Assert.True(declared, "the daily retention run was not declared within 20 s of the start");
    }

    [Fact]
    public async Task HangfireDashboard_IsClosedToAnonymousRequests_OutsideDevelopment()
    {
        await using var factory = new CallbackFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"got {response.StatusCode}");
    }
}
