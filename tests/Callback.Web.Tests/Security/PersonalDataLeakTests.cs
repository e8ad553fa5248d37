using System.Text;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Tests.Hosting;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Callback.Web.Tests.Security;

/// <summary>
/// Canary strings in every personal field of a case, a whole lifecycle through the real host (pages rendered, alarms
/// set in the real Hangfire SQLite store), and not one canary in the logs or the job store.
/// </summary>
public sealed class PersonalDataLeakTests
{
    private static readonly string[] Canaries =
        ["Cxqvictimfirst", "Cxqvictimlast", "0699887766", "0677665544", "Cxqaddress", "Cxqperpetrator", "Cxqcodeword", "Cxqattemptnote", "Cxqcasenote", "Cxqpatrolnote",
         "Cxqapifirst", "Cxqapilast", "Cxqapiaddress", "Cxqapinote"];

    [Fact]
    public async Task AFullCaseLifecycle_LeavesNoPersonalDataInTheLogsOrTheJobStore()
    {
        var logs = new CapturingLoggerProvider();
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b =>
        {
            b.UseSetting("Workflow:MaxAttempts", "2");
            b.UseSetting("Workflow:AlarmHorizon", "3.00:00:00");
            // A rule for this provider alone overrides appsettings' levels: it hears everything down to Trace.
            b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
        }));
        var workflow = site.Services.GetRequiredService<CaseWorkflowService>();
        await using var db0 = await site.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var unit = await db0.Units.SingleAsync(u => u.Code == "CTC-62", TestContext.Current.CancellationToken);
        var officer = Actor.User(await site.UserIdAsync("officer62"), unit.Id, "62", Roles.Officer);
        var dispatcher = Actor.User(await site.UserIdAsync("dispatcher62"), unit.Id, "62", Roles.Dispatcher);
        var start = site.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        var id = await workflow.OpenAsync("CTC-62", new NewCase("62-2026-990001", start.AddHours(-30), OffenceCategory.ConjugalViolence,
            new Victim("Cxqvictimfirst", "Cxqvictimlast", "0699887766", "12 rue Cxqaddress"), new Perpetrator("Cxqperpetrator", TriState.Yes)), officer);
        var safe = new SafeContact("0677665544", null, null, "Europe/Paris", ContactChannel.Phone, NoVoicemail: true, CodeWord: "Cxqcodeword");
        await workflow.ReviewAsync(id, await VersionAsync(site, id), Harness.Findings() with { SafeContact = safe }, officer);
        await workflow.AddNoteAsync(id, await VersionAsync(site, id), "Cxqcasenote", officer);
        await workflow.RecordAttemptAsync(id, await VersionAsync(site, id), AttemptOutcome.NoAnswer, true, "Cxqattemptnote", officer);
        await WaitForJobStoreAsync(site);
        using (var client = await site.SignedInAsync("officer62"))
        {
            var page = await client.GetStringAsync(new Uri($"/cases/{id}", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Contains("62-2026-990001", page, StringComparison.Ordinal);
        }

        // The second unanswered call reaches the maximum: the case asks for a patrol by itself.
        await workflow.RecordAttemptAsync(id, await VersionAsync(site, id), AttemptOutcome.NoAnswer, false, "Cxqattemptnote", officer);
        await workflow.DispatchAsync(id, await VersionAsync(site, id), "Crew 7", dispatcher);
        var closed = await workflow.ReportPatrolOutcomeAsync(id, await VersionAsync(site, id), PatrolOutcome.VictimSafeAndSeen, "Cxqpatrolnote", dispatcher);
        Assert.Equal(CaseState.Closed, closed.State);

        // The intake API: a good case and a rejected one, both full of canaries, then the status read.
        var key = await site.Services.GetRequiredService<Domain.Intake.ApiKeyService>().CreateAsync("CTC-62", "canary", Actor.User("admin-test", null, null, Roles.Admin));
        using (var api = site.Anonymous())
        {
            api.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
            const string Item = """
                {"reference":"REF","intervention_at":"2026-11-20T21:30:00+01:00","offence":"VIOL","victim_last_name":"Cxqapilast",
                 "victim_first_name":"Cxqapifirst","victim_phone":"PHONE","victim_address":"Cxqapiaddress","notes":"Cxqapinote"}
                """;
            var batch = "[" + Item.Replace("REF", "62-API-CANARY", StringComparison.Ordinal).Replace("PHONE", "06 99 88 77 66", StringComparison.Ordinal) + ","
                + Item.Replace("REF", "62-API-CANARY2", StringComparison.Ordinal).Replace("PHONE", "Cxqapifirst", StringComparison.Ordinal) + "]";
            using var posted = await api.PostAsync(new Uri("/api/v1/cases", UriKind.Relative), new StringContent(batch, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, posted.StatusCode);
            using var status = await api.GetAsync(new Uri("/api/v1/cases/CTC-62/62-API-CANARY", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode);
        }

        var jobArguments = JobArguments(site);
        await site.DisposeAsync();
        var text = logs.Text();
        Assert.True(text.Length > 10_000, $"the captured logs are too short to prove anything ({text.Length} characters)");
        Assert.Contains(id.ToString(), text, StringComparison.Ordinal);
        var store = ReadAll(Path.Combine(site.Factory.Folder, "hangfire.db"));
        Assert.Contains(id.ToString(), jobArguments, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, text, StringComparison.Ordinal);
        foreach (var canary in Canaries)
        {
            Assert.DoesNotContain(canary, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(canary, jobArguments, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(canary, store, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<int> VersionAsync(SecuredSite site, Guid id)
    {
        await using var db = await site.Databases.CreateDbContextAsync();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync();
    }

    private static async Task WaitForJobStoreAsync(SecuredSite site)
    {
        var monitoring = site.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var i = 0; i < 100 && monitoring.ScheduledCount() == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(monitoring.ScheduledCount() > 0, "the alarm never reached the Hangfire store");
    }

    private static string JobArguments(SecuredSite site)
    {
        var monitoring = site.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var jobs = monitoring.ScheduledJobs(0, 1000).Select(j => j.Value.Job)
            .Concat(monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job))
            .Concat(monitoring.DeletedJobs(0, 1000).Select(j => j.Value.Job))
            .Where(j => j is not null);
        return string.Join("\n", jobs.Select(j => $"{j!.Type.Name}.{j.Method.Name}({string.Join(", ", j.Args)})"));
    }

    /// <summary>Every row of every table of the job store, as text (SQLite file and its write-ahead log alike).</summary>
    private static string ReadAll(string file)
    {
        var all = new StringBuilder();
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    all.Append(reader.GetValue(i)).Append('|');
                }

                all.AppendLine();
            }
        }

        Assert.True(tables.Count > 3, "the job store has too few tables to be Hangfire's");
        return all.ToString();
    }
}
