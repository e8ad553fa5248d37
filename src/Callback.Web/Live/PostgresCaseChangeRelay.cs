using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Callback.Domain.Workflow;
using Npgsql;

namespace Callback.Web.Live;

/// <summary>
/// Carries case changes between nodes through PostgreSQL's LISTEN/NOTIFY, with no broker beside the database. A change
/// made here reaches this node's pages at once through <see cref="CaseChangeBroadcaster"/> and the other nodes through
/// <c>pg_notify</c>; a dedicated connection listens for the other nodes' changes and feeds them to the local pages.
/// Changes are sent by one loop on one connection, packed several to a notification: a sweep that fires a hundred
/// deadlines in one commit sends a few notifications, not a hundred connections' worth.
/// The payload holds identifiers only (case, unit, département code, state, action): the database log and any listener
/// see no personal data. A notification lost while the listener reconnects costs a page one push: it reloads on its own
/// timer too.
/// </summary>
public sealed partial class PostgresCaseChangeRelay(
    CaseChangeBroadcaster local, NpgsqlDataSource database, TimeProvider clock, ILogger<PostgresCaseChangeRelay> logger)
    : BackgroundService, ICaseChangeNotifier
{
    public const string ChannelName = "callback_case_changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietProbe = TimeSpan.FromSeconds(30);

    /// <summary>PostgreSQL refuses payloads of 8,000 bytes and more.</summary>
    private const int MaxPayloadBytes = 7000;

    /// <summary>A stalled database must not hold changes without bound: past this, the oldest go (pages reload on a timer).</summary>
    private readonly Channel<CaseChanged> _outbox = Channel.CreateBounded<CaseChanged>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Guid _node = Guid.NewGuid();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests and the start-up wait on it).</summary>
    public Task Listening => _listening.Task;

    public void Publish(CaseChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        local.Publish(change);
        _outbox.Writer.TryWrite(change);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<CaseChanged>();
                while (batch.Count < 500 && _outbox.Reader.TryRead(out var change))
                {
                    batch.Add(change);
                }

                try
                {
                    await using var batchCommand = new NpgsqlBatch();
                    foreach (var payload in Payloads(batch))
                    {
                        var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
                        command.Parameters.Add(new NpgsqlParameter { Value = ChannelName });
                        command.Parameters.Add(new NpgsqlParameter { Value = payload });
                        batchCommand.BatchCommands.Add(command);
                    }

                    await using var connection = await database.OpenConnectionAsync(stoppingToken);
                    batchCommand.Connection = connection;
                    await batchCommand.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    // Committed changes; the other nodes' pages reload on their own timer.
                    LogNotifyFailed(logger, ex, batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Packs changes into as few payloads as fit under PostgreSQL's limit.</summary>
    private IEnumerable<string> Payloads(List<CaseChanged> batch)
    {
        var start = 0;
        while (start < batch.Count)
        {
            var count = batch.Count - start;
            string json;
            while (true)
            {
                json = JsonSerializer.Serialize(new Message(_node, batch.GetRange(start, count)));
                if (count == 1 || Encoding.UTF8.GetByteCount(json) < MaxPayloadBytes)
                {
                    break;
                }

                count /= 2;
            }

            yield return json;
            start += count;
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A quiet half-open connection would wait for ever: probe it after a quiet spell, so a dead one throws.
                    if (!await connection.WaitAsync(QuietProbe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteNonQueryAsync(stoppingToken);
                    }
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
                foreach (var change in message.Changes)
                {
                    local.Publish(change);
                }
            }
        }
        catch (JsonException ex)
        {
            LogBadPayload(logger, ex);
        }
    }

    private sealed record Message(Guid Node, List<CaseChanged> Changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes of {Count} case change(s)")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' case changes failed; reconnecting in {Backoff}")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed case-change notification")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
