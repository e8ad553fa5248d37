using System.Globalization;
using System.Text.Json;
using Callback.Domain.Audit;
using Callback.Web.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Persistence;

/// <summary>Where the live files are: the cases' database, the SQLite job store (null on PostgreSQL) and the key ring.</summary>
public sealed record BackupSources(DatabaseLocation Database, string? JobStorePath, string KeysFolder);

/// <summary>What a copy holds, counted in the copy itself.</summary>
public sealed record BackupCounts(int Cases, int CasesInAudit, long AuditEntries, int Units, int Users)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cases} case(s) ({CasesInAudit} in the audit), {AuditEntries} audit entries, {Units} unit(s), {Users} user(s)");
}

/// <summary>Written beside the copies as <c>backup.json</c>: when, from which schema level, and what was counted.</summary>
public sealed record BackupManifest(DateTimeOffset TakenAt, string Provider, string? MigrationLevel, BackupCounts? Counts, bool JobStore, int KeyFiles);

/// <summary>One line of a verification: what was checked, what was found, and whether the copy can be used.</summary>
public sealed record BackupCheck(string Name, bool Passed, string Detail);

public sealed record BackupVerification(IReadOnlyList<BackupCheck> Checks, BackupCounts? Counts)
{
    public bool IsUsable => Checks.All(c => c.Passed);
}

public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// <c>backup DIR</c> and <c>restore DIR [--verify]</c> (issue 22, docs/operations.md). A backup is taken while the app runs:
/// SQLite's online backup copies each database as of one instant (a read transaction: writers go on, in WAL mode, and the
/// copy holds every committed transition up to that instant and none after it); the key ring is copied with it, because
/// without it every session ends and the authenticator secrets cannot be read. A copy is verified in a scratch folder,
/// never where it lies and never over the live files.
/// </summary>
public sealed class Backups(BackupSources sources, TimeProvider clock)
{
    public const string DatabaseFile = "callback.db";
    public const string JobStoreFile = "hangfire.db";
    public const string KeysFolderName = "keys";
    public const string ManifestFile = "backup.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public BackupSources Sources => sources;

