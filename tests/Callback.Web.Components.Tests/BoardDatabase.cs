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

/// <summary>The workflow on a migrated SQLite file with one unit and its own clock, made before the base class renders.</summary>
internal sealed record BoardDatabase(CaseWorkflowService Workflow, IDbContextFactory<CallbackDbContext> Databases, int UnitId, FakeTimeProvider Clock)
{
    public static BoardDatabase Create()
    {
        var folder = Directory.CreateTempSubdirectory("callback-bunit-").FullName;
        // Requests made ten minutes before the page's "now", ten seconds apart: the board's ages stay positive.
        var clock = new FakeTimeProvider(new DateTimeOffset(CallbackComponentTest.Now.AddMinutes(-10)));
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
        return new BoardDatabase(provider.GetRequiredService<CaseWorkflowService>(), databases, unit.Id, clock);
    }
}
