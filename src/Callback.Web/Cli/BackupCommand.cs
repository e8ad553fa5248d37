using Callback.Web.Persistence;

namespace Callback.Web.Cli;

/// <summary><c>backup DIR</c>, <c>restore DIR --verify</c>, <c>restore DIR</c>: docs/operations.md says when to run which.</summary>
internal static class BackupCommand
{
    public const string Usage = """
          backup DIR                 copy the database, the job store and the keys into DIR (new or empty) while the app
                                     runs, then verify the copy (exit 0 verified, 1 not); on PostgreSQL, copy the keys and
                                     print the pg_dump command for the database
          restore DIR --verify       check a copy without touching it or the live data: integrity, schema level, audit
                                     chain, every case in the audit, counts against the manifest, job store, keys
          restore DIR                the app stopped: verify DIR, move the live files aside (before-restore-...), put DIR's in
        """;

    public static async Task<int> BackupAsync(string folder, IServiceProvider services, TextWriter output)
    {
        var backups = services.GetRequiredService<Backups>();
        try
        {
            var manifest = await backups.TakeAsync(folder);
            if (backups.Sources.Database.Provider == DatabaseProvider.Postgres)
            {
                await output.WriteLineAsync($"copied {manifest.KeyFiles} key file(s) into {Path.GetFullPath(folder)}");
                await output.WriteLineAsync("The cases and the job store are in PostgreSQL: copy them with");
                await output.WriteLineAsync("  " + backups.PostgresDumpCommand(folder));
                return 0;
            }

            await output.WriteLineAsync($"backup written to {Path.GetFullPath(folder)}: {manifest.Counts}; job store {(manifest.JobStore ? "copied" : "absent")}, {manifest.KeyFiles} key file(s)");
            return await VerifyAsync(folder, output);
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await output.WriteLineAsync($"backup: {ex.Message}");
            return 1;
        }
    }

    public static async Task<int> RestoreAsync(string folder, bool verifyOnly, IServiceProvider services, TextWriter output)
    {
        if (verifyOnly)
        {
            return await VerifyAsync(folder, output);
        }

        try
        {
            var aside = await services.GetRequiredService<Backups>().RestoreAsync(folder);
            await output.WriteLineAsync($"restored from {Path.GetFullPath(folder)}; the files it replaced are in {aside}. Start Callback, then run audit verify.");
            return 0;
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"restore: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(string folder, TextWriter output)
    {
        var verification = await Backups.VerifyAsync(folder);
        foreach (var check in verification.Checks)
        {
            await output.WriteLineAsync($"{(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Detail}");
        }

        await output.WriteLineAsync(verification.IsUsable ? $"{Path.GetFullPath(folder)} can be restored" : $"{Path.GetFullPath(folder)} cannot be restored as it is");
        return verification.IsUsable ? 0 : 1;
    }
}
