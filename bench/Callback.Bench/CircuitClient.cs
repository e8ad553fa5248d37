using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Bench;

/// <summary>
/// A Blazor Server client without a browser, to hold hundreds of circuits open on a 2-core machine where as many Chromium
/// pages could not be opened. It does what blazor.web.js does for a server-rendered page, minus the DOM: sign in through
/// the form, load the page, read its component markers, open <c>/_blazor</c> with Blazor's MessagePack protocol, call
/// <c>StartCircuit</c> and <c>UpdateRootComponents</c>, acknowledge every render batch (the server stops rendering for a
/// client that does not), and answer JS interop calls as a 1280 x 720 desktop window would. The server cannot tell it
/// from a browser: the circuit, its components and their state are the real ones. It runs in a child process, so the
/// server's heap holds only the server's side.
/// </summary>
internal sealed partial class CircuitClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Regex _rows;
    private readonly HashSet<string> _rowsSeen = [];
    private readonly TaskCompletionSource _interactive = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sawInteractiveMarker;

    private readonly Uri _baseUri;
    private string _secret = "";

    private CircuitClient(HubConnection connection, Uri baseUri, Regex rows)
    {
        _connection = connection;
        _baseUri = baseUri;
        _rows = rows;
    }

    public int RowsSeen
    {
        get
        {
            lock (_rowsSeen)
            {
                return _rowsSeen.Count;
            }
        }
    }

    public int RenderBatches { get; private set; }
    public int JsCalls { get; private set; }

    /// <summary>Which JS functions the server called, for the report.</summary>
    public static SortedSet<string> JsIdentifiers { get; } = new(StringComparer.Ordinal);

    /// <summary>Signs in with the sign-in form (officers have no second factor) and returns the cookies of the session.</summary>
    public static async Task<CookieContainer> SignInAsync(Uri baseUri, string email, string password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseUri };
        var form = await http.GetStringAsync("account/login");
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        }

        using var response = await http.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["returnUrl"] = "/queue",
            ["email"] = email,
            ["password"] = password,
        }));
        // A refused sign-in shows the form again; an accepted one lands on the queue.
        if (response.RequestMessage?.RequestUri?.AbsolutePath != "/queue")
        {
            throw new InvalidOperationException($"Signing in as {email} failed (HTTP {(int)response.StatusCode}).");
        }

        return cookies;
    }

    /// <summary>Loads <paramref name="path"/> as a browser would and opens its circuit; returns once the page is interactive.</summary>
    public static async Task<CircuitClient> OpenAsync(Uri baseUri, string path, CookieContainer cookies, Regex rows, int expectedRows, TimeSpan timeout)
    {
        var pageUri = new Uri(baseUri, path);
        string html;
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }))
        {
            using var response = await http.GetAsync(pageUri);
            response.EnsureSuccessStatusCode();
            html = await response.Content.ReadAsStringAsync();
        }

        var markers = Marker().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => m["descriptor"] is not null && (string?)m["type"] == "server")
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server component.");
        }

        var state = ServerState().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), HttpTransportType.WebSockets, o =>
            {
                o.Cookies = cookies;
                o.SkipNegotiation = true;
            });
        // Blazor's hub speaks only "blazorpack": SignalR's MessagePack protocol under Blazor's name. The connection takes
        // the last protocol registered, so this one replaces the JSON default.
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol(new MessagePackHubProtocol()));
        var connection = builder.Build();
        var client = new CircuitClient(connection, baseUri, rows);
        client.Listen(expectedRows);

        await connection.StartAsync();
        var secret = await connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri.ToString(), "[]", "");
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException("The server refused to start the circuit.");
        }

        client._secret = secret;

        var operations = new JsonObject
        {
            ["batchId"] = 1,
            ["operations"] = new JsonArray(markers.Select((marker, i) =>
            {
                marker["uniqueId"] = i;
                return (JsonNode)new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker };
            }).ToArray()),
        };
        await connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state);

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await client._interactive.Task.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            await client.DisposeAsync();
            throw new TimeoutException($"{path}: not interactive after {timeout.TotalSeconds:0} s ({client.RenderBatches} render batches, {client.RowsSeen} rows).");
        }

        return client;
    }

    private void Listen(int expectedRows)
    {
        _connection.On<long, byte[]>("JS.RenderBatch", async (batchId, data) =>
        {
            RenderBatches++;
            // A render batch carries the strings it writes as UTF-8; the rows are counted by the file references seen.
            var text = Encoding.UTF8.GetString(data);
            lock (_rowsSeen)
            {
                foreach (Match match in _rows.Matches(text))
                {
                    _rowsSeen.Add(match.Value);
                }
            }

            // The layout writes data-testid="interactive" only once it renders interactively (MainLayout.razor).
            _sawInteractiveMarker |= text.Contains("interactive", StringComparison.Ordinal);
            await _connection.SendAsync("OnRenderCompleted", batchId, null);
            if (_sawInteractiveMarker && RowsSeen >= expectedRows)
            {
                _interactive.TrySetResult();
            }
        });
        // The server's JS calls must be answered as a browser would: a call left pending holds its component, and so the
        // whole circuit, until the interop timeout (a minute) even after the circuit is closed. .NET 10 sends six arguments
        // (the last is the call type); a handler declared with five never runs, silently.
        _connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", async (taskId, identifier, argsJson, resultType, targetInstanceId, callType) =>
        {
            JsCalls++;
            lock (JsIdentifiers)
            {
                JsIdentifiers.Add(identifier);
            }

            if (taskId != 0)
            {
                await _connection.SendAsync("EndInvokeJSFromDotNet", taskId, true, $"[{taskId.ToString(CultureInfo.InvariantCulture)},true,{BrowserAnswer(identifier)}]");
            }
        });
        _connection.On<string>("JS.Error", error => _interactive.TrySetException(new InvalidOperationException($"circuit error: {error}")));
        _connection.Closed += error =>
        {
            _interactive.TrySetException(new InvalidOperationException($"connection closed: {error?.Message ?? "by the server"}"));
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// What Chromium answers, for the calls that return something (MudBlazor sizes its layout from them), as a desktop
    /// window of Playwright's default 1280 x 720 would; the other calls return nothing.
    /// </summary>
    private static string BrowserAnswer(string identifier) => identifier switch
    {
        "window.hasOwnProperty" => "true",
        "mudpopoverHelper.countProviders" => "1",
        "mudResizeListener.getBrowserWindowSize" => """{"height":720,"width":1280}""",
        "mudElementRef.getBoundingClientRect" =>
            """{"x":0,"y":0,"width":1280,"height":48,"top":0,"right":1280,"bottom":48,"left":0,"scrollX":0,"scrollY":0,"windowWidth":1280,"windowHeight":720}""",
        "Blazor._internal.PageTitle.getAndRemoveExistingTitle" => "\"Callback\"",
        _ => "null",
    };

    /// <summary>Closes the circuit the way a closing tab does: the disconnect beacon, so the server disposes it at once
    /// instead of keeping it for a reconnection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_secret.Length > 0)
        {
            using var http = new HttpClient { BaseAddress = _baseUri };
            using var form = new MultipartFormDataContent { { new StringContent(_secret), "circuitId" } };
            using var _ = await http.PostAsync("_blazor/disconnect", form);
        }

        await _connection.DisposeAsync();
    }

    /// <summary>
    /// The child process: <c>circuit-client BASE_URL EMAIL PASSWORD ROWS_PATTERN EXPECTED_ROWS</c>. Each line read from its
    /// standard input is a number of circuits to hold on /queue: it opens circuits up to that number and prints one line,
    /// <c>ready …</c> (or <c>failed …</c>). When its standard input closes it closes every circuit and ends.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var baseUri = new Uri(args[1].TrimEnd('/') + "/");
        var rows = new Regex(args[4], RegexOptions.CultureInvariant);
        var expectedRows = int.Parse(args[5], CultureInfo.InvariantCulture);
        var clients = new List<CircuitClient>();
        try
        {
            var cookies = await SignInAsync(baseUri, args[2], args[3]);
            while (await Console.In.ReadLineAsync() is { } line)
            {
                var count = int.Parse(line, CultureInfo.InvariantCulture);
                var watch = Stopwatch.StartNew();
                // A few at a time, as officers arriving in the morning would: each new circuit renders a full queue.
                while (clients.Count < count)
                {
                    clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(5, count - clients.Count))
                        .Select(_ => OpenAsync(baseUri, "queue", cookies, rows, expectedRows, TimeSpan.FromMinutes(3)))));
                    if (clients.Count % 50 == 0)
                    {
                        Console.Error.WriteLine($"  protocol client: {clients.Count} circuits open");
                    }
                }

                string identifiers;
                lock (JsIdentifiers)
                {
                    identifiers = string.Join(", ", JsIdentifiers);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ready {clients.Count} circuits (last {watch.Elapsed.TotalSeconds:0.0} s); rows min {clients.Min(c => c.RowsSeen)} max {clients.Max(c => c.RowsSeen)}; " +
                    $"render batches {clients.Sum(c => c.RenderBatches)}; JS calls answered {clients.Sum(c => c.JsCalls)} ({identifiers})"));
            }

            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"failed after {clients.Count} circuits: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex ServerState();
}

/// <summary>Blazor's "blazorpack" is SignalR's MessagePack hub protocol under another name (and the same version).</summary>
internal sealed class BlazorPackProtocol(MessagePackHubProtocol inner) : IHubProtocol
{
    public string Name => "blazorpack";
    public int Version => inner.Version;
    public TransferFormat TransferFormat => inner.TransferFormat;
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) => inner.TryParseMessage(ref input, binder, out message);
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}
