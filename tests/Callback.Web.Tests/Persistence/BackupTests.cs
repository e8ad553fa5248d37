using System.Net;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Web.Cli;
using Callback.Web.Persistence;
using Callback.Web.Tests.Hosting;
using Callback.Web.Tests.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Persistence;

/// <summary>Issue 22, item 4: a backup taken while the cell works, checked, and put back.</summary>
public class BackupTests(ITestOutputHelper output)
{
    private const int Transitions = 1_000;
    private const int Writers = 4;

    [Fact]
    public async Task BackupsTakenWhileAThousandTransitionsRun_VerifyTheirChain_AndHoldEveryCaseOfTheirAudit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync(database: Harness.NoFsync);
        var keys = Directory.CreateDirectory(Path.Combine(h.Folder, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "key-test.xml"), "<key />", ct);
        var backups = new Backups(new BackupSources(h.Services.GetRequiredService<DatabaseLocation>(), null, keys), TimeProvider.System);
        for (var i = 0; i < 20; i++)
        {
            await h.CaseAwaitingContactAsync($"62-SEED-{i:000}");
        }

        var done = 0;
        int[] marks = [150, 450, 750];
        // At each mark the officers wait until the backup has begun, then go on while it copies: on two busy cores the
        // test's own loop may otherwise wake only once every transition is done, and take three copies of the end.
        var begun = marks.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        // Four officers, each on cases of their own (no conflict to retry): a new case every fifth transition, notes between.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            Guid current = default;
            var version = 0;
            for (var i = 0; i < Transitions / Writers; i++)
            {
                for (var m = 0; m < marks.Length; m++)
                {
                    if (Volatile.Read(ref done) >= marks[m])
                    {
                        await begun[m].Task.WaitAsync(ct);
                    }
                }

                if (i % 5 == 0)
                {
                    current = await h.Workflow.OpenAsync("CTC-62", h.Facts($"62-W{w}-{i:0000}"), h.OfficerA, ct);
                    version = await h.VersionAsync(current);
                }
                else
                {
                    version = (await h.Workflow.AddNoteAsync(current, version, $"note {i}", h.OfficerA, ct)).Version;
                }

                Interlocked.Increment(ref done);
            }
        }, ct)).ToList();

        var taken = new List<(string Folder, int Before, int After)>();
        for (var m = 0; m < marks.Length; m++)
        {
            while (Volatile.Read(ref done) < marks[m] && !writers.All(t => t.IsCompleted))
            {
                await Task.Delay(5, ct);
            }

            var folder = Path.Combine(h.Folder, $"backup-{marks[m]}");
            var before = Volatile.Read(ref done);
            var copying = backups.TakeAsync(folder, ct);
            begun[m].SetResult();
            await copying;
            taken.Add((folder, before, Volatile.Read(ref done)));
        }

        await Task.WhenAll(writers);
        Assert.Equal(Transitions, done);
        long liveEntries;
        await using (var live = await h.Databases.CreateDbContextAsync(ct))
        {
            liveEntries = await live.AuditEntries.LongCountAsync(ct);
        }

        foreach (var (folder, before, after) in taken)
        {
            var verification = await Backups.VerifyAsync(folder, ct);
            output.WriteLine($"{Path.GetFileName(folder)}: taken between transitions {before} and {after}; {verification.Counts}; " +
                string.Join("; ", verification.Checks.Select(c => $"{c.Name} {(c.Passed ? "ok" : "FAIL")}: {c.Detail}")));
            Assert.True(verification.IsUsable, string.Join("; ", verification.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}")));
            Assert.Contains(verification.Checks, c => c.Name == "audit chain" && c.Passed && c.Detail.Contains("intact", StringComparison.OrdinalIgnoreCase));
            var counts = verification.Counts!;
            Assert.Equal(counts.Cases, counts.CasesInAudit);
            Assert.InRange(counts.Cases, 20, 20 + Transitions / 5);
            Assert.True(before < Transitions, $"{Path.GetFileName(folder)} began after the last transition: nothing ran during it");
            Assert.True(counts.AuditEntries < liveEntries, $"{Path.GetFileName(folder)} holds as many entries as the end: it was not a copy of a moment mid-run");
        }

        // The copies are of three different moments, in order.
        var cases = new List<int>();
        foreach (var (folder, _, _) in taken)
        {
            cases.Add((await Backups.VerifyAsync(folder, ct)).Counts!.Cases);
        }

        Assert.Equal(cases.Order(), cases);
        Assert.True(cases[0] < cases[^1], $"the first and the last backup hold the same {cases[0]} cases");
    }

    [Fact]
    public async Task BackupCommand_WhileTheAppRuns_WritesAVerifiedCopy_WhichRestoresTheCasesTheAccountsAndTheirAuthenticators()
    {
        var ct = TestContext.Current.CancellationToken;
        var live = Directory.CreateTempSubdirectory("callback-live-").FullName;
        var backup = Path.Combine(Directory.CreateTempSubdirectory("callback-backups-").FullName, "2026-12-06");
        await using (var site = await SecuredSite.StartAsync(new CallbackFactory(live)))
        {
            // A shift under way (the supervisor's two-factor code is kept for after the restore: a code is good once).
            using var client = await site.SignedInAsync("officer62");

            var (exit, text) = await RunAsync(site.Services, "backup", backup);
            output.WriteLine(text);
            Assert.Equal(0, exit);
            Assert.Contains("ok   audit chain", text, StringComparison.Ordinal);
            Assert.Contains("can be restored", text, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(backup, "hangfire.db")), "the job store is copied");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(Callback.Web.Security.PrivateFiles.FolderMode, File.GetUnixFileMode(backup));
                foreach (var file in Directory.GetFiles(backup))
                {
                    Assert.Equal(Callback.Web.Security.PrivateFiles.FileMode, File.GetUnixFileMode(file));
                }
            }

            // The app holds the job store: a restore over it is refused, and changes nothing.
            var refused = await RunAsync(site.Services, "restore", backup);
            Assert.Equal(1, refused.Exit);
            Assert.Contains("stop it first", refused.Output, StringComparison.Ordinal);

            // After the backup the cell goes on: a second case, which the restore will not bring back.
            int unit;
            await using (var db = await site.Databases.CreateDbContextAsync(ct))
            {
                unit = await db.Units.Where(u => u.Code == "CTC-62").Select(u => u.Id).SingleAsync(ct);
            }

            await site.Services.GetRequiredService<CaseWorkflowService>().OpenAsync("CTC-62", new NewCase("62-2026-777099",
                new DateTime(2026, 12, 5, 20, 0, 0, DateTimeKind.Utc), OffenceCategory.ConjugalViolence,
                new Victim("Iris", "Après", "0611223355", "1 rue Neuve"), new Perpetrator("X", TriState.No)), Actor.User("seed", unit, "62", Roles.Officer), ct);
            var again = await RunAsync(site.Services, "backup", backup);
            Assert.Equal((1, true), (again.Exit, again.Output.Contains("is not empty", StringComparison.Ordinal)));
        }

        var verify = await RunVerifyAsync(backup);
        Assert.Equal(0, verify.Exit);

        SqliteConnection.ClearAllPools();
        var aside = await new Backups(new BackupSources(
            new DatabaseLocation(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(live, "callback.db")}"),
            Path.Combine(live, "hangfire.db"), Path.Combine(live, "keys")), TimeProvider.System).RestoreAsync(backup, ct);

        Assert.True(File.Exists(Path.Combine(aside, "callback.db")), "the replaced database is kept aside");
        await using var restored = new CallbackFactory(live);
        await using (var db = await restored.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync(ct))
        {
            Assert.Equal([SecuredSite.CaseReference], await db.Cases.Select(c => c.FileReference).ToListAsync(ct));
            Assert.True((await Domain.Audit.AuditWriter.VerifyAsync(db, ct)).IsIntact);
        }

        // The keys came back with the database: the authenticator secret they protect still opens the two-factor step.
        using var signedIn = await SecuredSite.Reopen(restored).SignedInAsync("supervisor62");
        using var queue = await signedIn.GetAsync(new Uri("/queue", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
    }

    [Fact]
    public async Task Verify_RefusesACopyWhoseAuditWasEdited_OrWhoseKeysAreMissing_NamingTheCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.CreateAsync();
        var keys = Directory.CreateDirectory(Path.Combine(h.Folder, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "key-test.xml"), "<key />", ct);
        await h.CaseAwaitingContactAsync();
        // A supervisor enrolled in two-factor: her authenticator secret is encrypted with the keys.
        await h.ExecuteSqlAsync("""
            INSERT INTO AspNetUsers (Id, DisplayName, Disabled, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ('u1', 'Superviseure', 0, 1, 0, 1, 1, 0);
            INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value) VALUES ('u1', '[AspNetUserStore]', 'AuthenticatorKey', 'dp1:CfDJ8...');
            """);
        var backups = new Backups(new BackupSources(h.Services.GetRequiredService<DatabaseLocation>(), null, keys), TimeProvider.System);
        var edited = Path.Combine(h.Folder, "edited");
        var keyless = Path.Combine(h.Folder, "keyless");
        await backups.TakeAsync(edited, ct);
        await backups.TakeAsync(keyless, ct);
        var original = await File.ReadAllBytesAsync(Path.Combine(edited, "callback.db"), ct);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(edited, "callback.db")};Pooling=False"))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_entries_no_update; UPDATE AuditEntries SET Reason = 'nothing happened' WHERE Sequence = 2;";
            await command.ExecuteNonQueryAsync(ct);
        }

        File.Delete(Path.Combine(keyless, "keys", "key-test.xml"));

        var (editedExit, editedText) = await RunVerifyAsync(edited);
        var (keylessExit, keylessText) = await RunVerifyAsync(keyless);

        Assert.Equal(1, editedExit);
        Assert.Contains("FAIL audit chain", editedText, StringComparison.Ordinal);
        Assert.Contains("cannot be restored", editedText, StringComparison.Ordinal);
        Assert.Equal(1, keylessExit);
        Assert.Contains("FAIL keys: no key file, and 1 authenticator secret(s) can only be read with them", keylessText, StringComparison.Ordinal);
        Assert.Contains("ok   audit chain", keylessText, StringComparison.Ordinal);
        Assert.NotEqual(original, await File.ReadAllBytesAsync(Path.Combine(edited, "callback.db"), ct));
        Assert.False(File.Exists(Path.Combine(edited, "callback.db-wal")), "verifying wrote nothing beside the copy");
    }

    [Fact]
    public async Task OnPostgres_TheBackupCopiesTheKeys_AndNamesThePgDumpCommand_WithoutThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("callback-pg-backup-").FullName;
        var keys = Directory.CreateDirectory(Path.Combine(folder, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "key-1.xml"), "<key />", ct);
        var backups = new Backups(new BackupSources(new DatabaseLocation(DatabaseProvider.Postgres,
            "Host=db.internal;Port=5433;Database=callback;Username=callback_app;Password=s3cret"), null, keys), TimeProvider.System);

        var manifest = await backups.TakeAsync(Path.Combine(folder, "backup"), ct);
        var command = backups.PostgresDumpCommand(Path.Combine(folder, "backup"));

        Assert.Equal(("Postgres", 1, false), (manifest.Provider, manifest.KeyFiles, manifest.JobStore));
        Assert.True(File.Exists(Path.Combine(folder, "backup", "keys", "key-1.xml")));
        Assert.Equal($"pg_dump --format=custom --host=db.internal --port=5433 --username=callback_app --dbname=callback --file={Path.Combine(folder, "backup", "callback.dump")}", command);
        Assert.DoesNotContain("s3cret", command, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(IServiceProvider services, params string[] args)
    {
        var text = new StringWriter();
        var exit = await CommandLine.RunAsync(args, services, text);
        return (exit, text.ToString());
    }

    /// <summary><c>restore DIR --verify</c> needs no running app: a factory that is never started answers it.</summary>
    private static async Task<(int Exit, string Output)> RunVerifyAsync(string folder)
    {
        var text = new StringWriter();
        var exit = await CommandLine.RunAsync(["restore", folder, "--verify"], new ServiceCollection().BuildServiceProvider(), text);
        return (exit, text.ToString());
    }
}
