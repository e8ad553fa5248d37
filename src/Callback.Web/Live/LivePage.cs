using Callback.Domain.Workflow;
using Callback.Domain.Cases;
using Callback.Web.Features.Account;
using Callback.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Callback.Web.Live;

/// <summary>
/// A page that stays current without reloading: it hears every committed change in the user's scope through the
/// broadcaster and reads again, ticks once a second for its clocks, and reads again every 30 s in case a push was lost.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _subscription;
    private bool _reloading;
    private bool _reloadAgain;

    [Inject]
    private CaseChangeBroadcaster Changes { get; set; } = default!;

    [Inject]
    private CurrentUser Users { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IStringLocalizer<Text> Text { get; set; } = default!;

    [Inject]
    protected TimeProvider Clock { get; set; } = default!;

    protected Actor Actor { get; private set; } = Actor.System;

    protected DateTime NowUtc { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Actor = await Users.ActorAsync();
        NowUtc = Clock.GetUtcNow().UtcDateTime;
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            _subscription = Changes.Subscribe(OnCaseChangedAsync);
            _ = TickAsync(_stop.Token);
        }
    }

    /// <summary>Reads what the page shows, within <see cref="Actor"/>'s scope.</summary>
    protected abstract Task LoadAsync();

    protected async Task ReloadAsync()
    {
        NowUtc = Clock.GetUtcNow().UtcDateTime;
        await LoadAsync();
        StateHasChanged();
    }

    /// <summary>
    /// Runs one use case and reads again whatever happened. A conflict (someone acted first) gets the one-sentence
    /// message; a refusal by the rules shows its reason. Returns whether the action went through.
    /// </summary>
    protected async Task<bool> ActAsync(Func<Task> act)
    {
        ArgumentNullException.ThrowIfNull(act);
        var done = false;
        try
        {
            await act();
            Snackbar.Add(Text["Saved"], Severity.Success);
            done = true;
        }
        catch (CaseConflictException)
        {
            Snackbar.Add(Text["Conflict"], Severity.Warning);
        }
        catch (Exception ex) when (ex is CaseRuleException or ActionForbiddenException or CaseAccessDeniedException)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }

        await ReloadAsync();
        return done;
    }

    private async Task OnCaseChangedAsync(CaseChanged change)
    {
        if (Actor.CanSeeUnit(change.UnitId, change.Departement))
        {
            await InvokeAsync(CoalescedReloadAsync);
        }
    }

    /// <summary>
    /// A sweep can fire a hundred deadlines in one commit: changes that arrive while a read is running ask for one more
    /// read after it, not one each. Runs on the renderer's context, so the two flags need no lock.
    /// </summary>
    private async Task CoalescedReloadAsync()
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
                _reloadAgain = false;
                await ReloadAsync();
            }
            while (_reloadAgain);
        }
        finally
        {
            _reloading = false;
        }
    }

    private async Task TickAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (++ticks % 30 == 0)
                {
                    await InvokeAsync(CoalescedReloadAsync);
                }
                else
                {
                    NowUtc = Clock.GetUtcNow().UtcDateTime;
                    await InvokeAsync(StateHasChanged);
                }
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
        _stop.Cancel();
        _stop.Dispose();
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
