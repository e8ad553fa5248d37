using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Callback.Web.Components.Tests.Live;

/// <summary>
/// The one base of every live page, on a probe page: what a committed change, a burst, a failure, a tick and leaving the
/// page do. The queue, case, dispatch and supervision pages add only what they read.
/// </summary>
public sealed class LivePageTests : LivePageTest
{
    [Fact]
    public void ChangeInScope_ReadsAgainAndRenders_ChangeOutOfScope_DoesNot()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=reads]").TextContent));

        Changes.Publish(ChangeIn(UnitId + 1));
        Changes.Publish(ChangeIn(UnitId));

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=reads]").TextContent));
        Assert.Equal(2, page.Instance.Reads);
    }

    [Fact]
    public async Task BurstOfChanges_WhileAReadRuns_AsksForOneMoreRead_NotOneEach()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        var rendersBefore = page.Instance.Renders;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Instance.Reading = () =>
        {
            started.TrySetResult();
            return held.Task;
        };

        // A sweep firing a hundred deadlines in one commit.
        for (var i = 0; i < 100; i++)
        {
            Changes.Publish(ChangeIn(UnitId));
        }

        // The broadcaster hands changes over on the thread pool: the read starts, then every change is heard while it runs.
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);
        await HeardAsync(page.Instance, 100);
        Assert.Equal(2, page.Instance.Reads);
        held.SetResult();

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=reads]").TextContent));
        Assert.Equal(3, page.Instance.Reads);
        Assert.InRange(page.Instance.Renders - rendersBefore, 1, 3);
    }

    [Fact]
    public void FailureWhileHandlingAChange_ReachesTheErrorBoundary()
    {
        var boundary = Render<ErrorBoundary>(p => p
            .AddChildContent<ProbeLivePage>()
            .Add(x => x.ErrorContent, ex => $"<p data-testid=\"boundary\">{ex.Message}</p>"));
        var page = boundary.FindComponent<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        page.Instance.Reading = () => throw new InvalidOperationException("the database went away");

        Changes.Publish(ChangeIn(UnitId));

        boundary.WaitForAssertion(() => Assert.Equal("the database went away", boundary.Find("[data-testid=boundary]").TextContent));
    }

    [Fact]
    public async Task AfterThePageIsGone_AChangeReadsNothing()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        var probe = page.Instance;

        await DisposeComponentsAsync();
        // Changes are handed over on the thread pool: another listener hearing this one says it has gone out.
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var other = Changes.Subscribe(_ => { heard.TrySetResult(); return Task.CompletedTask; });
        Changes.Publish(ChangeIn(UnitId));
        await heard.Task.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, probe.Reads);
    }

    [Fact]
    public void ConflictDuringAnAction_ShowsTheConflictMessage_AndReadsAgain()
    {
        var snackbar = Services.GetRequiredService<ISnackbar>();
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));

        page.Find("[data-testid=act-conflict]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.Instance.Reads));
        var shown = Assert.Single(snackbar.ShownSnackbars);
        Assert.Equal("Quelqu'un a agi sur ce dossier juste avant vous : il a été rechargé, vérifiez-le avant de recommencer.", shown.Message);
        Assert.Equal(Severity.Warning, shown.Severity);
    }

    [Fact]
    public void Tick_MovesTheClockEverySecond_AndReadsAgainEveryThirtySeconds()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal("09:00:00", page.Find("[data-testid=now]").TextContent));

        Clock.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal("09:00:01", page.Find("[data-testid=now]").TextContent));
        Assert.Equal(1, page.Instance.Reads);

        for (var second = 2; second <= 30; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            page.WaitForAssertion(() => Assert.Equal($"09:00:{second:00}", page.Find("[data-testid=now]").TextContent));
        }

        Assert.Equal(2, page.Instance.Reads);
    }

    [Fact]
    public void Tick_WithNothingNewToShow_DoesNotRender()
    {
        var page = Render<ProbeLivePage>();
        page.WaitForAssertion(() => Assert.Equal(1, page.Instance.Reads));
        page.Instance.Moves = false;
        var renders = page.Instance.Renders;

        Clock.Advance(TimeSpan.FromSeconds(1));
        Clock.Advance(TimeSpan.FromSeconds(1));

        // The queue's option: the clock moved, but the page stays as drawn until a countdown shows something new.
        page.WaitForState(() => true);
        Assert.Equal(renders, page.Instance.Renders);
        Assert.Equal("09:00:00", page.Find("[data-testid=now]").TextContent);
        page.Instance.Moves = true;
        Clock.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal("09:00:03", page.Find("[data-testid=now]").TextContent));
    }
}
