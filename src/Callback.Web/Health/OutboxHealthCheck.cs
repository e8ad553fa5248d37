using Callback.Domain.Persistence;
using Callback.Jobs.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Callback.Web.Health;

/// <summary>
/// Alert e-mails are leaving: none has failed and is still waiting, none waits longer than a few minutes. Degraded, not
/// Unhealthy, when they are not: the app still works and a load balancer must keep sending it traffic, but an operator
/// must look at the SMTP server.
/// </summary>
internal sealed class OutboxHealthCheck(IDbContextFactory<CallbackDbContext> databases, SmtpSettings settings, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await OutboxReport.ReadAsync(databases, cancellationToken);
        var age = report.OldestUnsentUtc is { } oldest ? clock.GetUtcNow().UtcDateTime - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["unsent"] = report.Unsent, ["failing"] = report.Failing, ["oldestUnsentSeconds"] = Math.Round(age.TotalSeconds, 1) };
        if (!settings.Enabled)
        {
            return HealthCheckResult.Healthy($"no SMTP host configured (Smtp:Host): {report.Unsent} alert e-mail(s) kept unsent", data);
        }

        if (report.Failing > 0)
        {
            return HealthCheckResult.Degraded($"{report.Failing} alert e-mail(s) failed and wait for a retry; last error: {report.LastError}", data: data);
        }

        return age > OutboxReport.TooOld
            ? HealthCheckResult.Degraded($"the oldest unsent alert e-mail waits for {age.TotalSeconds:0} s", data: data)
            : HealthCheckResult.Healthy($"{report.Unsent} alert e-mail(s) waiting", data);
    }
}
