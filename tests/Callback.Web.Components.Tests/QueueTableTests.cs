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

        // "3 h 00 min" for the 30 seconds to come, then "2 h 59 min": nothing to draw until then.
        var farChange = Countdown.NextChangeUtc(far, Now);
        Assert.InRange(farChange, Now.AddSeconds(30), Now.AddSeconds(31));
        Assert.Equal(Shown(far, Now, l), Shown(far, Now.AddSeconds(29), l));
        Assert.NotEqual(Shown(far, Now, l), Shown(far, farChange, l));
        // "20 min 00 s", then "19 min 59 s": within the hour the seconds move.
        Assert.InRange(Countdown.NextChangeUtc(near, Now), Now, Now.AddSeconds(1));
    }

    [Fact]
    public void Countdowns_ChangeWhatTheyShow_WhenARowBecomesDueNow_EvenIfNoTextChanges()
    {
        var l = Services.GetRequiredService<IStringLocalizer<Callback.Web.Localization.Text>>();
        var row = Row("call-back", Now.AddHours(5).AddSeconds(30)) with { NextAttemptAtUtc = Now.AddSeconds(10) };

        Assert.Equal(Countdown.Format(row.DueAtUtc, Now.AddSeconds(9), l), Countdown.Format(row.DueAtUtc, Now.AddSeconds(11), l));
        Assert.Equal(Now.AddSeconds(10), Countdown.NextChangeUtc([row], Now));
        Assert.NotEqual(Shown([row], Now.AddSeconds(9), l), Shown([row], Now.AddSeconds(10), l));
    }

    /// <summary>
    /// The next change is computed, not found by formatting: checked against what the rows really show, for deadlines
    /// from three days overdue to three days ahead, at instants on and between the unit boundaries. Until the instant
    /// nothing shown differs (so no redraw is missed); at it, something does (so no redraw is wasted).
    /// </summary>
    [Fact]
    public void TheNextChange_IsTheFirstInstantAtWhichAnythingShownDiffers()
    {
        var l = Services.GetRequiredService<IStringLocalizer<Callback.Web.Localization.Text>>();
        var random = new Random(20_261_207);
        var offsets = new List<TimeSpan>
        {
            TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromTicks(-1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1),
            TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(-60), TimeSpan.FromHours(24), TimeSpan.FromHours(-24),
            TimeSpan.FromHours(24).Add(TimeSpan.FromTicks(1)), TimeSpan.FromMinutes(60).Subtract(TimeSpan.FromTicks(1)),
        };
        offsets.AddRange(Enumerable.Range(0, 400).Select(_ => TimeSpan.FromMilliseconds(random.NextInt64(-3 * 86_400_000L, 3 * 86_400_000L))));

        foreach (var offset in offsets)
        {
            var rows = new[] { Row("one", Now + offset) with { NextAttemptAtUtc = null } };
            var next = Countdown.NextChangeUtc(rows, Now);

            Assert.True(next > Now, $"due at now {offset}: the next change {next:O} is not after now");
            var before = next.AddTicks(-1);
            Assert.Equal(Shown(rows, Now, l), Shown(rows, before, l));
            Assert.Equal(Shown(rows, Now, l), Shown(rows, Now + (before - Now) / 2, l));
            Assert.NotEqual(Shown(rows, Now, l), Shown(rows, next, l));
        }

        // Several rows: the earliest of their changes, and a row without a deadline changes nothing.
        var list = new[] { Row("a", Now.AddHours(5)), Row("b", Now.AddMinutes(-90)), Row("c", null) with { NextAttemptAtUtc = null } };
        var first = Countdown.NextChangeUtc(list, Now);
        Assert.Equal(list.Min(r => Countdown.NextChangeUtc([r], Now)), first);
        Assert.Equal(DateTime.MaxValue, Countdown.NextChangeUtc([list[2]], Now));
    }

    /// <summary>What a list of countdowns shows at an instant: each text and its overdue / due-now marks.</summary>
    private static string Shown(IEnumerable<QueueRow> rows, DateTime nowUtc, IStringLocalizer l) =>
        string.Join(" | ", rows.Select(r => $"{Countdown.Format(r.DueAtUtc, nowUtc, l)} {r.IsOverdue(nowUtc)} {r.IsDueNow(nowUtc)}"));
}
