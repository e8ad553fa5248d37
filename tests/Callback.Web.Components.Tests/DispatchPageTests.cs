using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Features.Dispatch;
using Callback.Web.Live;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The dispatch page on a real SQLite file, as a dispatcher keeps it open: requests arrive, several in one commit (a sweep
/// firing five contact deadlines), and the page must show them together at the top, say how many came, and count them in
/// the tab's title.
/// </summary>
public sealed class DispatchPageTests : CallbackComponentTest
{
    private readonly UnitDatabase _database;
    private readonly CaseChangeBroadcaster _changes = new(NullLogger<CaseChangeBroadcaster>.Instance);
    private int _references;

    public DispatchPageTests()
        : this(UnitDatabase.OnFakeClock())
    {
    }

    private DispatchPageTests(UnitDatabase database)
        : base(database.Workflow)
    {
        _database = database;
        SignInToUnit("Dispatcher 62", "dispatcher-62", Roles.Dispatcher, _database.UnitId);
    }

    protected override void AddServices(IServiceCollection services)
    {
        services.AddScoped<CurrentUser>();
        services.AddSingleton(_ => _changes);
        // A field initializer cannot reach the database made in the constructor chain: resolve it when first asked.
        services.AddSingleton(_ => _database.Databases);
        services.AddSingleton<DispatchBoardService>();
    }

    private Actor Officer62 => Actor.User("officer-62", _database.UnitId, "62", Roles.Officer);

    /// <summary>A file reviewed as in immediate danger: straight to the board, unacknowledged.</summary>
    private async Task<Guid> RequestAsync(DangerLevel danger, TriState cohabiting = TriState.No)
    {
        var workflow = _database.Workflow;
        var reference = $"62-2026-{++_references:000000}";
        var id = await workflow.OpenAsync("CTC-62", new NewCase(reference, _database.Clock.GetUtcNow().UtcDateTime.AddHours(-1), OffenceCategory.ConjugalViolence,
            // Each request is another victim: files of one victim with an open case raise its danger (issue 19).
            new Victim("Camille", "Martin", $"06123456{_references % 100:00}", $"{_references} rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), Officer62);
        int version;
        await using (var db = await _database.Databases.CreateDbContextAsync())
        {
            version = await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync();
        }

        await workflow.ReviewAsync(id, version, new ReviewFindings(cohabiting, false, false, false, false, TriState.Unknown, ProtectionMeasures.None, danger, ImmediateDanger: true), Officer62);
        ((FakeTimeProvider)_database.Clock).Advance(TimeSpan.FromSeconds(10));
        return id;
    }

    private async Task<string> ReferenceAsync(Guid id)
    {
        await using var db = await _database.Databases.CreateDbContextAsync();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.FileReference).SingleAsync();
    }

    /// <summary>The page under its head outlet, so that the tab title it sets can be read.</summary>
    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> RenderPage() =>
        Render(builder =>
        {
            builder.OpenComponent<HeadOutlet>(0);
            builder.CloseComponent();
            builder.OpenComponent<DispatchPage>(1);
            builder.CloseComponent();
        });

    private void Publish() => _changes.Publish(new CaseChanged(Guid.NewGuid(), _database.UnitId, "62", CaseState.PatrolRequested, nameof(CaseTrigger.Review), Now));

    [Fact]
    public async Task FiveRequestsInOneUpdate_AreAnnouncedAsFive_ListedOnTopByDangerThenAge_AndCountedInTheTitle()
    {
        var found = await RequestAsync(DangerLevel.Moderate);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=waiting-row]")));
        Assert.Equal("(1) Tableau des patrouilles · Callback", page.Find("title").TextContent);
        Assert.Equal("", page.Find("[data-testid=board-announcement]").TextContent);
        Assert.Equal("false", page.Find("[data-testid=waiting-row]").GetAttribute("data-new"));

        // One commit brings five: one change heard, one read.
        var low = await RequestAsync(DangerLevel.Low);
        var severe = await RequestAsync(DangerLevel.Severe);
        var highOlder = await RequestAsync(DangerLevel.High);
        var highNewer = await RequestAsync(DangerLevel.High);
        var moderate = await RequestAsync(DangerLevel.Moderate);
        Publish();

        page.WaitForAssertion(() => Assert.Equal("5 nouvelles demandes de patrouille, 6 à prendre en compte",
            page.Find("[data-testid=board-announcement]").TextContent));
        Assert.Equal("(6) Tableau des patrouilles · Callback", page.Find("title").TextContent);
        string[] expected = [await ReferenceAsync(severe), await ReferenceAsync(highOlder), await ReferenceAsync(highNewer),
            await ReferenceAsync(found), await ReferenceAsync(moderate), await ReferenceAsync(low)];
        var rows = page.FindAll("[data-testid=waiting-row]");
        Assert.Equal(expected, rows.Select(r => r.GetAttribute("data-reference")));
        Assert.Equal(["true", "true", "true", "false", "true", "true"], rows.Select(r => r.GetAttribute("data-new")));
        Assert.Equal(expected, page.FindAll("[data-testid=briefing]").Select(c => c.GetAttribute("data-reference")));

        // The next one alone is one, in the singular.
        await RequestAsync(DangerLevel.Low);
        Publish();
        page.WaitForAssertion(() => Assert.Equal("1 nouvelle demande de patrouille, 7 à prendre en compte",
            page.Find("[data-testid=board-announcement]").TextContent));
        Assert.Equal("(7) Tableau des patrouilles · Callback", page.Find("title").TextContent);
    }

    /// <summary>Issue 16.8: a request arriving as the dispatcher closes the tab threw from the beep and logged a stack trace.</summary>
    [Fact]
    public async Task ABeepWithNoBrowserLeft_DoesNotFailTheRead()
    {
        var module = JSInterop.SetupModule("./dispatch-alerts.js");
        module.Setup<DispatchAlertControls.AlertState>("state").SetResult(new("granted", true));
        module.Setup<DispatchAlertControls.AlertState>("announce", _ => true).SetException(new TaskCanceledException());
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=board-empty]")));

        await RequestAsync(DangerLevel.High);
        Publish();

        page.WaitForAssertion(() => Assert.Equal("1 nouvelle demande de patrouille, 1 à prendre en compte",
            page.Find("[data-testid=board-announcement]").TextContent));
        Assert.Equal("(1) Tableau des patrouilles · Callback", page.Find("title").TextContent);
        Assert.Single(module.Invocations["announce"]);
    }

    /// <summary>Issue 21.3: the board says whether it can notify and sound, and offers the clicks that allow each.</summary>
    [Fact]
    public async Task EachNewRequest_IsAnnouncedToTheBrowser_AndTheBoardShowsWhatTheBrowserAllows()
    {
        var module = JSInterop.SetupModule("./dispatch-alerts.js");
        module.Setup<DispatchAlertControls.AlertState>("state").SetResult(new("default", false));
        module.Setup<DispatchAlertControls.AlertState>("announce", _ => true).SetResult(new("default", false));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=dispatch-alert-controls]").GetAttribute("data-ready")));
        Assert.Equal("Notifications du bureau : désactivées", page.Find("[data-testid=notification-state]").TextContent);
        Assert.Equal("Activer les notifications", page.Find("[data-testid=enable-notifications]").TextContent.Trim());
        Assert.StartsWith("Son : désactivé", page.Find("[data-testid=sound-state]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Activer le son", page.Find("[data-testid=enable-sound]").TextContent.Trim());

        await RequestAsync(DangerLevel.High);
        Publish();

        page.WaitForAssertion(() => Assert.Single(module.Invocations["announce"]));
        var call = module.Invocations["announce"][0];
        Assert.Equal(["Callback : demande de patrouille", "1 nouvelle demande de patrouille, 1 à prendre en compte", "callback-dispatch"], call.Arguments);
    }

    [Fact]
    public async Task OnAnEnglishPage_TheAnnouncementAndTitleAreEnglish()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-GB");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=board-empty]")));
        Assert.Equal("Dispatch board · Callback", page.Find("title").TextContent);

        await RequestAsync(DangerLevel.High);
        await RequestAsync(DangerLevel.Low);
        Publish();

        page.WaitForAssertion(() => Assert.Equal("2 new patrol requests, 2 to acknowledge", page.Find("[data-testid=board-announcement]").TextContent));
        Assert.Equal("(2) Dispatch board · Callback", page.Find("title").TextContent);
    }

    /// <summary>Issue 17.4: acknowledging is not sending a crew; calling off drops the request from the open board.</summary>
    [Fact]
    public async Task Acknowledging_StopsTheRequestWaiting_WithoutACrew_AndCallingOff_DropsItFromTheBoard_EachAuditedOnce()
    {
        var first = await RequestAsync(DangerLevel.High);
        var second = await RequestAsync(DangerLevel.Moderate, cohabiting: TriState.Yes);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=waiting-row]").Count));
        // He lives with her: that heads her briefing, before the address.
        var cohabiting = page.Find($"#briefing-{second} [data-testid=briefing-cohabiting]");
        Assert.Equal("L'auteur vit avec la victime.", cohabiting.TextContent.Trim());
        Assert.Empty(page.FindAll($"#briefing-{first} [data-testid=briefing-cohabiting]"));

        await page.Find($"#briefing-{first} [data-testid=acknowledge]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=waiting-row]")));
        Assert.Equal("(1) Tableau des patrouilles · Callback", page.Find("title").TextContent);
        Assert.NotEmpty(page.FindAll($"#briefing-{first} [data-testid=briefing-acknowledged]"));
        var acknowledged = await _database.Workflow.GetAsync(first, Officer62);
        Assert.Equal((CaseState.PatrolRequested, null), (acknowledged.State, acknowledged.Patrol.Crew));
        Assert.NotNull(acknowledged.Patrol.AcknowledgedAtUtc);

        await page.Find($"#briefing-{second} [data-testid=calloff-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"#briefing-{second}")));
        Assert.Single(page.FindAll("[data-testid=briefing]"));
        var calledOff = await _database.Workflow.GetAsync(second, Officer62);
        Assert.Equal(CaseState.AwaitingContact, calledOff.State);
        await using var db = await _database.Databases.CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.CaseId == first && e.Action == Domain.Audit.AuditActions.Acknowledge));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.CaseId == second && e.Action == Domain.Audit.AuditActions.CallOffPatrol));
    }
}
