using System.Net;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

public sealed class AuditPageTests
{
    [Fact]
    public async Task TheAuditLog_FiltersByCaseActorActionAndDate_AndASupervisorSeesOnlyTheirDepartement()
    {
        await using var site = await SecuredSite.StartAsync();
        var workflow = site.Services.GetRequiredService<CaseWorkflowService>();
        await using var db = await site.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var unit62 = await db.Units.SingleAsync(u => u.Code == "CTC-62", TestContext.Current.CancellationToken);
        var unit59 = await db.Units.SingleAsync(u => u.Code == "CTC-59", TestContext.Current.CancellationToken);
        var officer62 = Actor.User(await site.UserIdAsync("officer62"), unit62.Id, "62", Roles.Officer);
        var officer59 = Actor.User(await site.UserIdAsync("officer59"), unit59.Id, "59", Roles.Officer);
        var now = site.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var case59 = await workflow.OpenAsync("CTC-59", new Domain.Cases.NewCase("59-2026-000001", now.AddHours(-2), Domain.Cases.OffenceCategory.ConjugalViolence,
            new Domain.Cases.Victim("A", "B", null, null), new Domain.Cases.Perpetrator(null, Domain.Cases.TriState.No)), officer59);
        await workflow.RevealIdentityAsync(site.CaseId, "appel prévu", officer62);
        var supervisor62 = Actor.User(await site.UserIdAsync("supervisor62"), unit62.Id, "62", Roles.Supervisor);
        var admin = Actor.User(await site.UserIdAsync("admin"), null, null, Roles.Admin);
        var query = site.Services.GetRequiredService<AuditQuery>();
        // The admin has no unit: days are metropolitan France's.
        var today = Domain.Units.Unit.LocalDate(now, "Europe/Paris");

        var supervisorsView = await query.SearchAsync(supervisor62, new AuditFilter());
        var consultations = await query.SearchAsync(supervisor62, new AuditFilter(CaseId: site.CaseId, Action: "OpenIdentity"));
        var byName = await query.SearchAsync(supervisor62, new AuditFilter(Actor: "Officier 62"));
        var yesterday = await query.SearchAsync(admin, new AuditFilter(To: today.AddDays(-1)));
        var adminsView = await query.SearchAsync(admin, new AuditFilter(From: today, To: today));

        Assert.NotEmpty(supervisorsView);
        Assert.All(supervisorsView, r => Assert.Equal(site.CaseId, r.CaseId));
        var consultation = Assert.Single(consultations);
        Assert.Equal(("Officier 62", "appel prévu"), (consultation.ActorName, consultation.Reason));
        // Shown in the supervisor's unit's time, the zone named.
        Assert.Equal("Europe/Paris", consultation.Zone);
        Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(consultation.AtUtc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")), consultation.AtLocal);
        Assert.NotEqual(consultation.AtUtc.Hour, consultation.AtLocal.Hour);
        Assert.All(byName, r => Assert.Equal(officer62.Id, r.ActorId));
        Assert.Contains(byName, r => r.Action == "OpenIdentity");
        Assert.Empty(yesterday);
        Assert.Contains(adminsView, r => r.CaseId == case59);
        Assert.True((await query.VerifyAsync(admin)).IsIntact);
        await Assert.ThrowsAsync<ActionForbiddenException>(() => query.SearchAsync(officer62, new AuditFilter()));
    }

    [Fact]
    public async Task TheAuditPage_ShowsTheChainsEntries_ToASupervisor()
    {
        await using var site = await SecuredSite.StartAsync();
        using var client = await site.SignedInAsync("supervisor62");

        using var response = await client.GetAsync(new Uri($"/audit?case={site.CaseId}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"audit-row\"", body, StringComparison.Ordinal);
        // The states in the page's words (State.AwaitingReview), not the records' identifiers.
        Assert.Contains("→ À examiner", System.Net.WebUtility.HtmlDecode(body), StringComparison.Ordinal);
        Assert.DoesNotContain("AwaitingReview", body, StringComparison.Ordinal);
        Assert.Contains("(Europe/Paris)</th>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditPage_NamesTheCaseByItsFileReference_LinkingToIt()
    {
        // Eight characters of an id were ambiguous (four cases showed 01a245d7): people know a case by its reference.
        await using var site = await SecuredSite.StartAsync();
        await using var db = await site.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var reference = await db.Cases.Where(c => c.Id == site.CaseId).Select(c => c.FileReference).SingleAsync(TestContext.Current.CancellationToken);
        using var client = await site.SignedInAsync("supervisor62");

        using var response = await client.GetAsync(new Uri($"/audit?case={site.CaseId}", UriKind.Relative));
        var body = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cells = System.Text.RegularExpressions.Regex.Matches(body, "<td[^>]*data-testid=\"audit-row-case\"[^>]*>(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(cells);
        Assert.All(cells, cell =>
        {
            Assert.Contains($"href=\"cases/{site.CaseId}\"", cell.Groups[1].Value, StringComparison.Ordinal);
            Assert.Contains($">{reference}</a>", cell.Groups[1].Value, StringComparison.Ordinal);
        });
        Assert.DoesNotContain($">{site.CaseId.ToString()[..8]}</a>", body, StringComparison.Ordinal);
    }
}
