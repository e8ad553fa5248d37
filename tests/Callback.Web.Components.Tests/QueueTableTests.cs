using System.Reflection;
using Callback.Domain.Cases;
using Callback.Web.Features.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Components.Tests;

public class QueueTableTests : CallbackComponentTest
{
    private static QueueRow Row(string reference, DateTime? due, string? claimedBy = null) =>
        new(Guid.NewGuid(), 1, ConfidentialityTier.Orange, reference, "CTC-62", "Europe/Paris", Now.AddHours(-30), CaseState.AwaitingContact,
            due, Now.AddHours(-1), 1, DangerLevel.Moderate, claimedBy, claimedBy is null ? null : "Julie Lefèvre", "C. M.", "•• 78");

    [Fact]
    public void Queue_ShowsRowsInTheOrderGiven_WithMaskedIdentities_AndOverdueMarked()
    {
        var rows = new[] { Row("A-overdue", Now.AddMinutes(-12)), Row("B-soon", Now.AddHours(2)), Row("C-later", Now.AddDays(1)) };

        var table = Render<QueueTable>(p => p.Add(x => x.Rows, rows).Add(x => x.NowUtc, Now));

        table.WaitForAssertion(() => Assert.Equal(3, table.FindAll("tbody tr").Count));
        var references = table.FindAll("tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();
        Assert.Equal(["A-overdue", "B-soon", "C-later"], references);
        Assert.All(table.FindAll("[data-testid=masked-identity]"), cell => Assert.Equal("C. M. •• 78", cell.TextContent.Trim()));
        Assert.Contains("en retard de 12 min", table.FindAll("[data-testid=countdown]")[0].TextContent);
        Assert.Contains("overdue", table.FindAll("[data-testid=countdown]")[0].ClassName);
    }

    /// <summary>
    /// Issue 20.4: what an officer's circuit weighs is mostly the queue's render tree, held twice (the current and the
    /// previous) in arrays that double as they grow. A busy page of 50 rows, half of them with a cohabiting perpetrator and
    /// a few handed over, fits in 2,048 frames: a cell or an attribute more per row doubles the arrays (to 4,096 frames,
    /// 160 KiB more per officer, 80 MB at 500 officers). Measured on the framework's own tree.
    /// </summary>
    [Fact]
    public void ABusyPageOfTheQueue_FitsIn2048RenderTreeFrames()
    {
        var rows = Enumerable.Range(0, QueueService.PageSize).Select(i => Row($"62-2026-{i:D6}", Now.AddHours(i - 10), claimedBy: i % 3 == 0 ? "officer-2" : null) with
        {
            Cohabiting = i % 2 == 0 ? TriState.Yes : TriState.No,
            Assigned = i % 10 == 0,
        }).ToList();

        var table = Render<QueueTable>(p => p.Add(x => x.Rows, rows).Add(x => x.NowUtc, Now));

        Assert.Equal(QueueService.PageSize, table.FindAll("tbody tr").Count);
        // The rows are MudSimpleTable's child content: their frames are in its tree.
        var simpleTable = table.FindComponent<MudBlazor.MudSimpleTable>();
#pragma warning disable BL0006 // The render tree is the very thing measured here.
        var frames = (ArrayRange<RenderTreeFrame>)typeof(Renderer)
            .GetMethod("GetCurrentRenderTreeFrames", BindingFlags.NonPublic | BindingFlags.Instance)!
            .Invoke(Renderer, [simpleTable.ComponentId])!;
        Assert.InRange(frames.Count, QueueService.PageSize * 30, 2_048);
#pragma warning restore BL0006
    }

    [Fact]
    public void Queue_OffersClaimOnlyOnUnclaimedRows()
    {
        var rows = new[] { Row("free", Now.AddHours(2)), Row("held", Now.AddHours(3), claimedBy: "officer-2") };

        var table = Render<QueueTable>(p => p.Add(x => x.Rows, rows).Add(x => x.NowUtc, Now));

        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("tbody tr").Count));
        Assert.Single(table.FindAll("[data-testid=claim]"));
        Assert.Contains("Julie Lefèvre", table.FindAll("tbody tr")[1].TextContent);
    }

    [Fact]
    public void Countdowns_ChangeWhatTheyShow_EverySecondWithinTheHour_ButOnlyOnceAMinuteBeyond()
    {
        var l = Services.GetRequiredService<IStringLocalizer<Callback.Web.Localization.Text>>();
        var far = new[] { Row("far", Now.AddHours(3).AddSeconds(30)) };
        var near = new[] { Row("near", Now.AddMinutes(20)) };

        // "3 h 00 min" for the 29 seconds to come, then "2 h 59 min": nothing to draw until then.
        Assert.Equal(Countdown.Shown(far, Now, l), Countdown.Shown(far, Now.AddSeconds(1), l));
        Assert.Equal(Countdown.Shown(far, Now, l), Countdown.Shown(far, Now.AddSeconds(29), l));
        Assert.NotEqual(Countdown.Shown(far, Now, l), Countdown.Shown(far, Now.AddSeconds(31), l));
        // "20 min 00 s", then "19 min 59 s": within the hour the seconds move.
        Assert.NotEqual(Countdown.Shown(near, Now, l), Countdown.Shown(near, Now.AddSeconds(1), l));
    }

    [Fact]
    public void Countdowns_ChangeWhatTheyShow_WhenARowBecomesDueNow_EvenIfNoTextChanges()
    {
        var l = Services.GetRequiredService<IStringLocalizer<Callback.Web.Localization.Text>>();
        var row = Row("call-back", Now.AddHours(5)) with { NextAttemptAtUtc = Now.AddSeconds(10) };

        Assert.Equal(Countdown.Format(row.DueAtUtc, Now.AddSeconds(9), l), Countdown.Format(row.DueAtUtc, Now.AddSeconds(11), l));
        Assert.NotEqual(Countdown.Shown([row], Now.AddSeconds(9), l), Countdown.Shown([row], Now.AddSeconds(11), l));
    }
}
