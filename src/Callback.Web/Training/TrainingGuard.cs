using Callback.Domain.Audit;
using Callback.Domain.Persistence;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Training;

/// <summary>
/// Keeps Training off real data. A training database holds demo data only, and demo data is told apart by its accounts:
/// every account has an address at <see cref="DemoDomain"/> (the demo seeder's accounts, and any a trainer adds during a
/// drill), and every case was opened (audit entry <c>Open</c>) by one of those accounts. A real installation always has a
/// real account (its first Admin, <c>users create</c>), and its cases are opened by real officers, by the intake API or
/// by the import command: any of them and Training refuses to start, before it migrates or seeds anything, so a real
/// database is neither upgraded nor filled with the demo accounts and their published password.
/// </summary>
public static class TrainingGuard
{
    /// <summary>The domain of every demo account (DemoSeeder.DemoUsers); Training accepts no other.</summary>
    public const string DemoDomain = "@demo.callback";

    public static async Task<TrainingInspection> InspectAsync(CallbackDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            // A new file (or an empty database): nothing in it yet, real or not.
            return new TrainingInspection(0, 0);
        }

        var demoSuffix = DemoDomain.ToUpperInvariant();
        var demoAccounts = db.Users.Where(u => u.NormalizedEmail != null && u.NormalizedEmail.EndsWith(demoSuffix)).Select(u => u.Id);
        var otherAccounts = await db.Users.CountAsync(u => u.NormalizedEmail == null || !u.NormalizedEmail.EndsWith(demoSuffix), cancellationToken);
        var otherCases = await db.Cases.CountAsync(
            c => !db.AuditEntries.Any(a => a.CaseId == c.Id && a.Action == AuditActions.Open && demoAccounts.Contains(a.Actor)),
            cancellationToken);
        return new TrainingInspection(otherCases, otherAccounts);
    }

    /// <summary>Throws, with what was found and what to do, when the configured database holds anything but demo data.</summary>
    public static async Task EnsureDemoOnlyAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var databases = services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var found = await InspectAsync(db, cancellationToken);
        if (!found.IsDemoOnly)
        {
            throw new InvalidOperationException(RefusalMessage(found, services.GetRequiredService<DatabaseLocation>()));
        }
    }

    public static string RefusalMessage(TrainingInspection found, DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(location);
        var where = location.Provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(location.ConnectionString).DataSource
            : "the configured PostgreSQL database";
        return $"Training refuses to start on {where}: it holds {found.RealCases} case(s) not opened by a demo account and " +
            $"{found.RealAccounts} account(s) outside {DemoDomain}, so it looks like real data. Nothing was changed. " +
            "Training keeps its own database (data/callback-training.db, appsettings.Training.json): remove the " +
            "ConnectionStrings:Callback override that points it here, or point it at a new file (docs/operations.md, Training).";
    }
}

/// <summary>What <see cref="TrainingGuard"/> found that is not demo data.</summary>
public sealed record TrainingInspection(int RealCases, int RealAccounts)
{
    public bool IsDemoOnly => RealCases == 0 && RealAccounts == 0;
}
