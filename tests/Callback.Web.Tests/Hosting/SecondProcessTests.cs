using System.Diagnostics;

namespace Callback.Web.Tests.Hosting;

public class SecondProcessTests
{
    /// <summary>Two real processes on one SQLite job store: the second must refuse to start, and say why.</summary>
    [Fact]
    public async Task SecondProcess_OnTheSameJobStore_RefusesToStart_WithAClearMessage()
    {
        var folder = Directory.CreateTempSubdirectory("callback-two-").FullName;
        using var first = Start(folder);
        try
        {
            await WaitForAsync(first, "Application started", TimeSpan.FromSeconds(60));
            using var second = Start(folder);
            var exited = await Task.Run(() => second.Process.WaitForExit(60_000), TestContext.Current.CancellationToken);

            Assert.True(exited, "the second process should have stopped by itself");
            Assert.NotEqual(0, second.Process.ExitCode);
            Assert.Contains("Another Callback process already runs the job server", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            first.Process.Kill(entireProcessTree: true);
        }
    }

    private static RunningApp Start(string folder)
    {
        var info = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ConnectionStrings__Callback"] = $"Data Source={Path.Combine(folder, "callback.db")}";
        info.Environment["ConnectionStrings__Hangfire"] = Path.Combine(folder, "hangfire.db");
        var app = new RunningApp(Process.Start(info)!);
        app.Process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app.Process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app.Process.BeginOutputReadLine();
        app.Process.BeginErrorReadLine();
        return app;
    }

    private static async Task WaitForAsync(RunningApp app, string text, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!app.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(app.Process.HasExited, $"the first process stopped: {app.Output}");
            Assert.True(waited.Elapsed < timeout, $"the first process did not start within {timeout}: {app.Output}");
            await Task.Delay(200);
        }
    }

    private sealed class RunningApp(Process process) : IDisposable
    {
        private readonly Lock _gate = new();

        public Process Process { get; } = process;

        private readonly System.Text.StringBuilder _output = new();

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

        public void Append(string? line)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }
        }

        public void Dispose() => Process.Dispose();
    }
}
