using System.Runtime.InteropServices;

namespace Callback.Web.Security;

/// <summary>
/// The files Callback writes hold victims' names and addresses (the SQLite database and its <c>-wal</c> and
/// <c>-shm</c>), the keys that sign sessions and protect the authenticator secrets, and the job store. On Linux they are
/// created readable by the service account only: the process mask is set to 077 before anything is opened, so SQLite,
/// Hangfire and Data Protection create files 0600 and folders 0700 without each having to be told; the files and the keys
/// folder an earlier version left 0644 or 0755 are narrowed at start. Windows keeps its ACLs (docs/security.md, Data at rest).
/// </summary>
public static class PrivateFiles
{
    /// <summary>A SQLite database is its file and these companions beside it.</summary>
    public static readonly IReadOnlyList<string> DatabaseSuffixes = ["", "-wal", "-shm", "-journal"];

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Every file and folder this process creates from now on is private to its account.</summary>
    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetMask(Convert.ToUInt32("077", 8));
        }
    }

    /// <summary>
    /// Narrows what an earlier version left readable: the keys folder (it holds nothing but keys) to 0700 and its files
    /// to 0600. A missing folder is left for its owner to create, under the mask.
    /// </summary>
    public static void NarrowFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }

        File.SetUnixFileMode(folder, FolderMode);
        NarrowFiles(Directory.EnumerateFiles(folder));
    }

    /// <summary>
    /// Narrows existing files to 0600 (a database and its <c>-wal</c>, <c>-shm</c> and <c>-journal</c>), never the
    /// folder they sit in, which may be shared (a database configured in <c>/tmp</c> must not close <c>/tmp</c>).
    /// </summary>
    public static void NarrowDatabase(string databaseFile)
    {
        ArgumentNullException.ThrowIfNull(databaseFile);
        NarrowFiles(DatabaseSuffixes.Select(suffix => databaseFile + suffix));
    }

    private static void NarrowFiles(IEnumerable<string> files)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in files.Where(File.Exists))
        {
            File.SetUnixFileMode(file, FileMode);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code enabled for the whole project,
    // and umask takes and returns a plain integer.
#pragma warning disable SYSLIB1054, CA5392
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetMask(uint mask);
#pragma warning restore SYSLIB1054, CA5392
}
