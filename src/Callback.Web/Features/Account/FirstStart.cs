using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Account;

/// <summary>
/// A new installation has no account at all, and nobody can sign in to make one: until an enabled Admin exists, the
/// start-up log (Warning) gives the command that creates one and <c>/</c> shows it instead of a sign-in form nobody can use.
/// </summary>
public sealed partial class FirstStart(IDbContextFactory<CallbackDbContext> databases, IHostEnvironment environment, ILogger<FirstStart> logger) : IHostedService
{
    /// <summary>The command as an administrator types it in the installation folder; the page shows this one (no server path).</summary>
    public const string Command = "dotnet Callback.Web.dll users create admin@example.fr --role Admin";

    // Once an Admin exists the question is settled for the life of the process: no query on every visit of "/".
    private volatile bool _hasAdmin;

    /// <summary>Whether no enabled Admin exists yet.</summary>
    public async Task<bool> NeedsAdminAsync(CancellationToken cancellationToken = default)
    {
        if (_hasAdmin)
        {
            return false;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var adminRole = db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id);
        _hasAdmin = await db.UserRoles.AnyAsync(
            ur => adminRole.Contains(ur.RoleId) && db.Users.Any(u => u.Id == ur.UserId && !u.Disabled), cancellationToken);
        return !_hasAdmin;
    }

    /// <summary>The exact command for this installation: its environment, its folder, its binary. No personal data.</summary>
    public string CommandHere() =>
        $"cd {environment.ContentRootPath} && ASPNETCORE_ENVIRONMENT={environment.EnvironmentName} dotnet {Path.GetFileName(typeof(FirstStart).Assembly.Location)} users create admin@example.fr --role Admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        bool needsAdmin;
        try
        {
            needsAdmin = await NeedsAdminAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // A database not migrated yet (a host started by a test, or by a command): nothing to say about accounts.
            return;
        }

        if (needsAdmin)
        {
            LogNoAdmin(logger, CommandHere());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Admin account exists: nobody can sign in. Create the first one with: {Command} (replace the e-mail address; the password is shown once)")]
    private static partial void LogNoAdmin(ILogger logger, string command);
}
