using Microsoft.Playwright;

namespace Callback.EndToEnd.Tests;

/// <summary>
/// One live app and one Chromium per test class: started before the first test (skipping where Chromium is missing) and
/// disposed after, browser first so no page outlives the server it talks to.
/// </summary>
public abstract class BrowserTest(LiveApp app) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected LiveApp App { get; } = app;

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        LiveApp.RequireChromium();
        App.Start();
        _playwright = await Playwright.CreateAsync();
        _browser = await LiveApp.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
