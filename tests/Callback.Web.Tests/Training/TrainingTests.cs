using System.Net;
using Callback.Domain.Persistence;
using Callback.Web.Demo;
using Callback.Web.Persistence;
using Callback.Web.Tests.Hosting;
using Callback.Web.Tests.Security;
using Callback.Web.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Training;

public class TrainingTests
{
    private const string FrenchBanner = "FORMATION — données fictives";

    [Fact]
    public void TrainingProfile_KeepsItsOwnDatabaseJobStoreAndKeys_ByDefault()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = TrainingMode.EnvironmentName });

        Assert.Contains("data/callback-training.db", builder.Configuration.GetConnectionString("Callback"), StringComparison.Ordinal);
        Assert.Equal("data/hangfire-training.db", builder.Configuration.GetConnectionString("Hangfire"));
        Assert.Equal("data/keys-training", builder.Configuration["DataProtection:KeysPath"]);
        var production = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        Assert.NotEqual(production.Configuration.GetConnectionString("Callback"), builder.Configuration.GetConnectionString("Callback"));
        Assert.NotEqual(production.Configuration.GetConnectionString("Hangfire"), builder.Configuration.GetConnectionString("Hangfire"));
    }

    [Fact]
    public void TrainingProfile_ShortensTheDueSoonWindow_WithItsDeadlines()
    {
        var training = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = TrainingMode.EnvironmentName });
        var production = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });

        Assert.Equal(TimeSpan.FromMinutes(4), training.Configuration.GetSection(Domain.Cases.WorkflowOptions.Section).Get<Domain.Cases.WorkflowOptions>()!.DueSoonWithin);
        Assert.Equal(TimeSpan.FromHours(4), production.Configuration.GetSection(Domain.Cases.WorkflowOptions.Section).Get<Domain.Cases.WorkflowOptions>()!.DueSoonWithin);
    }

    [Theory]
    [InlineData("62")]
    [InlineData("72")]
    [InlineData("31")]
    [InlineData("974")]
    public void DemoAddresses_AreFrench_StreetThenPostcodeAndTownOfTheUnitsDepartement(string departement)
    {
        // A drill showed "Guinea" and "Holy See" when Bogus's default (English) locale made the addresses (issue 16.6).
        var random = new Random(20201125);
        for (var i = 0; i < 200; i++)
        {
            var address = DemoPeople.Address(random, departement);

            var match = System.Text.RegularExpressions.Regex.Match(address, @"^\d{1,3} (rue|avenue|impasse|boulevard|chemin|place|allée) [^,]+, (\d{5}) \p{Lu}[\p{L} '-]+$");
            Assert.True(match.Success, address);
            Assert.StartsWith(departement, match.Groups[2].Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Training_RefusesToStart_OnADatabaseWithRealCases_AndLeavesItUntouched()
    {
        var folder = Directory.CreateTempSubdirectory("callback-real-").FullName;
        await using (var real = await SecuredSite.StartAsync(new CallbackFactory(folder)))
        {
            // A real installation: real accounts, and a case opened by a real officer.
        }

        await using var training = new CallbackFactory(folder, b => b.UseEnvironment(TrainingMode.EnvironmentName));
        var error = Record.Exception(() => training.Server);

        Assert.NotNull(error);
        var message = error.ToString();
        Assert.Contains("Training refuses to start on " + Path.Combine(folder, "callback.db"), message, StringComparison.Ordinal);
        Assert.Contains("1 case(s) not opened by a demo account", message, StringComparison.Ordinal);
        await using var check = new CallbackFactory(folder);
        await using var db = await check.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.False(await db.Users.AnyAsync(u => u.Email!.EndsWith(TrainingGuard.DemoDomain), TestContext.Current.CancellationToken), "no demo account was added");
        Assert.Equal(1, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Inspection_CountsCasesOpenedByAnyoneButADemoAccount_AndAccountsOutsideTheDemoDomain()
    {
        await using var h = await Harness.CreateAsync();
        await using (var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.True((await TrainingGuard.InspectAsync(db, TestContext.Current.CancellationToken)).IsDemoOnly, "an empty database is no real data");
        }

        // The harness's officer has no account at all: like a case that came from the intake API or the import command.
        await h.CaseAwaitingContactAsync();

        await using (var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(new TrainingInspection(1, 0), await TrainingGuard.InspectAsync(db, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task TrainingSeed_StartsWithCasesFallingDueWithinMinutes_NotWithABacklogOfOverdueDeadlines()
    {
        var folder = Directory.CreateTempSubdirectory("callback-training-").FullName;
        await using var app = BuildTraining(folder);
        await TrainingGuard.EnsureDemoOnlyAsync(app.Services, TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(TestContext.Current.CancellationToken);

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var cases = await db.Cases.Where(c => c.DueAtUtc != null).Select(c => new { Due = c.DueAtUtc!.Value, c.State, c.Danger }).ToListAsync(TestContext.Current.CancellationToken);
        var due = cases.Select(c => c.Due).ToList();
        var late = string.Join(", ", cases.Where(c => c.Due <= now).GroupBy(c => $"{c.State}/{c.Danger}").Select(g => $"{g.Key}: {g.Count()}"));
        var overdue = due.Count(d => d <= now);
        var withinHalfAnHour = due.Count(d => d > now && d <= now.AddMinutes(30));
        Assert.True(overdue <= due.Count / 5, $"{overdue} of {due.Count} deadlines already passed at start-up ({late})");
        Assert.True(withinHalfAnHour >= due.Count / 3, $"only {withinHalfAnHour} of {due.Count} deadlines fall due in the next 30 minutes");
        // Seeded demo data passes the guard: Training starts again on its own database.
        Assert.True((await TrainingGuard.InspectAsync(db, TestContext.Current.CancellationToken)).IsDemoOnly);
    }

    [Fact]
    public async Task Training_ShowsTheBanner_OnTheSignInPage_AndOnEveryPageOfASignedInOfficer()
    {
        await using var factory = new CallbackFactory(configure: b => b.UseEnvironment(TrainingMode.EnvironmentName));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        // Blazor encodes accented letters and dashes as character references: compare the decoded text.
        var login = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Contains(FrenchBanner, login, StringComparison.Ordinal);

        var signIn = await SecuredSite.PostFormAsync(client, "/account/login", "/account/signin", new()
        {
            ["email"] = "officier.62@demo.callback",
            ["password"] = DemoSeeder.DemoPassword,
            ["returnUrl"] = "/queue",
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Guid caseId;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            caseId = await db.Cases.Where(c => c.Unit!.Code == "CTC-62").Select(c => c.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        foreach (var page in new[] { "/queue", "/cases/new", $"/cases/{caseId}", $"/cases/{caseId}/card", "/account/denied", "/not-a-page" })
        {
            var response = await client.GetAsync(new Uri(page, UriKind.Relative), TestContext.Current.CancellationToken);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{page}: {response.StatusCode}");
            Assert.Contains(FrenchBanner, html, StringComparison.Ordinal);
        }

        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den-GB%7Cuic%3Den-GB");
        var english = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/queue", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Contains("TRAINING — fictitious data", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideTraining_NoPageShowsTheBanner()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = await site.SignedInAsync("officer62");

        foreach (var page in new[] { "/account/login", "/queue" })
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(page, UriKind.Relative), TestContext.Current.CancellationToken));
            Assert.DoesNotContain(FrenchBanner, html, StringComparison.Ordinal);
            Assert.DoesNotContain("training-banner", html, StringComparison.Ordinal);
        }
    }

    /// <summary>The Training host built, never started (no sweep moves the seeded cases), on files of its own.</summary>
    [Fact]
    public async Task SeedDemo_IsRefusedInProduction_AndInTrainingOnRealCases_AddingNoDemoAccount()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("callback-seed-").FullName;
        await using (var production = new CallbackFactory(folder, b => b.UseEnvironment("Production")))
        {
            await SecuredSite.StartAsync(production);
            var output = new StringWriter();
            var exit = await Callback.Web.Cli.CommandLine.RunAsync(["seed-demo"], production.Services, output);
            Assert.Equal(1, exit);
            Assert.Contains("seed-demo: refused in Production: demo accounts have known passwords", output.ToString(), StringComparison.Ordinal);
        }

        // The same real database, reached from a Training build by mistake.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            if (File.Exists(Path.Combine(folder, "callback.db" + suffix)))
            {
                File.Move(Path.Combine(folder, "callback.db" + suffix), Path.Combine(folder, "callback-training.db" + suffix));
            }
        }

        await using var training = BuildTraining(folder);
        var text = new StringWriter();
        var refused = await Callback.Web.Cli.CommandLine.RunAsync(["seed-demo"], training.Services, text);

        Assert.Equal(1, refused);
        Assert.Contains("seed-demo: Training refuses to start on", text.ToString(), StringComparison.Ordinal);
        await using var db = await training.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(ct);
        Assert.False(await db.Users.AnyAsync(u => u.Email!.EndsWith(TrainingGuard.DemoDomain), ct), "no demo account was added");
        Assert.Equal(1, await db.Cases.CountAsync(ct));
    }

    private static WebApplication BuildTraining(string folder)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = TrainingMode.EnvironmentName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Callback"] = $"Data Source={Path.Combine(folder, "callback-training.db")}",
            ["ConnectionStrings:Hangfire"] = Path.Combine(folder, "hangfire-training.db"),
            ["DataProtection:KeysPath"] = Path.Combine(folder, "keys"),
            ["Jobs:RunServer"] = "false",
        });
        builder.AddCallback();
        return builder.Build();
    }
}
