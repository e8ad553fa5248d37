using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Callback.Web.Live;

/// <summary>
/// The one way to write a page that stays current without reloading: it hears every committed change that concerns it
/// through the broadcaster and reads again a moment later (<see cref="LiveOptions.ChangeSettleDelay"/>: the one who acted
/// is answered first, and a burst becomes one or two reads), ticks once a second for its clocks and reads again every
/// 30 s in case a push was lost (each page at its own second), reports its failures to the error boundary, and stops
/// listening when it goes. Actions go through <see cref="ActAsync"/>, which explains a refusal the same way on every page.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    /// <summary>One fresh read every this many ticks: the safety net under the pushes.</summary>
    private const int TicksPerRead = 30;

    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private IDisposable? _subscription;
    private bool _reloading;
    private bool _reloadAgain;

    [Inject]
    private CaseChangeBroadcaster Changes { get; set; } = default!;

    protected LivePage() => _stopping = _stop.Token;

    [Inject]
    private CurrentUser Users { get; set; } = default!;

    [Inject]
    private IOptions<LiveOptions> Live { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IStringLocalizer<Text> Text { get; set; } = default!;

    [Inject]
    protected TimeProvider Clock { get; set; } = default!;

    protected Actor Actor { get; private set; } = Actor.System;

    /// <summary>The page's "now", moved by each tick and each read, so that every clock on it agrees.</summary>
    protected DateTime NowUtc { get; private set; }

    /// <summary>Whether the page has clocks to move every second (and so also reads again every 30 s).</summary>
    protected virtual bool Ticks => true;

    /// <summary>
    /// The tick of a page's first safety-net read; it reads again every 30 ticks after it. Drawn at random for each page,
    /// so that pages opened in the same second (a unit's officers reconnecting after a restart) do not all read in the same
    /// second, every 30 s, for the rest of the day (docs/performance.md, issue 20.5).
    /// </summary>
#pragma warning disable CA5394 // Spreading reads over time, not a secret.
    public static int DrawFirstReadTick() => Random.Shared.Next(1, TicksPerRead + 1);
#pragma warning restore CA5394

    /// <summary>Reads what the page shows, within <see cref="Actor"/>'s scope.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Whether a committed change concerns this page. By default: any change the user may see.</summary>
    protected virtual bool Concerns(CaseChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Actor.CanSeeUnit(change.UnitId, change.Departement);
    }

    /// <summary>
    /// Whether the tick that just moved <see cref="NowUtc"/> changes what the page shows. Every tick renders by default; a
    /// page whose clocks move less often than each second says so here, and the tick costs it nothing in between.
    /// </summary>
    protected virtual bool ShowsSomethingNew() => true;

    /// <summary>
    /// Draws what a tick changed. The whole page by default; a page whose clocks all sit in one component of it redraws
    /// only that one, and its filters, menus and buttons cost the tick nothing (docs/performance.md, issue 20.5).
    /// </summary>
    protected virtual void RedrawClocks() => StateHasChanged();

    protected override async Task OnInitializedAsync()
    {
        Actor = await Users.ActorAsync();
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            _subscription = Changes.Subscribe(OnCaseChangedAsync);
            if (Ticks)
            {
                _ = TickAsync(_stop.Token);
            }
        }
    }

    protected async Task ReloadAsync()
    {
        NowUtc = Clock.GetUtcNow().UtcDateTime;
        await LoadAsync();
        StateHasChanged();
    }

    /// <summary>
    /// Runs one use case and reads again whatever happened. A refusal (someone acted first, the rules, the role, the scope)
    /// is explained by <see cref="ActionFailure"/>; anything else is a fault and reaches the error boundary. Returns
    /// whether the action went through.
    /// </summary>
    /// <param name="act">The use case.</param>
    /// <param name="then">What follows success instead of "saved" and a fresh read, such as opening the case just claimed.</param>
    protected async Task<bool> ActAsync(Func<Task> act, Func<Task>? then = null)
    {
        ArgumentNullException.ThrowIfNull(act);
        try
        {
            await act();
        }
        catch (Exception ex) when (ActionFailure.Explain(ex, Text) is { } refusal)
        {
            Snackbar.Add(refusal.Message, refusal.Severity);
            await ReloadAsync();
            return false;
        }

        if (then is null)
        {
            Snackbar.Add(Text["Saved"], Severity.Success);
            await ReloadAsync();
        }
        else
        {
            await then();
        }

        return true;
    }

    /// <summary>
    /// Called by the broadcaster, off the renderer. Whatever fails here is this page's fault and goes to its error
    /// boundary; the broadcaster only logs what a subscriber lets escape.
    /// </summary>
    private Task OnCaseChangedAsync(CaseChanged change) => InvokeAsync(async () =>
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (Concerns(change))
            {
                await CoalescedReloadAsync(Live.Value.ChangeSettleDelay);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The page went while it waited to read.
        }
#pragma warning disable CA1031 // Reported to the page's error boundary rather than to the transaction that raised the change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await DispatchExceptionAsync(ex);
        }
    });

    /// <summary>
    /// A sweep can fire a hundred deadlines in one commit: changes that arrive while a read waits or runs ask for one more
    /// read after it, not one each. The read waits <paramref name="settle"/> first (the renderer is free meanwhile); what
    /// is heard during the wait is in that read. Runs on the renderer's context, so the two flags need no lock.
    /// </summary>
    private async Task CoalescedReloadAsync(TimeSpan settle)
    {
        if (_reloading)
        {
            _reloadAgain = true;
            return;
        }

        _reloading = true;
        try
        {
            do
            {
                if (settle > TimeSpan.Zero)
                {
                    await Task.Delay(settle, Clock, _stopping);
                }

                _reloadAgain = false;
                await ReloadAsync();
            }
            while (_reloadAgain && !_stopping.IsCancellationRequested);
        }
        finally
        {
            _reloading = false;
        }
    }

    /// <summary>One timer for the whole page, on the injected clock so that tests move it.</summary>
    private async Task TickAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
        var ticks = 0;
        var nextRead = Live.Value.FirstSafetyNetRead ?? DrawFirstReadTick();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var read = ++ticks == nextRead;
                if (read)
                {
                    nextRead += TicksPerRead;
                }

                await InvokeAsync(async () =>
                {
                    if (read)
                    {
                        await CoalescedReloadAsync(TimeSpan.Zero);
                        return;
                    }

                    NowUtc = Clock.GetUtcNow().UtcDateTime;
                    if (ShowsSomethingNew())
                    {
                        RedrawClocks();
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // Reported to the page's error boundary rather than lost on a background task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await DispatchExceptionAsync(ex);
        }
    }

    public void Dispose()
    {
        // Unsubscribe first: a change published from now on must not reach a page that is going.
        _subscription?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
