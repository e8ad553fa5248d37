using Microsoft.Extensions.Hosting;

namespace Callback.Jobs;

/// <summary>
/// Holds an exclusive lock on a file beside the SQLite job store for the life of the process. Hangfire's SQLite storage
/// is not safe with two servers on one file, so a second process refuses to start. The operating system drops the lock
/// when the process dies, even by kill -9, so a crash never leaves a stale lock behind.
/// </summary>
public sealed class JobStoreLock : IHostedService, IDisposable
{
    private readonly string _lockPath;
    private FileStream? _lock;

    public JobStoreLock(string jobStorePath)
    {
        _lockPath = Path.GetFullPath(jobStorePath) + ".lock";
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Acquire();
        return Task.CompletedTask;
    }

    public void Acquire()
    {
        if (_lock is not null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_lockPath)!);
        try
        {
            _lock = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another Callback process already runs the job server on {_lockPath[..^5]}. " +
                "Only one process may use a SQLite job store: stop the other one, give this one its own ConnectionStrings:Hangfire, " +
                "or run several nodes on PostgreSQL.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();
}
