using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Features.Supervision;
using Callback.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Supervision;

/// <summary>Issue 16.9: a shift handover, one audited reassignment per case, never over someone else's change.</summary>
public sealed class HandoverTests
{
    [Fact]
    public async Task AHandover_ReassignsEachHeldCaseOnce_LeavesAChangedOneNamed_AndRefusesANonOfficer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await SecuredSite.StartAsync();
        var workflow = site.Services.GetRequiredService<CaseWorkflowService>();
        var handover = site.Services.GetRequiredService<HandoverService>();
        string leaving, taking;
        int unit;
        await using (var scope = site.Services.CreateAsyncScope())
        {
            taking = (await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync("releve62@test.callback", "Relève 62", SecuredSite.Password, Roles.Officer, "CTC-62")).Id;
        }

        leaving = await site.UserIdAsync("officer62");
        await using (var db = await site.Databases.CreateDbContextAsync(ct))
        {
            unit = await db.Units.Where(u => u.Code == "CTC-62").Select(u => u.Id).SingleAsync(ct);
        }

        var officer = Actor.User(leaving, unit, "62", Roles.Officer);
        var supervisor = Actor.User(await site.UserIdAsync("supervisor62"), unit, "62", Roles.Supervisor);
        var ids = new List<Guid> { site.CaseId };
        for (var i = 2; i <= 3; i++)
        {
            ids.Add(await workflow.OpenAsync("CTC-62", new NewCase($"62-2026-77700{i}", new DateTime(2026, 12, 5, 20, 0, 0, DateTimeKind.Utc),
                OffenceCategory.ConjugalViolence, new Victim("A", "B", "0611223344", "1 rue"), new Perpetrator("C", TriState.No)), officer, ct));
        }

        foreach (var id in ids)
        {
            await workflow.ClaimAsync(id, await VersionAsync(site, id), officer, ct);
        }

        var held = await handover.HeldByAsync(supervisor, leaving, ct);
        Assert.Equal(3, held.Count);
        // Meanwhile the leaving officer adds a note to one of them: that case's version moves on.
        await workflow.AddNoteAsync(ids[2], held.Single(c => c.Id == ids[2]).Version, "rappel prévu", officer, ct);

        await Assert.ThrowsAsync<CaseRuleException>(() => handover.HandOverAsync(supervisor, held, "not-an-officer", "relève", ct));
        var result = await handover.HandOverAsync(supervisor, held, taking, "relève de 14 h", ct);

        Assert.Equal(2, result.HandedOver);
        Assert.Equal(["62-2026-777003"], result.Changed);
        await using var check = await site.Databases.CreateDbContextAsync(ct);
        var reassigned = await check.AuditEntries.Where(e => e.Action == "Reassign").Select(e => e.CaseId).ToListAsync(ct);
        Assert.Equal(ids.Take(2).Order(), reassigned.Select(id => id!.Value).Order());
        var cases = await check.Cases.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        Assert.All(ids.Take(2), id => Assert.True(cases[id].CurrentClaim.IsAssignment && cases[id].CurrentClaim.Holder == taking));
        Assert.Equal(leaving, cases[ids[2]].CurrentClaim.Holder);
        Assert.Equal([ids[2]], (await handover.HeldByAsync(supervisor, leaving, ct)).Select(c => c.Id));
    }

    private static async Task<int> VersionAsync(SecuredSite site, Guid id)
    {
        await using var db = await site.Databases.CreateDbContextAsync();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync();
    }
}
