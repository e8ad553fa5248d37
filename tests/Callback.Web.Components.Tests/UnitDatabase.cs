using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The workflow on a migrated SQLite file with one unit (CTC-62) and its own clock, made before the base class renders:
/// for the component tests that need real writes (races, conflicts, live pages).
/// </summary>
internal sealed record UnitDatabase(CaseWorkflowService Workflow, IDbContextFactory<CallbackDbContext> Databases, int UnitId, TimeProvider Clock)
{
    /// <summary>A fake clock ten minutes before the pages' "now": what is made on it has positive ages on the page.</summary>
    public static UnitDatabase OnFakeClock() => Create(new FakeTimeProvider(new DateTimeOffset(CallbackComponentTest.Now.AddMinutes(-10))));

    public static UnitDatabase Create(TimeProvider clock)
    {
        var folder = Directory.CreateTempSubdirectory("callback-bunit-").FullName;
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IDeadlineAlarms, NoAlarms>()
            .AddSingleton<ICaseChangeNotifier, NoNotifications>()
            .AddSingleton<DatabaseMigrator>()
            .AddSingleton<CaseWorkflowService>();
        services.AddOptions<WorkflowOptions>();
        services.AddCallbackDatabase(new DatabaseSettings { ConnectionString = $"Data Source={Path.Combine(folder, "callback.db")}" }, folder);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        var databases = provider.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        using var db = databases.CreateDbContext();
        var unit = new Unit("CTC-62", "Cellule 62", "62", "Europe/Paris");
        db.Units.Add(unit);
        db.SaveChanges();
        return new UnitDatabase(provider.GetRequiredService<CaseWorkflowService>(), databases, unit.Id, clock);
    }
}
