using System.Net;
using Callback.Domain.Persistence;
using Callback.Web.Cli;
using Callback.Web.Features.Account;
using Callback.Web.Persistence;
using Callback.Web.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Callback.Web.Tests.Hosting;

/// <summary>A Production installation started from nothing with the command line only, as issue 22 asks.</summary>
public class UnitsCommandTests
{
    private static CallbackFactory Production(CapturingLoggerProvider? logs = null, string? folder = null) =>
        new(folder, b =>
        {
            b.UseEnvironment("Production");
            if (logs is not null)
            {
                b.ConfigureLogging(l => l.AddProvider(logs));
            }
        });

    private static async Task<(int Exit, string Output)> RunAsync(CallbackFactory factory, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CommandLine.RunAsync(args, factory.Services, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task InProduction_AUnitMadeByTheCommand_TakesAnOfficer_WhoSignsInAndReachesTheQueue()
    {
        await using var factory = Production();

        var unit = await RunAsync(factory, "units", "create", "BRI-974", "--name", "Brigade de Saint-Denis", "--departement", "974",
            "--switchboard", "0262 90 00 00", "--capacity", "40", "--escalation-email", "cellule.974@example.fr");
        var officer = await RunAsync(factory, "users", "create", "agent@example.fr", "--role", "Officer", "--unit", "BRI-974");

        Assert.Equal((0, true), (unit.Exit, unit.Output.Contains("created unit BRI-974", StringComparison.Ordinal)));
        Assert.Equal(0, officer.Exit);
        var password = officer.Output.Split("password (shown once): ")[1].Trim();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync())
        {
            var made = await db.Units.SingleAsync(u => u.Code == "BRI-974");
            Assert.Equal(("Indian/Reunion", "+262262900000", 40), (made.TimeZoneId, made.SwitchboardPhone, made.DailyCallCapacity!.Value));
            Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == "UnitCreated" && e.Actor == "cli" && e.Reason!.Contains("BRI-974", StringComparison.Ordinal));
        }

        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        var signIn = await SecuredSite.PostFormAsync(client, "/account/login", "/account/signin", new()
        {
            ["email"] = "agent@example.fr",
            ["password"] = password,
            ["returnUrl"] = "/queue",
        });
        Assert.Equal("/queue", signIn.Headers.Location?.OriginalString);
        using var queue = await client.GetAsync(new Uri("/queue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
    }

    [Theory]
    [InlineData("--departement", "20", "--departement")]
    [InlineData("--departement", "975", "--departement")]
    [InlineData("--time-zone", "Europe/Pariss", "--time-zone")]
    [InlineData("--time-zone", "Romance Standard Time", "--time-zone")]
    public async Task UnitsCreate_WithAWrongDepartementOrZone_IsRefused_NamingTheOption(string option, string value, string named)
    {
        await using var factory = Production();
        string[] args = ["units", "create", "BRI-1", "--name", "Brigade", "--departement", "62"];
        args = [.. args.Where((_, i) => !(option == "--departement" && i is 5 or 6)), option, value];

        var (exit, output) = await RunAsync(factory, args);

        Assert.Equal(1, exit);
        Assert.Contains($"units create: {named}: \"{value}\"", output, StringComparison.Ordinal);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Units.AnyAsync());
    }

    [Fact]
    public async Task UnitsUpdate_ChangesOnlyTheOptionsGiven_TheZoneFollowingANewDepartement_AndIsAudited()
    {
        await using var factory = Production();
        await RunAsync(factory, "units", "create", "CTC-1", "--name", "Cellule", "--departement", "62", "--capacity", "12");

        var (exit, output) = await RunAsync(factory, "units", "update", "CTC-1", "--departement", "972");
        var list = await RunAsync(factory, "units", "list");

        Assert.Equal(0, exit);
        Assert.Contains("Departement, TimeZone", output, StringComparison.Ordinal);
        Assert.Contains("CTC-1\tCellule\t972\tAmerica/Martinique\t\t12", list.Output, StringComparison.Ordinal);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == "UnitUpdated" && e.Reason == "unit CTC-1: Departement, TimeZone");
    }

    [Fact]
    public async Task FirstStartInProduction_WithNoAdmin_LogsTheCommand_AndTheHomePageShowsIt_UntilAnAdminExists()
    {
        // The app migrates before it starts; a test host does not, so the installation is migrated by a first start.
        string folder;
        await using (var first = Production())
        {
            await first.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            folder = first.Folder;
        }

        var logs = new CapturingLoggerProvider();
        await using var factory = Production(logs, folder);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var before = await client.GetAsync(new Uri("/", UriKind.Relative));
        var page = await before.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains("data-testid=\"first-start\"", page, StringComparison.Ordinal);
        Assert.Contains(FirstStart.Command, page, StringComparison.Ordinal);
        Assert.Contains("Aucun compte administrateur", page, StringComparison.Ordinal);
        Assert.Contains("Warning " + typeof(FirstStart).FullName + ": No Admin account exists", logs.Text(), StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production dotnet Callback.Web.dll users create admin@example.fr --role Admin", logs.Text(), StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(factory, "users", "create", "admin@example.fr", "--role", "Admin")).Exit);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
