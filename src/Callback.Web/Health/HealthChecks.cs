using System.Net;
using System.Text.Json;
using Callback.Domain.Persistence;
using Callback.Jobs;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Callback.Web.Health;

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<CallbackDbContext> databases) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var units = await db.Units.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"database answers ({units} units)");
        }
#pragma warning disable CA1031 // A health check reports failures; it does not throw them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"database failing: {ex.GetType().Name}");
        }
    }
}

/// <summary>
/// The job store answers within two seconds and the alarm pump's last contact with it succeeded. When it does not,
/// deadlines still fire through the sweep, but the operators must know. The probe is the monitor's: a locked store
/// costs one blocked call, however often /health is asked.
/// </summary>
internal sealed class JobStoreHealthCheck(JobStoreMonitor monitor, JobStoreStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = await monitor.ProbeAsync(cancellationToken);
        var (healthy, description) = status.Snapshot();
        return healthy && servers is { } count
            ? HealthCheckResult.Healthy($"{count} job server(s); {description}")
            : HealthCheckResult.Unhealthy($"{description}; deadlines fall back to the sweep");
    }
}

/// <summary>How late the oldest due deadline is: above a few sweep intervals, deadlines are not being handled.</summary>
internal sealed class DeadlineLagHealthCheck(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Domain.Cases.WorkflowOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var oldest = await db.Cases.AsNoTracking().Where(c => c.AlarmDueUtc != null && c.AlarmDueUtc <= now)
            .OrderBy(c => c.AlarmDueUtc).Select(c => c.AlarmDueUtc).FirstOrDefaultAsync(cancellationToken);
        var lag = oldest is { } due ? now - due : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["oldestDueLagSeconds"] = Math.Round(lag.TotalSeconds, 1) };
        var tolerated = options.Value.SweepInterval * 4;
        return lag <= tolerated
            ? HealthCheckResult.Healthy($"oldest due deadline {lag.TotalSeconds:0.#} s late", data)
            : HealthCheckResult.Unhealthy($"oldest due deadline {lag.TotalSeconds:0.#} s late (more than {tolerated.TotalSeconds:0} s)", data: data);
    }
}

internal static class HealthEndpoint
{
    public static IServiceCollection AddCallbackHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobStoreHealthCheck>("jobStore")
            .AddCheck<DeadlineLagHealthCheck>("deadlines")
            .AddCheck<OutboxHealthCheck>("alertMail");
        return services;
    }

    public static HealthCheckOptions Options { get; } = new()
    {
        ResponseWriter = async (context, report) =>
        {
            // Unit counts, job servers and lags tell an outsider how big and how busy the service is: anyone gets the
            // status (and its 200/503), only an Admin or a probe on the host itself the checks.
            if (!MaySeeDetails(context))
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(report.Status.ToString());
                return;
            }

            context.Response.ContentType = "application/json";
            var body = new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            };
            await JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions);
        },
    };

    /// <summary>
    /// An Admin, or a caller on the host itself (the connection's address after the trusted proxies' forwarding, so a
    /// request relayed by nginx from elsewhere is not loopback).
    /// </summary>
    public static bool MaySeeDetails(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        || context.User.IsInRole(Domain.Identity.Roles.Admin);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
