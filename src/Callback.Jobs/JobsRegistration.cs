using Callback.Domain.Workflow;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Callback.Jobs;

/// <summary>Where Hangfire keeps its jobs. The database of cases stays the truth either way.</summary>
public enum JobStoreKind
{
    /// <summary>A SQLite file of its own beside the database (one node).</summary>
    Sqlite,

    /// <summary>The PostgreSQL database of the cases, in its own schema: every node's server shares it.</summary>
    Postgres,
}

public sealed class JobsSettings
{
    public const string Section = "Jobs";

    public JobStoreKind Storage { get; set; } = JobStoreKind.Sqlite;

    /// <summary>The SQLite job store's file (ConnectionStrings:Hangfire), resolved against the content root.</summary>
    public string SqlitePath { get; set; } = "data/hangfire.db";

    /// <summary>The PostgreSQL job store's connection string (the cases' database when the provider is PostgreSQL).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Run the Hangfire server in this process. The sweep runs regardless.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Few workers: deadline jobs are short, and fewer writers keep the SQLite store out of lock contention.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often the server looks for scheduled jobs that fell due (Hangfire's default is 15 s).</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often <see cref="JobStoreMonitor"/> checks that the job store answers (for /health and the banner).</summary>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(10);
}

public static class JobsRegistration
{
    /// <summary>
    /// The job store, the sweep and the alarm pump. <c>storage</c>, when given, replaces <see cref="JobsSettings.Storage"/>:
    /// the benchmark's memory store. It is a parameter, not a setting, so that no configuration file can pick a store whose
    /// package Production does not ship (ADR 10).
    /// </summary>
    public static IServiceCollection AddCallbackJobs(this IServiceCollection services, JobsSettings settings, Action<IGlobalConfiguration>? storage = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (storage is null && settings.Storage == JobStoreKind.Sqlite)
        {
            // First of the hosted services: a second process on the same job store stops here, before Hangfire starts.
            services.AddSingleton(new JobStoreLock(settings.SqlitePath));
            services.AddHostedService(sp => sp.GetRequiredService<JobStoreLock>());
        }

        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (storage is not null)
            {
                storage(config);
            }
            else if (settings.Storage == JobStoreKind.Sqlite)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.SqlitePath))!);
                config.UseSQLiteStorage(settings.SqlitePath, new SQLiteStorageOptions
                {
                    QueuePollInterval = settings.PollingInterval,
                    // Deadline jobs take milliseconds; a job taken by a process that died runs again soon, harmlessly.
                    InvisibilityTimeout = TimeSpan.FromMinutes(2),
                });
            }
            else
            {
                config.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(settings.PostgresConnectionString ?? throw new InvalidOperationException("Jobs:Storage=Postgres needs a connection string.")),
                    PostgresOptions(settings));
            }
        });

        if (settings.RunServer)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = settings.WorkerCount;
                o.SchedulePollingInterval = settings.PollingInterval;
                o.Queues = [JobQueues.Deadlines, JobQueues.Default];
            });
        }

        services.AddSingleton<JobStoreStatus>();
        services.AddSingleton(settings);
        services.AddSingleton<JobStoreMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<JobStoreMonitor>());
        services.AddSingleton<SweepSignal>();
        services.AddSingleton(sp => new InstantAlarms(sp.GetRequiredService<TimeProvider>(),
            (alarm, ct) => sp.GetRequiredService<CaseWorkflowService>().FireDeadlineAsync(alarm.CaseId, alarm.Version, alarm.Kind, ct),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InstantAlarms>>()));
        services.AddSingleton<AlarmPump>();
        services.AddSingleton<IDeadlineAlarms>(sp => sp.GetRequiredService<AlarmPump>());
        services.AddHostedService(sp => sp.GetRequiredService<AlarmPump>());
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        // No Smtp section (the benchmark): nothing is sent, the outbox keeps the messages.
        services.TryAddSingleton(new Mail.SmtpSettings());
        services.AddSingleton<Mail.OutboxStatus>();
        services.AddSingleton<Mail.MorningDigest>();
        services.AddSingleton<Mail.OutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<Mail.OutboxSender>());
        services.AddSingleton<Mail.JobStoreDownAlert>();
        services.AddHostedService(sp => sp.GetRequiredService<Mail.JobStoreDownAlert>());
        services.AddTransient<DeadlineAlarmJob>();
        services.AddTransient<RetentionJob>();
        services.AddHostedService<RetentionSchedule>();
        return services;
    }

    /// <summary>
    /// Hangfire.PostgreSql waits 30 min (invisibility) and 10 min (distributed lock) by default before it takes back what a
    /// node killed with -9 held: a deadline job could sit that long, and the recurring jobs stall. Deadline jobs take
    /// milliseconds and are reentrant, so a short invisibility with the sliding refresh (a live server keeps extending its
    /// own jobs) re-runs a dead node's jobs within a minute, harmlessly; a 1-minute lock timeout frees the locks a dead node
    /// held. The sweep on the surviving nodes fires the deadlines meanwhile (ADR 2), so no deadline waits for either.
    /// </summary>
    internal static PostgreSqlStorageOptions PostgresOptions(JobsSettings settings) => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = settings.PollingInterval,
        InvisibilityTimeout = TimeSpan.FromMinutes(1),
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };
}
