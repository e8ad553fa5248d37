using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Callback.Jobs;
using Callback.Web.Demo;
using Callback.Web.Health;
using Callback.Web.Live;
using Callback.Web.Persistence;
using Hangfire;
using Hangfire.Dashboard;

namespace Callback.Web;

/// <summary>Everything the host registers and maps, shared by the web app, the command line and the tests.</summary>
public static class CallbackHost
{
    public static WebApplicationBuilder AddCallback(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        var contentRoot = builder.Environment.ContentRootPath;

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();

        var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
        database.ConnectionString = configuration.GetConnectionString("Callback") ?? database.ConnectionString;
        services.AddCallbackDatabase(database, contentRoot);
        services.AddSingleton<DatabaseMigrator>();

        var jobs = configuration.GetSection(JobsSettings.Section).Get<JobsSettings>() ?? new JobsSettings();
        var hangfirePath = configuration.GetConnectionString("Hangfire") ?? jobs.SqlitePath;
        jobs.SqlitePath = Path.GetFullPath(Path.Combine(contentRoot, hangfirePath.Replace("Data Source=", "", StringComparison.OrdinalIgnoreCase).TrimEnd(';')));
        services.AddCallbackJobs(jobs);

        services.AddSingleton<CaseChangeBroadcaster>();
        services.AddSingleton<ICaseChangeNotifier>(sp => sp.GetRequiredService<CaseChangeBroadcaster>());
        services.AddSingleton<CaseWorkflowService>();
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<CaseImporter>();
        services.AddTransient<DemoSeeder>();
        services.AddCallbackHealthChecks();
        return builder;
    }

    public static WebApplication MapCallback(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health", HealthEndpoint.Options);
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAccess(app.Environment)],
            DisplayStorageConnectionString = false,
        });
        app.MapGet("/", () => Results.Text("Callback is running. See /health.", "text/plain"));
        return app;
    }

    /// <summary>Admins and supervisors only; until sign-in exists, local requests in Development.</summary>
    private sealed class DashboardAccess(IWebHostEnvironment environment) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.User.IsInRole(Domain.Identity.Roles.Admin) || http.User.IsInRole(Domain.Identity.Roles.Supervisor))
            {
                return true;
            }

            var remote = http.Connection.RemoteIpAddress;
            return environment.IsDevelopment() && remote is not null && System.Net.IPAddress.IsLoopback(remote);
        }
    }
}