    /// <summary>
    /// Copies the database, the job store and the keys into <paramref name="folder"/>, which must be new or empty (an older
    /// backup is never overwritten). On PostgreSQL only the keys are copied: the database is copied with <c>pg_dump</c>
    /// (<see cref="PostgresDumpCommand"/>).
    /// </summary>
    public async Task<BackupManifest> TakeAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupException($"{folder} is not empty: a backup goes into a new or empty folder, and never replaces an older one.");
        }

        Directory.CreateDirectory(folder);
        PrivateFiles.NarrowFolder(folder);
        var takenAt = clock.GetUtcNow();
        string? level = null;
        BackupCounts? counts = null;
        if (sources.Database.Provider == DatabaseProvider.Sqlite)
        {
            var target = Path.Combine(folder, DatabaseFile);
            await CopySqliteAsync(sources.Database.ConnectionString, target, cancellationToken);
            (level, counts) = await DescribeAsync(target, cancellationToken);
        }

        var jobStore = sources.JobStorePath is { } jobs && File.Exists(jobs);
        if (jobStore)
        {
            await CopySqliteAsync($"Data Source={sources.JobStorePath}", Path.Combine(folder, JobStoreFile), cancellationToken);
        }

        var keys = CopyKeys(sources.KeysFolder, Path.Combine(folder, KeysFolderName));
        var manifest = new BackupManifest(takenAt, sources.Database.Provider.ToString(), level, counts, jobStore, keys);
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest, Json), cancellationToken);
        return manifest;
    }

    /// <summary>The <c>pg_dump</c> command for the configured PostgreSQL database (no password: it comes from ~/.pgpass or PGPASSWORD).</summary>
    public string PostgresDumpCommand(string folder)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(sources.Database.ConnectionString);
        return string.Create(CultureInfo.InvariantCulture,
            $"pg_dump --format=custom --host={builder.Host} --port={builder.Port} --username={builder.Username} --dbname={builder.Database} --file={Path.Combine(Path.GetFullPath(folder), "callback.dump")}");
    }

    /// <summary>
    /// Checks a copy without touching it or the live data: integrity, schema level against this version, the audit chain,
    /// every case present in the audit, the counts against the manifest, the job store and the keys.
    /// </summary>
    public static async Task<BackupVerification> VerifyAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = Path.GetFullPath(folder);
        var checks = new List<BackupCheck>();
        var database = Path.Combine(folder, DatabaseFile);
        if (!File.Exists(database))
        {
            checks.Add(new("database", false, $"no {DatabaseFile} in {folder} (a PostgreSQL backup is verified after pg_restore, with audit verify: docs/operations.md)"));
            return new(checks, null);
        }

        var scratch = Directory.CreateTempSubdirectory("callback-verify-").FullName;
        try
        {
            // Opening a SQLite file may write beside it (-wal, -shm, a journal replay): the copy under test is a copy.
            var copy = Path.Combine(scratch, DatabaseFile);
            File.Copy(database, copy);
            BackupCounts? counts;
            int protectedSecrets;
            await using (var db = Open(copy))
            {
                checks.Add(await IntegrityAsync("database", copy, cancellationToken));
                checks.Add(await MigrationsAsync(db, cancellationToken));
                var chain = await AuditWriter.VerifyAsync(db, cancellationToken);
                checks.Add(new("audit chain", chain.IsIntact, chain.Message));
                counts = await CountAsync(db, cancellationToken);
                protectedSecrets = await db.UserTokens.CountAsync(t => t.Value != null && t.Value.StartsWith(CallbackUserStore.Prefix), cancellationToken);
                checks.Add(new("cases", counts.Cases == counts.CasesInAudit, counts.ToString()));
            }

            checks.Add(await ManifestAsync(folder, counts, cancellationToken));
            var jobStore = Path.Combine(folder, JobStoreFile);
            if (File.Exists(jobStore))
            {
                var jobCopy = Path.Combine(scratch, JobStoreFile);
                File.Copy(jobStore, jobCopy);
                checks.Add(await IntegrityAsync("job store", jobCopy, cancellationToken));
            }
            else
            {
                checks.Add(new("job store", true, "no copy: the sweep sets every deadline's alarm again from the cases at start"));
            }

            var keys = Path.Combine(folder, KeysFolderName);
            var keyFiles = Directory.Exists(keys) ? Directory.EnumerateFiles(keys, "key-*.xml").Count() : 0;
            checks.Add(keyFiles > 0
                ? new("keys", true, string.Create(CultureInfo.InvariantCulture, $"{keyFiles} key file(s)"))
                : protectedSecrets > 0
                    ? new("keys", false, string.Create(CultureInfo.InvariantCulture,
                        $"no key file, and {protectedSecrets} authenticator secret(s) can only be read with them: those users could not sign in"))
                    : new("keys", true, "no key file yet (nothing is encrypted with them): sessions start afresh"));
            return new(checks, counts);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Puts a verified copy in place of the live files, the app stopped: the live files are moved aside into a
    /// <c>before-restore-…</c> folder beside the database, never deleted. Returns that folder.
    /// </summary>
    public async Task<string> RestoreAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (sources.Database.Provider != DatabaseProvider.Sqlite)
        {
            throw new BackupException("restore puts SQLite files back; a PostgreSQL database is restored with pg_restore (docs/operations.md).");
        }

        folder = Path.GetFullPath(folder);
        var verification = await VerifyAsync(folder, cancellationToken);
        if (!verification.IsUsable)
        {
            throw new BackupException($"{folder} does not verify: {string.Join("; ", verification.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}"))}");
        }

        var live = new SqliteConnectionStringBuilder(sources.Database.ConnectionString).DataSource;
        // The job server holds this lock for the life of the app: taking it proves the app is stopped, and keeps it stopped.
        using var stopped = sources.JobStorePath is { } jobs ? new Jobs.JobStoreLock(jobs) : null;
        try
        {
            stopped?.Acquire();
        }
        catch (InvalidOperationException)
        {
            throw new BackupException($"Callback is running on {live}: stop it first (systemctl stop callback), then restore.");
        }

        var aside = Path.Combine(Path.GetDirectoryName(live)!, "before-restore-" + clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(aside);
        PrivateFiles.NarrowFolder(aside);
        MoveDatabase(live, aside);
        File.Copy(Path.Combine(folder, DatabaseFile), live);
        if (sources.JobStorePath is { } jobStore)
        {
            MoveDatabase(jobStore, aside);
            if (File.Exists(Path.Combine(folder, JobStoreFile)))
            {
                File.Copy(Path.Combine(folder, JobStoreFile), jobStore);
            }
        }

        if (Directory.Exists(sources.KeysFolder))
        {
            Directory.Move(sources.KeysFolder, Path.Combine(aside, KeysFolderName));
        }

        CopyKeys(Path.Combine(folder, KeysFolderName), sources.KeysFolder);
        return aside;
    }

    private static async Task CopySqliteAsync(string sourceConnectionString, string target, CancellationToken cancellationToken)
    {
        // ReadWrite, not the default ReadWriteCreate: a wrong path is an error, not a new empty database.
        var source = new SqliteConnectionStringBuilder(sourceConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var from = new SqliteConnection(source.ToString());
        await using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await from.OpenAsync(cancellationToken);
        await using (var wait = from.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout = 30000;";
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }

        await to.OpenAsync(cancellationToken);
        // One step, one read transaction: the copy is the database as of one commit.
        from.BackupDatabase(to);
        await using var single = to.CreateCommand();
        // The copy is one self-contained file (no -wal beside it); the app turns WAL on again when it opens a restored copy.
        single.CommandText = "PRAGMA journal_mode = DELETE;";
        await single.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int CopyKeys(string from, string to)
    {
        Directory.CreateDirectory(to);
        PrivateFiles.NarrowFolder(to);
        if (!Directory.Exists(from))
        {
            return 0;
        }

        var files = Directory.GetFiles(from, "key-*.xml");
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        PrivateFiles.NarrowFolder(to);
        return files.Length;
    }

    private static void MoveDatabase(string file, string aside)
    {
        foreach (var suffix in PrivateFiles.DatabaseSuffixes)
        {
            if (File.Exists(file + suffix))
            {
                File.Move(file + suffix, Path.Combine(aside, Path.GetFileName(file) + suffix));
            }
        }
    }

    private static SqliteCallbackDbContext Open(string file) =>
        new(new DbContextOptionsBuilder<SqliteCallbackDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString())
            .Options);

    private static async Task<(string? Level, BackupCounts Counts)> DescribeAsync(string file, CancellationToken cancellationToken)
    {
        await using var db = Open(file);
        var level = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        return (level, await CountAsync(db, cancellationToken));
    }

    private static async Task<BackupCounts> CountAsync(SqliteCallbackDbContext db, CancellationToken cancellationToken) => new(
        await db.Cases.CountAsync(cancellationToken),
        await db.AuditEntries.Where(e => e.CaseId != null).Select(e => e.CaseId).Distinct().CountAsync(cancellationToken),
        await db.AuditEntries.LongCountAsync(cancellationToken),
        await db.Units.CountAsync(cancellationToken),
        await db.Users.CountAsync(cancellationToken));

    private static async Task<BackupCheck> IntegrityAsync(string name, string file, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return new(name, result == "ok", result == "ok" ? "integrity ok" : $"integrity check: {result}");
    }

    private static async Task<BackupCheck> MigrationsAsync(SqliteCallbackDbContext db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var unknown = applied.Except(known).ToList();
        if (unknown.Count > 0)
        {
            return new("migrations", false, $"made by a newer version ({string.Join(", ", unknown)}): restore it with that version");
        }

        var pending = known.Except(applied).ToList();
        var level = applied.LastOrDefault() ?? "none";
        return new("migrations", true, pending.Count == 0
            ? $"level {level}, this version's"
            : string.Create(CultureInfo.InvariantCulture, $"level {level}; {pending.Count} migration(s) of this version are applied at the first start after the restore"));
    }

    private static async Task<BackupCheck> ManifestAsync(string folder, BackupCounts counts, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path))
        {
            return new("manifest", false, $"no {ManifestFile}: not a folder written by backup, or an incomplete one");
        }

        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, cancellationToken), Json);
        var taken = manifest?.TakenAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return manifest?.Counts == counts
            ? new("manifest", true, $"taken {taken}; the counts match")
            : new("manifest", false, $"taken {taken}; the counts differ from the copy's ({manifest?.Counts} written, {counts} found)");
    }
}
