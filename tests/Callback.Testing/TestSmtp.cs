using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Callback.Testing;

/// <summary>
/// A real SMTP server in the test process (the SmtpServer library) on a port of its own: the tests read what arrived over
/// the wire, envelope and message. <see cref="StopAsync"/> and <see cref="StartAsync"/> make an outage on the same port.
/// </summary>
public sealed class TestSmtp : IAsyncDisposable
{
    private readonly Store _store = new();
    private CancellationTokenSource? _stop;
    private Task? _running;

    private TestSmtp(int port) => Port = port;

    public int Port { get; }

    /// <summary>Every message accepted so far, in order.</summary>
    public IReadOnlyList<Received> Messages => _store.Snapshot();

    public static async Task<TestSmtp> StartNewAsync()
    {
        var smtp = new TestSmtp(FreePort());
        await smtp.StartAsync();
        return smtp;
    }

    /// <summary>A port nothing listens on, for an outage from the start.</summary>
    public static TestSmtp Stopped() => new(FreePort());

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(_store);
        var server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = server.StartAsync(_stop.Token);
        // Listening once a connection is accepted.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"the test SMTP server did not start on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _running!;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A message as it arrived: the envelope's recipients and the parsed message.</summary>
    public sealed record Received(IReadOnlyList<string> EnvelopeTo, MimeMessage Message, string Raw);

    private sealed class Store : MessageStore
    {
        private readonly List<Received> _received = [];

        public List<Received> Snapshot()
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var raw = System.Text.Encoding.UTF8.GetString(stream.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var to = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            lock (_received)
            {
                _received.Add(new Received(to, message, raw));
            }

            return SmtpResponse.Ok;
        }
    }
}
