using System.Security.Claims;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Web.Features.Account;
using Callback.Web.Persistence;
using Callback.Web.Security;
using Callback.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Inside an open circuit the router keeps the access-denied notice from one refused page to the next: only the first of
/// seven refused pages was audited. The app's own router, a signed-in officer, three refused pages in one circuit.
/// </summary>
public sealed class DeniedNavigationAuditTests : CallbackComponentTest
{
    // A field initializer: it runs before the base constructor, which registers the services and builds the provider.
    private readonly IDbContextFactory<CallbackDbContext> _databases = MigratedDatabase();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_databases);
        services.AddSingleton<SecurityAudit>();
        services.AddSingleton(new TrainingMode(false));
        services.AddSingleton(Options.Create(new SessionSettings()));
    }

    [Fact]
    public async Task EachRefusedPageOfOneCircuit_IsAuditedOnce()
    {
        // The layout brings its own popover provider: the base's goes.
        await DisposeComponentsAsync();
        Authorization.SetAuthorized("officer").SetRoles(Roles.Officer).SetClaims(new Claim(ClaimTypes.NameIdentifier, "officer-1"));
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/audit");
        var routes = Render<Routes>();

        await AuditedAsync("NAVIGATE /audit");
        navigation.NavigateTo("/admin/users");
        await AuditedAsync("NAVIGATE /audit", "NAVIGATE /admin/users");
        navigation.NavigateTo("/admin/units?tab=2");
        await AuditedAsync("NAVIGATE /audit", "NAVIGATE /admin/users", "NAVIGATE /admin/units");

        // The same visit drawn again (a state change, a re-render) is not a new refusal.
        routes.Render();
        await Task.Delay(300, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(["NAVIGATE /audit", "NAVIGATE /admin/users", "NAVIGATE /admin/units"], await DenialsAsync());
    }

    private async Task AuditedAsync(params string[] expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        List<string?> denials;
        do
        {
            denials = await DenialsAsync();
            if (denials.Count >= expected.Length)
            {
                break;
            }

            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(expected, denials);
    }

    private async Task<List<string?>> DenialsAsync()
    {
        await using var db = await _databases.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.AccessDenied && e.Actor == "officer-1")
            .OrderBy(e => e.Sequence).Select(e => e.Reason).ToListAsync();
    }

    private static IDbContextFactory<CallbackDbContext> MigratedDatabase()
    {
        var folder = Directory.CreateTempSubdirectory("callback-bunit-").FullName;
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<DatabaseMigrator>();
        services.AddCallbackDatabase(new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")}" }, folder);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        return provider.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
    }
}
