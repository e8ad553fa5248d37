using System.Net;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Callback.Jobs;
using Callback.Web.Demo;
using Callback.Web.Health;
using Callback.Web.Live;
using Callback.Web.Localization;
using Callback.Web.Persistence;
using Callback.Web.Components;
using Callback.Web.Features.Account;
using Callback.Web.Features.Intake;
using Callback.Web.Features.Queue;
using Callback.Web.Features.Supervision;
using Callback.Web.Security;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

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
        // Training and Testing run from the build output like Development: serve MudBlazor's and Blazor's files from it.
        builder.WebHost.UseStaticWebAssets();

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<PatrolGovernorOptions>().Bind(configuration.GetSection(PatrolGovernorOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        // The grid and the questionnaire are embedded data: loading them here makes a malformed file stop the start.
        services.AddSingleton(DangerGrid.Default);
        services.AddSingleton(Questionnaire.Default);
        services.AddOptions<DangerGridOptions>().Bind(configuration.GetSection(DangerGridOptions.Section))
            .Validate(o => { o.Validate(DangerGrid.Default); return true; }).ValidateOnStart();

        var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
        database.ConnectionString = configuration.GetConnectionString("Callback") ?? database.ConnectionString;
        // Under test a query whose row limit has no order is an error, not a log line nobody reads (issue 16.8).
        services.AddCallbackDatabase(database, contentRoot, builder.Environment.IsEnvironment("Testing") ? DatabaseRegistration.StrictQueries : null);
        services.AddSingleton<DatabaseMigrator>();

        var jobs = configuration.GetSection(JobsSettings.Section).Get<JobsSettings>() ?? new JobsSettings();
        var hangfirePath = configuration.GetConnectionString("Hangfire") ?? jobs.SqlitePath;
        jobs.SqlitePath = Path.GetFullPath(Path.Combine(contentRoot, hangfirePath.Replace("Data Source=", "", StringComparison.OrdinalIgnoreCase).TrimEnd(';')));
        Security.PrivateFiles.NarrowDatabase(jobs.SqlitePath);
        if (database.Provider == DatabaseProvider.Postgres && jobs.Storage == JobStoreKind.Sqlite)
        {
            // Several nodes share one job store: it lives beside the cases, in the same PostgreSQL database.
            jobs.Storage = JobStoreKind.Postgres;
            jobs.PostgresConnectionString ??= database.ConnectionString;
        }

        services.AddSingleton(configuration.GetSection(Jobs.Mail.SmtpSettings.Section).Get<Jobs.Mail.SmtpSettings>() ?? new Jobs.Mail.SmtpSettings());
        services.AddCallbackJobs(jobs);
        services.AddSingleton(sp => new Backups(
            new BackupSources(sp.GetRequiredService<DatabaseLocation>(), jobs.Storage == JobStoreKind.Sqlite ? jobs.SqlitePath : null,
                Security.DataProtectionSetup.KeysFolder(configuration, contentRoot)),
            sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<CaseChangeBroadcaster>();
        services.AddOptions<Live.LiveOptions>().Bind(configuration.GetSection(Live.LiveOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // Pages on every node hear of every change (LISTEN/NOTIFY); this node's pages still hear of its own at once.
            services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(database.ConnectionString));
            services.AddSingleton<PostgresCaseChangeRelay>();
            services.AddSingleton<ICaseChangeNotifier>(sp => sp.GetRequiredService<PostgresCaseChangeRelay>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresCaseChangeRelay>());
        }
        else
        {
            services.AddSingleton<ICaseChangeNotifier>(sp => sp.GetRequiredService<CaseChangeBroadcaster>());
        }

        services.AddSingleton<CaseWorkflowService>();
        services.AddSingleton<Domain.People.CaseSearch>();
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<CaseImporter>();
        services.AddSingleton<Callback.Domain.Campaigns.QueryCampaigns>();
        services.AddIntakeApi(configuration);
        services.AddSingleton<Features.Intake.IIntakeDesk, Features.Intake.IntakeDesk>();
        services.AddOptions<Domain.Retention.RetentionOptions>().Bind(configuration.GetSection(Domain.Retention.RetentionOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<Domain.Retention.RetentionService>();
        services.AddTransient<DemoSeeder>();
        services.AddSingleton(new Training.TrainingMode(builder.Environment.IsEnvironment(Training.TrainingMode.EnvironmentName)));
        services.AddCallbackHealthChecks();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.Configure<MudBlazor.SnackbarConfiguration>(Components.Layout.CallbackTheme.Snackbars);
        services.AddTransient<MudBlazor.MudLocalizer, Localization.CallbackMudLocalizer>();
        services.AddCallbackLocalization();
        services.AddCallbackIdentity();
        services.AddCallbackDataProtection(configuration, contentRoot);
        services.AddCallbackSessions(configuration);
        services.AddScoped<UserAdministration>();
        services.AddScoped<TwoFactorEnrolment>();
        services.AddScoped<UserAccess>();
        services.AddSingleton<Domain.Units.UnitService>();
        services.AddSingleton<FirstStart>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstStart>());
        services.AddLastSignInTracking();
        services.AddSingleton<Features.Audit.AuditQuery>();
        services.AddSingleton<SecurityAudit>();
        services.AddSingleton<QueueService>();
        services.AddSingleton<Features.Cases.CaseDirectory>();
        services.AddSingleton<Features.Partners.PartnerDirectory>();
        services.AddSingleton<Features.Dispatch.DispatchBoardService>();
        services.AddSingleton<Features.Supervision.SupervisionService>();
        services.AddSingleton<Features.Supervision.CapacityForecastService>();
        services.AddSingleton<Features.Supervision.HandoverService>();
        services.AddSingleton<Features.Supervision.ProposedPatrolsService>();
        services.AddSingleton<Features.Supervision.StatisticsExport>();
        return builder;
    }

    public static WebApplication MapCallback(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Behind nginx terminating TLS: the scheme and the client's address as the proxy saw them, so the sign-in cookie is
        // marked Secure. Only from proxies the configuration names (and loopback): anyone else's headers are ignored.
        app.UseForwardedHeaders(ForwardedHeadersFrom(app.Configuration));
        DataProtectionSetup.ReportKeyProtection(app.Configuration, app.Environment.ContentRootPath, app.Logger);
        // Then the headers, so that error pages, redirects and status-code pages carry them too.
        app.UseCallbackSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization(o =>
        {
            // French by default; English on request (the language switch sets a cookie; an API caller sends Accept-Language).
            o.SetDefaultCulture("fr-FR").AddSupportedCultures("fr-FR", "en-GB").AddSupportedUICultures("fr-FR", "en-GB");
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new ApiAcceptLanguage()];
        });
        app.UseAuthentication();
        // Before authorization, so that it sees the 403s and access-denied redirects that authorization produces.
        app.UseDenialAudit();
        app.UseTwoFactorGate();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseAntiforgeryGate();
        app.MapStaticAssets();
        app.MapHealthChecks("/health", HealthEndpoint.Options);
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAccess()],
            DisplayStorageConnectionString = false,
        });
        app.MapAccountEndpoints();
        app.MapSupervisionExports();
        app.MapTwoFactorEndpoints();
        app.MapIntakeApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR) name the reverse
    /// proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed; loopback always is (nginx on the
    /// same host). One hop: the proxy in front of the nodes.
    /// </summary>
    internal static ForwardedHeadersOptions ForwardedHeadersFrom(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
        }

        return options;
    }

    /// <summary>
    /// The permission map gives it to Admins only (PRODUCT.md: "Admin: the job dashboard"). Supervisors follow deadlines in the app; the dashboard
    /// shows every unit's jobs and lets its user delete or re-run them.
    /// </summary>
    private sealed class DashboardAccess : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            Security.Policies.Opens(context.GetHttpContext().User, Domain.Access.Feature.JobDashboard);
    }
}
