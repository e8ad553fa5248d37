using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Web.Cli;
using Callback.Web.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

public class UsersCommandTests
{
    [Fact]
    public async Task Production_StartsWithNoAccountAtAll()
    {
        await using var factory = new CallbackFactory(configure: b => b.UseEnvironment("Production"));
        _ = factory.Server;

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task UsersCreate_MakesTheFirstAdmin_WithAGeneratedPasswordShownOnce()
    {
        await using var factory = new CallbackFactory(configure: b => b.UseEnvironment("Production"));
        var output = new StringWriter();

        var exit = await CommandLine.RunAsync(["users", "create", "admin@example.fr", "--role", "Admin", "--name", "Première admin"], factory.Services, output);

        Assert.Equal(0, exit);
        var password = output.ToString().Split("password (shown once): ")[1].Trim();
        Assert.True(password.Length >= 12);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync("admin@example.fr");
        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
        Assert.True(await users.CheckPasswordAsync(admin, password));
    }

    [Fact]
    public async Task UsersCreate_ForAnOfficerWithoutUnit_IsRefusedWithTheReason()
    {
        await using var factory = new CallbackFactory(configure: b => b.UseEnvironment("Production"));
        await factory.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var output = new StringWriter();

        var exit = await CommandLine.RunAsync(["users", "create", "officer@example.fr", "--role", "Officer"], factory.Services, output);

        Assert.Equal(1, exit);
        Assert.Contains("must belong to a unit", output.ToString(), StringComparison.Ordinal);
    }
}
