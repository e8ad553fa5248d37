using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Features.Queue;
using Callback.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Issue 20.4: the queue page shows one page of the queue, the most urgent first, says where the officer is in it and
/// moves page by page; a filter starts again from the first page. Real writes on a SQLite file.
/// </summary>
public sealed class QueuePagerTests : CallbackComponentTest
{
    private readonly UnitDatabase _database;

    public QueuePagerTests()
        : this(UnitDatabase.OnFakeClock())
    {
    }

    private QueuePagerTests(UnitDatabase database)
        : base(database.Workflow)
    {
        _database = database;
        SignInToUnit("Officer 62", "officer-62", Roles.Officer, _database.UnitId);
    }

    protected override void AddServices(IServiceCollection services)
    {
        services.AddScoped<CurrentUser>();
        services.AddSingleton(_ => new CaseChangeBroadcaster(NullLogger<CaseChangeBroadcaster>.Instance));
        services.AddSingleton(_ => _database.Databases);
        services.AddSingleton<QueueService>();
    }

    private async Task OpenAsync(int count)
    {
        var officer = Actor.User("officer-62", _database.UnitId, "62", Roles.Officer);
        for (var i = 0; i < count; i++)
        {
            await _database.Workflow.OpenAsync("CTC-62", new NewCase($"62-2026-{i:D6}", _database.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
                OffenceCategory.ConjugalViolence, new Victim("Camille", "Martin", $"0612345{i:D3}", $"{i} rue des Lilas"), new Perpetrator("Marc Durand", TriState.No)), officer);
        }
    }

    [Fact]
    public async Task ALongQueue_ShowsItsFirstPage_SaysWhereSheIs_AndMovesPageByPage()
    {
        await OpenAsync(QueueService.PageSize + 4);

        var page = Render<QueuePage>();

        page.WaitForAssertion(() => Assert.Equal(QueueService.PageSize, page.FindAll("[data-testid=queue] tbody tr").Count));
        Assert.Equal("1–50 sur 54", page.Find("[data-testid=queue-position]").TextContent);
        Assert.True(page.Find("[data-testid=queue-previous]").HasAttribute("disabled"));
        Assert.Equal("Pages de la file", page.Find("[data-testid=queue-pager]").GetAttribute("aria-label"));
        var firstPage = page.FindAll("[data-testid=queue] tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();

        page.Find("[data-testid=queue-next]").Click();

        page.WaitForAssertion(() => Assert.Equal("51–54 sur 54", page.Find("[data-testid=queue-position]").TextContent));
        var secondPage = page.FindAll("[data-testid=queue] tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();
        Assert.Equal(4, secondPage.Count);
        Assert.Empty(firstPage.Intersect(secondPage));
        Assert.True(page.Find("[data-testid=queue-next]").HasAttribute("disabled"));
        Assert.False(page.Find("[data-testid=queue-previous]").HasAttribute("disabled"));

        // A filter reads its own queue from the top.
        page.FindComponents<MudBlazor.MudSwitch<bool>>()[1].Find("input").Change(true);
        page.WaitForAssertion(() => Assert.Equal("1–50 sur 54", page.Find("[data-testid=queue-position]").TextContent));
    }

    [Fact]
    public async Task AQueueThatFitsOnOnePage_HasNoPager()
    {
        await OpenAsync(3);

        var page = Render<QueuePage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=queue] tbody tr").Count));
        Assert.Empty(page.FindAll("[data-testid=queue-pager]"));
    }

    /// <summary>
    /// Every officer keeps the queue open all day: its one-second tick draws only when a countdown shows something new
    /// (beyond the hour, once a minute), never misses a change, and draws the table alone, not the page around it.
    /// </summary>
    [Fact]
    public async Task TheQueue_RedrawsOnItsTick_OnlyWhenACountdownShowsSomethingNew()
    {
        await OpenAsync(1);
        await using var db = await _database.Databases.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var due = (await db.Cases.Select(c => c.DueAtUtc).SingleAsync(Xunit.TestContext.Current.CancellationToken))!.Value;
        var left = due - Clock.GetUtcNow().UtcDateTime;
        Assert.True(left > TimeSpan.FromHours(1), "the case's deadline should be beyond the hour");
        // The countdown shows whole minutes: its next change is brought about ten ticks after the page opens.
        var toNextMinute = TimeSpan.FromTicks(left.Ticks % TimeSpan.TicksPerMinute);
        Clock.Advance(toNextMinute > TimeSpan.FromSeconds(10) ? toNextMinute - TimeSpan.FromSeconds(10) : toNextMinute + TimeSpan.FromSeconds(50));
        var l = Services.GetRequiredService<IStringLocalizer<Callback.Web.Localization.Text>>();
        var page = Render<QueuePage>();
        // The countdown, not only a row: while the page reads, the table holds one row too, its progress bar.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=queue] tbody tr [data-testid=countdown]")));

        var shown = Countdown.Format(due, Clock.GetUtcNow().UtcDateTime, l);
        var table = page.FindComponent<QueueTable>();
        var renders = table.RenderCount;
        // bUnit counts a component's renders with its children's, so the page's own draws are read off its heading: a
        // component given content, drawn again whenever the page is.
        var heading = page.FindComponent<MudBlazor.MudText>();
        var headingRenders = heading.RenderCount;
        List<int> changed = [], redrawn = [], pageRedrawn = [];
        // 29 ticks: the page's periodic read comes at the 30th.
        for (var second = 1; second < 30; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var expected = Countdown.Format(due, Clock.GetUtcNow().UtcDateTime, l);
            page.WaitForAssertion(() => Assert.Equal(expected, page.Find("[data-testid=countdown]").TextContent));
            if (expected != shown)
            {
                changed.Add(second);
            }

            if (table.RenderCount != renders)
            {
                redrawn.Add(second);
            }

            if (heading.RenderCount != headingRenders)
            {
                pageRedrawn.Add(second);
            }

            (shown, renders, headingRenders) = (expected, table.RenderCount, heading.RenderCount);
        }

        Assert.Single(changed);
        Assert.Equal(changed, redrawn);
        // The tick draws the table alone: the switches, lists and pager above it are not drawn again each second.
        Assert.Empty(pageRedrawn);
    }
}
