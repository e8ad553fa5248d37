using Callback.Domain.Workflow;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Jobs;

/// <summary>Where Hangfire keeps its jobs. The database of cases stays the truth either way.</summary>
public enum JobStoreKind
{
    /// <summary>A SQLite file of its own beside the database (one node).</summary>
    Sqlite,

    /// <summary>Memory only: tests and benchmarks; every alarm is rebuilt by the sweep after a restart.</summary>
    InMemory,
}

public sealed class JobsSettings
{
    public const string Section = "Jobs";

    public JobStoreKind Storage { get; set; } = JobStoreKind.Sqlite;

    /// <summary>The SQLite job store's file (ConnectionStrings:Hangfire), resolved against the content root.</summary>
    public string SqlitePath { get; set; } = "data/hangfire.db";

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
    public static IServiceCollection AddCallbackJobs(this IServiceCollection services, JobsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Storage == JobStoreKind.Sqlite)
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
            if (settings.Storage == JobStoreKind.Sqlite)
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
                config.UseInMemoryStorage();
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
        services.AddSingleton<AlarmPump>();
        services.AddSingleton<IDeadlineAlarms>(sp => sp.GetRequiredService<AlarmPump>());
        services.AddHostedService(sp => sp.GetRequiredService<AlarmPump>());
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        services.AddTransient<DeadlineAlarmJob>();
        services.AddTransient<RetentionJob>();
        services.AddHostedService<RetentionSchedule>();
        return services;
    }
}
