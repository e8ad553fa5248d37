using Callback.Domain.Notifications;
using Callback.Domain.Persistence;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callback.Jobs.Mail;

/// <summary>
/// Sends the outbox: every few seconds it takes the messages due, holds them for <see cref="SmtpSettings.ClaimFor"/>,
/// sends each on one SMTP connection and marks it sent once the server has accepted it; a failure puts the message back
/// with a growing delay. A loop of its own rather than a Hangfire job, like the sweep: one of the alerts it carries is
/// "the job store is down", which a job in that store could not send.
/// </summary>
/// <remarks>
/// Exactly once, as far as SMTP allows. A message is marked sent only after the server's 250 to DATA; a crash or a lost
/// connection before that leaves it unsent and it is sent again. The one window left is a crash between the server's 250
/// and the commit of "sent" (milliseconds): the message then goes out a second time, after the hold expires, with the same
/// Message-Id, which mail stores and clients use to fold duplicates. SMTP offers nothing stronger.
/// </remarks>
public sealed partial class OutboxSender(
    IDbContextFactory<CallbackDbContext> databases,
    SmtpSettings settings,
    OutboxStatus status,
    MorningDigest digest,
    TimeProvider clock,
    ILogger<OutboxSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        var nextDigestCheck = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Now() >= nextDigestCheck)
                {
                    // Once a minute is plenty for a digest due at a whole hour.
                    nextDigestCheck = Now().AddMinutes(1);
                    await digest.QueueDueAsync(stoppingToken);
                }

                while (await SendDueAsync(stoppingToken) >= settings.BatchSize)
                {
                    // A full batch went out: the next is likely waiting already.
                }
            }
#pragma warning disable CA1031 // One failed round (database busy, say) must not end the sending: the next tick tries again.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex.GetType().Name);
            }

            await Task.Delay(settings.PollInterval, clock, stoppingToken);
        }
    }

    /// <summary>One round: the messages due, sent and marked. Returns how many were taken (sent or not).</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var due = await db.OutboxMessages
            .Where(m => m.SentUtc == null && m.NextAttemptUtc <= now && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
            .OrderBy(m => m.NextAttemptUtc).Take(settings.BatchSize).ToListAsync(cancellationToken);
        var mine = new List<OutboxMessage>(due.Count);
        foreach (var row in due)
        {
            row.Claim(now, settings.ClaimFor);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                mine.Add(row);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another sender took it first.
                db.Entry(row).State = EntityState.Detached;
            }
        }

        if (mine.Count == 0)
        {
            return 0;
        }

        var unitIds = mine.Where(m => m.UnitId is not null).Select(m => m.UnitId!.Value).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        var sent = 0;
        string? lastError = null;
        string? unreachable = null;
        foreach (var row in mine)
        {
            if (unreachable is not null)
            {
                // The server did not answer for the last one: the rest of the round waits with it, without a timeout each.
                row.MarkFailed(unreachable, Now(), settings.MaxRetryDelay);
                await db.SaveChangesAsync(CancellationToken.None);
                continue;
            }

            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(settings.Host!, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security), cancellationToken);
                    if (!string.IsNullOrEmpty(settings.UserName))
                    {
                        await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
                    }
                }

                var message = MailComposer.Compose(row, row.UnitId is { } unitId ? units.GetValueOrDefault(unitId) : null, settings);
                await client.SendAsync(message, cancellationToken);
                row.MarkSent(Now());
                sent++;
            }
#pragma warning disable CA1031 // Whatever SMTP or the network throws, the message waits for its next attempt; the round goes on.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                // The type and message name the server and the refusal, never the message's content.
                lastError = $"{ex.GetType().Name}: {ex.Message}";
                row.MarkFailed(lastError, Now(), settings.MaxRetryDelay);
                if (!client.IsConnected)
                {
                    unreachable = lastError;
                }
            }

            // Each row on its own: a message the server accepted is recorded before the next one is tried.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }

        if (lastError is null)
        {
            status.ReportSuccess(Now());
        }
        else
        {
            status.ReportFailure(Now(), lastError);
            LogSendFailed(logger, mine.Count - sent, mine.Count, lastError);
        }

        return mine.Count;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "No SMTP host (Smtp:Host): alert e-mails stay in the outbox")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An outbox round failed ({ErrorType}); trying again at the next tick")]
    private static partial void LogRoundFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Failed} of {Count} alert e-mails were not sent ({Error}); they will be tried again")]
    private static partial void LogSendFailed(ILogger logger, int failed, int count, string error);
}

/// <summary>What the last round of the sender found, for /health and the supervision page.</summary>
public sealed class OutboxStatus
{
    private readonly Lock _gate = new();
    private DateTime? _lastSuccessUtc;
    private DateTime? _lastFailureUtc;
    private string? _lastError;

    public void ReportSuccess(DateTime nowUtc)
    {
        lock (_gate)
        {
            _lastSuccessUtc = nowUtc;
        }
    }

    public void ReportFailure(DateTime nowUtc, string error)
    {
        lock (_gate)
        {
            _lastFailureUtc = nowUtc;
            _lastError = error;
        }
    }

    public (DateTime? LastSuccessUtc, DateTime? LastFailureUtc, string? LastError) Snapshot()
    {
        lock (_gate)
        {
            return (_lastSuccessUtc, _lastFailureUtc, _lastError);
        }
    }
}
