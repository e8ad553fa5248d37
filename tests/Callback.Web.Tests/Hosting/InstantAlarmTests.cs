using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

/// <summary>Issue 16.7, in the app's own composition: a deadline rings on time with no job server and no sweep to ring it.</summary>
public sealed class InstantAlarmTests
{
    [Fact]
    public async Task AHighDangerDeadline_RingsAtItsInstant_WithTheJobServerOffAndTheSweepAsleep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b => b
            .UseSetting("Jobs:RunServer", "false")
            .UseSetting("Workflow:SweepInterval", "01:00:00")
            .UseSetting("Workflow:HighDangerContactDeadline", "00:00:02")));
        var workflow = site.Services.GetRequiredService<CaseWorkflowService>();
        int unit, version;
        await using (var db = await site.Databases.CreateDbContextAsync(ct))
        {
            unit = await db.Units.Where(u => u.Code == "CTC-62").Select(u => u.Id).SingleAsync(ct);
            version = await db.Cases.Where(c => c.Id == site.CaseId).Select(c => c.Version).SingleAsync(ct);
        }

        var officer = Actor.User(await site.UserIdAsync("officer62"), unit, "62", Roles.Officer);
        var reviewed = await workflow.ReviewAsync(site.CaseId, version, Harness.Findings(DangerLevel.High), officer, ct);
        Assert.Equal(CaseState.AwaitingContact, reviewed.State);
        var due = reviewed.DueAtUtc!.Value;

        CaseState state;
        do
        {
            await Task.Delay(50, ct);
            await using var db = await site.Databases.CreateDbContextAsync(ct);
            state = await db.Cases.Where(c => c.Id == site.CaseId).Select(c => c.State).SingleAsync(ct);
        }
        while (state == CaseState.AwaitingContact && TimeProvider.System.GetUtcNow().UtcDateTime < due.AddSeconds(20));

        Assert.Equal(CaseState.PatrolRequested, state);
        await using var check = await site.Databases.CreateDbContextAsync(ct);
        var rang = await check.AuditEntries.Where(e => e.CaseId == site.CaseId && e.Action == nameof(CaseTrigger.ContactDeadlineElapsed)).Select(e => e.AtUtc).SingleAsync(ct);
        // Not early; how soon after is the benchmark's to measure (docs/performance.md), not a timed test's.
        Assert.True(rang >= due, $"rang {(due - rang).TotalMilliseconds:0} ms before the deadline");
    }
}
