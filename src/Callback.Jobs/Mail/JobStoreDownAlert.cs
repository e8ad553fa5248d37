using Callback.Domain.Audit;
using Callback.Domain.Notifications;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs.Mail;

/// <summary>
/// When the job store turns unhealthy, writes the alert to the audit log and its e-mail to the outbox, in one transaction:
/// the sweep keeps deadlines firing, but somebody must come and look. The e-mail goes through the outbox and its own
/// sender, not through the job store that just failed. At most one per <see cref="AlertOutbox.JobStoreDownPeriod"/>.
/// </summary>
public sealed partial class JobStoreDownAlert(
    IDbContextFactory<CallbackDbContext> databases,
    JobStoreStatus status,
    TimeProvider clock,
    ILogger<JobStoreDownAlert> logger) : IHostedService
{
    private readonly UnitOfWork _unitOfWork = new(databases, logger);
    private readonly Lock _gate = new();
    private bool _wasHealthy = true;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        status.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <summary>Writes the alert and its message now; false when another node (or an earlier failure) already did this half-hour.</summary>
    public async Task<bool> RaiseAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await _unitOfWork.RunAsync(async (write, ct) =>
            {
                write.Audit(new AuditRecord(now, AuditEntry.SystemActor, null, AlertOutbox.JobStoreDown, null, null, "job store not answering"));
                await AlertOutbox.QueueJobStoreDownAsync(write.Db, now, ct);
            }, StaleReads.Surface, cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex.Entries.Any(e => e.Entity is OutboxMessage))
        {
            return false;
        }
    }

    private void OnChanged(object? sender, EventArgs e)
    {
        var healthy = status.IsHealthy;
        bool turnedBad;
        lock (_gate)
        {
            turnedBad = _wasHealthy && !healthy;
            _wasHealthy = healthy;
        }

        if (turnedBad)
        {
            _ = RaiseInBackgroundAsync();
        }
    }

    private async Task RaiseInBackgroundAsync()
    {
        try
        {
            await RaiseAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // The banner and /health still show the failure; the e-mail is the extra that failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRaiseFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the job-store alert and its e-mail ({ErrorType})")]
    private static partial void LogRaiseFailed(ILogger logger, string errorType);
}
