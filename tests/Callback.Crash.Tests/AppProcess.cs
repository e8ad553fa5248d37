using System.Diagnostics;
using System.Text;

namespace Callback.Crash.Tests;

/// <summary>
/// The real application as a separate operating-system process (<c>dotnet Callback.Web.dll</c>), environment Testing, its
/// files in a folder of the test, deadlines shortened to seconds through environment variables. Killing it is
/// <c>kill -9</c>: no shutdown code runs.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private AppProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>True once Kestrel listens: migrations ran and every hosted service (the sweep, Hangfire) started.</summary>
    public bool Started => Output.Contains("Application started", StringComparison.Ordinal);

    public static AppProcess Start(string folder, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        // Not Training: Training refuses a database with cases not opened by a demo account, and this test opens its own.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ConnectionStrings__Callback"] = $"Data Source={Path.Combine(folder, "callback.db")}";
        info.Environment["ConnectionStrings__Hangfire"] = Path.Combine(folder, "hangfire.db");
        info.Environment["DataProtection__KeysPath"] = Path.Combine(folder, "keys");
        info.Environment["Demo__SeedOnStart"] = "false";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var app = new AppProcess(Process.Start(info)!);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    public async Task WaitStartedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!Started)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the app stopped during start-up (exit {_process.ExitCode}):\n{Tail()}");
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"the app did not start within {timeout}:\n{Tail()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no lock released except by the operating system.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>The last lines of the app's output, for a failure message.</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
