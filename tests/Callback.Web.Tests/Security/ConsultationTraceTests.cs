using System.Net;
using System.Text.RegularExpressions;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Audit;
using Callback.Web.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>
/// Issue 14, findings 1 and 2, proved from outside through the real host: the server-rendered HTML of every case view of
/// an orange case holds nothing of the victim before a reason is given (text or attribute, any phone formatting), and
/// it does after; reading blue and orange cases, and printing them, leaves the entries the consultation rule says.
/// </summary>
public sealed partial class ConsultationTraceTests
{
    private const string SafePhone = "06.22.11.33.44";

    /// <summary>What must not appear: names, address words, and the numbers as digits only.</summary>
    private static readonly string[] Words = ["Ondine", SecuredSite.VictimLastName, "Canaris"];
    private static readonly string[] PhoneDigits = ["611223344", "622113344"];

    [Fact]
    public async Task EveryCaseViewOfAnOrangeCase_ShowsNothingOfTheVictimBeforeAReason_AndShowsItAfter()
    {
        await using var site = await SecuredSite.StartAsync();
        var (workflow, officer, dispatcher) = await ActorsAsync(site);
        var id = site.CaseId;
        using var officerClient = await site.SignedInAsync("officer62");
        using var dispatcherClient = await site.SignedInAsync("dispatcher62");
        using var supervisorClient = await site.SignedInAsync("supervisor62");
        var pages = new List<(string View, string Html)>();

        // Awaiting review: the case page with its header, review form, identity panel, actions, facts and timeline.
        pages.Add(("case page, review", await GetAsync(officerClient, $"/cases/{id}")));
        await workflow.ReviewAsync(id, await VersionAsync(site, id), new ReviewFindings(TriState.Yes, false, false, false, true, TriState.Yes,
            ProtectionMeasures.None, DangerLevel.High, false, new SafeContact(SafePhone, new TimeOnly(18, 0), new TimeOnly(21, 0), null, ContactChannel.Phone, true, "Cxqcodeword")), officer);
        // Awaiting contact: the call panel (number to call, warnings, safe-contact correction) and the queue row.
        pages.Add(("case page, call panel", await GetAsync(officerClient, $"/cases/{id}")));
        pages.Add(("queue", await GetAsync(officerClient, "/queue")));
        pages.Add(("case page, supervisor", await GetAsync(supervisorClient, $"/cases/{id}")));
        pages.Add(("print briefing", await GetAsync(officerClient, $"/cases/{id}/print/briefing")));
        pages.Add(("print summary", await GetAsync(officerClient, $"/cases/{id}/print/summary")));
        await workflow.RequestPatrolAsync(id, await VersionAsync(site, id), "no answer, neighbours worried", officer);
        // The dispatch desk: the board row (briefing card), the case page and the print as a dispatcher sees them.
        pages.Add(("dispatch board", await GetAsync(dispatcherClient, "/dispatch")));
        pages.Add(("case page, dispatcher", await GetAsync(dispatcherClient, $"/cases/{id}")));
        pages.Add(("print briefing, dispatcher", await GetAsync(dispatcherClient, $"/cases/{id}/print/briefing")));

        Assert.Contains(pages, p => p.Html.Contains("data-testid=\"call-panel\"", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Html.Contains("data-testid=\"briefing\"", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Html.Contains("data-testid=\"review-form\"", StringComparison.Ordinal));
        foreach (var (view, html) in pages)
        {
            Assert.Contains(SecuredSite.CaseReference, html, StringComparison.Ordinal);
            Assert.True(Leaks(html).Count == 0, $"{view} shows {string.Join(", ", Leaks(html))} before any reason was given");
        }

        Assert.Empty(await site.AuditAsync(AuditActions.OpenIdentity));
        Assert.Equal(3, (await site.AuditAsync(AuditActions.Print)).Count);

        // A reason given: the identity shows on the case page and in the prints, for that reader.
        await workflow.RevealIdentityAsync(id, "patrol on its way", officer);
        var casePage = await GetAsync(officerClient, $"/cases/{id}");
        Assert.Contains("Ondine " + SecuredSite.VictimLastName, casePage, StringComparison.Ordinal);
        Assert.Contains("5 impasse des Canaris", casePage, StringComparison.Ordinal);
        // The scan that found nothing above finds them here: it can fail.
        Assert.Equal([.. Words, PhoneDigits[1]], Leaks(casePage).Except([PhoneDigits[0]]));
        var briefing = await GetAsync(officerClient, $"/cases/{id}/print/briefing");
        Assert.Contains("5 impasse des Canaris", briefing, StringComparison.Ordinal);
        Assert.Contains(SafePhone, briefing, StringComparison.Ordinal);
        Assert.DoesNotContain("611223344", Digits(briefing), StringComparison.Ordinal);
        Assert.Contains(SecuredSite.VictimLastName, await GetAsync(officerClient, $"/cases/{id}/print/summary"), StringComparison.Ordinal);
        // The dispatcher has given none yet; once they do, the board row carries the address.
        Assert.Empty(Leaks(await GetAsync(dispatcherClient, "/dispatch")));
        await workflow.RevealIdentityAsync(id, "crew leaving", dispatcher);
        Assert.Contains("5 impasse des Canaris", await GetAsync(dispatcherClient, "/dispatch"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeViewsEachOfABlueAndAnOrangeCase_AreThreeConsultationsEach_WhenTheWindowHasPassed()
    {
        // A window shorter than the time between two requests: each view is its own reading.
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b => b.UseSetting("Workflow:ConsultationWindow", "00:00:00.001")));
        var (workflow, officer, _) = await ActorsAsync(site);
        var blue = await BlueCaseAsync(site, workflow, officer);
        await workflow.RevealIdentityAsync(site.CaseId, "hearing tomorrow", officer);
        using var client = await site.SignedInAsync("officer62");

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("Bleuette", await GetAsync(client, $"/cases/{blue}"), StringComparison.Ordinal);
            Assert.Contains(SecuredSite.VictimLastName, await GetAsync(client, $"/cases/{site.CaseId}"), StringComparison.Ordinal);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        var consults = await site.AuditAsync(AuditActions.Consult);
        Assert.Equal(3, consults.Count(e => e.CaseId == blue && e.Actor == officer.Id));
        Assert.Equal(3, (await site.AuditAsync(AuditActions.OpenIdentityAgain)).Count(e => e.CaseId == site.CaseId && e.Actor == officer.Id));
        Assert.Single(await site.AuditAsync(AuditActions.OpenIdentity));

        // Visible on /audit to the département's supervisor: who read which case.
        var supervisor = Actor.User(await site.UserIdAsync("supervisor62"), officer.UnitId, "62", Roles.Supervisor);
        var rows = await site.Services.GetRequiredService<AuditQuery>().SearchAsync(supervisor, new AuditFilter(CaseId: blue, Action: AuditActions.Consult));
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("Officier 62", r.ActorName));
        using var supervisorClient = await site.SignedInAsync("supervisor62");
        var auditPage = await GetAsync(supervisorClient, $"/audit?case={blue}");
        // In the page's words (Action.Consult), with what was read.
        Assert.Contains(">Consultation<", auditPage, StringComparison.Ordinal);
        Assert.Contains("identité, contact, adresse", System.Net.WebUtility.HtmlDecode(auditPage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeViewsWithinTheWindow_AreOneConsultation_AndEveryPrintIsAudited()
    {
        await using var site = await SecuredSite.StartAsync();
        var (workflow, officer, _) = await ActorsAsync(site);
        var blue = await BlueCaseAsync(site, workflow, officer);
        using var client = await site.SignedInAsync("officer62");

        for (var i = 0; i < 3; i++)
        {
            await GetAsync(client, $"/cases/{blue}");
        }

        await GetAsync(client, $"/cases/{blue}/print/briefing");
        await GetAsync(client, $"/cases/{blue}/print/summary");
        await GetAsync(client, $"/cases/{blue}/print/summary");

        Assert.Single(await site.AuditAsync(AuditActions.Consult), e => e.CaseId == blue);
        var prints = (await site.AuditAsync(AuditActions.Print)).Where(e => e.CaseId == blue).Select(e => e.Reason).ToList();
        Assert.Equal(["Briefing, identity shown", "ProsecutorSummary, identity shown", "ProsecutorSummary, identity shown"], prints);
        Assert.True((await site.Services.GetRequiredService<AuditQuery>().VerifyAsync(Actor.User("admin", null, null, Roles.Admin))).IsIntact);
    }

    private static async Task<(CaseWorkflowService Workflow, Actor Officer, Actor Dispatcher)> ActorsAsync(SecuredSite site)
    {
        await using var db = await site.Databases.CreateDbContextAsync();
        var unit = await db.Units.SingleAsync(u => u.Code == "CTC-62");
        return (site.Services.GetRequiredService<CaseWorkflowService>(),
            Actor.User(await site.UserIdAsync("officer62"), unit.Id, "62", Roles.Officer),
            Actor.User(await site.UserIdAsync("dispatcher62"), unit.Id, "62", Roles.Dispatcher));
    }

    private static Task<Guid> BlueCaseAsync(SecuredSite site, CaseWorkflowService workflow, Actor officer) =>
        workflow.OpenAsync("CTC-62", new NewCase("62-2026-777002", site.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddHours(-3),
            OffenceCategory.Threats, new Victim("Bleuette", "Menacee", "0655443322", "8 rue du Bleu"), new Perpetrator(null, TriState.No)), officer);

    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<int> VersionAsync(SecuredSite site, Guid id)
    {
        await using var db = await site.Databases.CreateDbContextAsync();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync();
    }

    /// <summary>The personal values found in <paramref name="html"/>, raw or HTML-decoded, in text and attributes alike.</summary>
    private static List<string> Leaks(string html)
    {
        var decoded = WebUtility.HtmlDecode(html);
        var found = Words.Where(w => html.Contains(w, StringComparison.OrdinalIgnoreCase) || decoded.Contains(w, StringComparison.OrdinalIgnoreCase)).ToList();
        var digits = Digits(decoded);
        found.AddRange(PhoneDigits.Where(p => digits.Contains(p, StringComparison.Ordinal)));
        return found;
    }

    /// <summary>Separators between digits dropped, so "06 11 22 33 44", "06.11.22.33.44" and "+33 6 11 22 33 44" all read 611223344.</summary>
    private static string Digits(string text) => BetweenDigits().Replace(text, "");

    [GeneratedRegex(@"(?<=\d)[\s.\-/()\u00A0\u202F]+(?=\d)")]
    private static partial Regex BetweenDigits();
}
