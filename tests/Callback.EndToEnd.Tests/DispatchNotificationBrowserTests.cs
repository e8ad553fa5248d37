using System.Globalization;
using System.Text.Json;
using Callback.Domain.Cases;
using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// The board calls a dispatcher who is looking elsewhere: notifications granted, the board left behind another tab, a
/// patrol request arrives and the browser's Notification API is called with the board's announcement (no name, no
/// address). <c>window.Notification</c> is wrapped to record the calls: headless Chromium shows no desktop.
/// </summary>
public sealed class DispatchNotificationBrowserTests() : BrowserTest(new LiveApp())
{
    private const string RecordNotifications = """
        (() => {
          const calls = [];
          window.__notifications = calls;
          const Real = window.Notification;
          class Recording {
            constructor(title, options) { calls.push({ title: title, body: (options && options.body) || '', visibility: document.visibilityState }); }
            close() {}
            static get permission() { return Real ? Real.permission : 'denied'; }
            static requestPermission() { return Real.requestPermission(); }
          }
          window.Notification = Recording;
        })();
        """;

    [Fact]
    public async Task NewPatrolRequest_OnABoardInABackgroundTab_RaisesADesktopNotification()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        await context.GrantPermissionsAsync(["notifications"]);
        await context.AddInitScriptAsync(RecordNotifications);
        var board = await App.SignInAsync(context, "dispatch.62@demo.callback", "/dispatch");
        await board.WaitForSelectorAsync("[data-testid=dispatch-alert-controls][data-ready=true]");

        Assert.Equal("granted", await board.GetAttributeAsync("[data-testid=notification-state]", "data-state"));
        Assert.Equal("Notifications du bureau : activées", (await board.InnerTextAsync("[data-testid=notification-state]")).Trim());
        Assert.Equal("off", await board.GetAttributeAsync("[data-testid=sound-state]", "data-state"));
        await board.ClickAsync("[data-testid=enable-sound]");
        await board.WaitForSelectorAsync("[data-testid=sound-state][data-state=on]");
        Assert.Equal("Son : activé", (await board.InnerTextAsync("[data-testid=sound-state]")).Trim());
        var violations = await LiveApp.AccessibilityViolationsAsync(board);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));

        // Another tab in front: the board is in the background when the request arrives. Headless Chromium still calls
        // every tab "visible", so the board is also told what a desktop browser would tell it: hidden.
        var other = await context.NewPageAsync();
        await other.GotoAsync(App.BaseUrl + "/queue");
        await other.BringToFrontAsync();
        await board.EvaluateAsync("""
            () => {
              Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
              Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
              document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        var reference = await PatrolRequestAsync();

        await board.WaitForSelectorAsync($"[data-testid=briefing][data-reference='{reference}']", new() { Timeout = 30_000 });
        await board.WaitForFunctionAsync("() => window.__notifications.length > 0", null, new() { Timeout = 10_000 });
        var calls = JsonDocument.Parse(await board.EvaluateAsync<string>("() => JSON.stringify(window.__notifications)")).RootElement;
        var call = Assert.Single(calls.EnumerateArray());
        Assert.Equal("Callback : demande de patrouille", call.GetProperty("title").GetString());
        Assert.Matches(@"^1 nouvelle demande de patrouille, \d+ à prendre en compte$", call.GetProperty("body").GetString());
        Assert.Equal("hidden", call.GetProperty("visibility").GetString());
        foreach (var personal in new[] { "Inès", "Robert", "0611223344", "rue du Port" })
        {
            Assert.DoesNotContain(personal, call.GetRawText(), StringComparison.Ordinal);
        }
    }

    private async Task<string> PatrolRequestAsync()
    {
        var (workflow, officer, now) = await App.Officer62Async();
        var reference = string.Create(CultureInfo.InvariantCulture, $"62-NOTIF-{now:HHmmss}");
        var id = await workflow.OpenAsync("CTC-62", new NewCase(reference, now, OffenceCategory.ConjugalViolence,
            new Victim("Inès", "Robert", "0611223344", "12 rue du Port, Arras"), new Perpetrator("Éric Robert", TriState.Yes)), officer);
        await workflow.RequestPatrolAsync(id, (await workflow.GetAsync(id, officer)).Version, "danger immédiat", officer);
        return reference;
    }
}
