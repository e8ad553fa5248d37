using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// The web app as a process of its own, started with <c>dotnet</c> on the built Callback.Web.dll from the web project's
/// folder (its content root), Training profile, Kestrel on 127.0.0.1 at a port it picks. Separate processes, because
/// Hangfire keeps process-wide state and a node is a process.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public string BaseUrl { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var web = Path.Combine(LiveApp.RepositoryRoot(), "src", "Callback.Web");
        // The test binaries sit in bin/<Configuration>/net10.0: the web project was built alongside, same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "Callback.Web.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Training";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var node = new NodeProcess(name, Process.Start(info)!);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (Listening().Match(node.Output) is not { Success: true } match)
        {
            Assert.False(node._process.HasExited, $"node {name} stopped: {node.Output}");
            Assert.True(waited.Elapsed < timeout, $"node {name} did not start within {timeout}: {node.Output}");
            await Task.Delay(200);
        }

        node.BaseUrl = Listening().Match(node.Output).Groups[1].Value;
        return node;
    }

    /// <summary>Sums what the node's sweep says it fired ("Sweep fired N deadlines").</summary>
    public int SweepFired() => SweepLine().Matches(Output).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    public int ProcessId => _process.Id;

    private void Append(string? line)
    {
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"Sweep fired (\d+) deadlines")]
    private static partial Regex SweepLine();
}
