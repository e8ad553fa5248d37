using System.Text.Json;
using Callback.Domain.Workflow;
using Npgsql;

namespace Callback.Web.Live;

/// <summary>
/// Carries case changes between nodes through PostgreSQL's LISTEN/NOTIFY, with no broker beside the database. A change
/// made here reaches this node's pages at once through <see cref="CaseChangeBroadcaster"/> and the other nodes through
/// <c>pg_notify</c>; a dedicated connection listens for the other nodes' changes and feeds them to the local pages.
/// The payload holds identifiers only (case, unit, département code, state, action): the database log and any listener
/// see no personal data. A notification lost while the listener reconnects costs a page one push: it reloads on its own
/// timer too.
/// </summary>
public sealed partial class PostgresCaseChangeRelay(
    CaseChangeBroadcaster local, NpgsqlDataSource database, TimeProvider clock, ILogger<PostgresCaseChangeRelay> logger)
    : BackgroundService, ICaseChangeNotifier
{
    public const string Channel = "callback_case_changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Guid _node = Guid.NewGuid();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests and the start-up wait on it).</summary>
    public Task Listening => _listening.Task;

    public void Publish(CaseChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        local.Publish(change);
        _ = NotifyAsync(change);
    }

    private async Task NotifyAsync(CaseChanged change)
    {
        try
        {
            await using var command = database.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = Channel });
            command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new Message(_node, change)) });
            await command.ExecuteNonQueryAsync();
        }
#pragma warning disable CA1031 // The change is committed; the other nodes' pages reload on their own timer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotifyFailed(logger, ex, change.CaseId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A lost connection must not end the relay: reconnect, with a growing pause.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogListenFailed(logger, ex, backoff);
                await Task.Delay(backoff, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        try
        {
            if (JsonSerializer.Deserialize<Message>(e.Payload) is { } message && message.Node != _node)
            {
                local.Publish(message.Change);
            }
        }
        catch (JsonException ex)
        {
            LogBadPayload(logger, ex);
        }
    }

    private sealed record Message(Guid Node, CaseChanged Change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes of a change to case {CaseId}")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, Guid caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' case changes failed; reconnecting in {Backoff}")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed case-change notification")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
