using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Web.Features.Queue;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Callback.Bench;

/// <summary>
/// The real application on Kestrel (Training profile: demo data, demo users), in this process so its managed heap can be
/// read, and Debian's Chromium driven by Playwright as the officers' and dispatchers' browsers. The factory is keyed on a
/// type of the web assembly (its entry point is what runs): the bench's own top-level Program would shadow the app's.
/// </summary>
internal sealed class BenchApp : WebApplicationFactory<Callback.Web.Features.Queue.QueueService>
{
    public const string DemoPassword = "callback-demo-2026";
    private readonly Dictionary<string, string?> _settings;

    public BenchApp(Dictionary<string, string?> settings)
    {
        _settings = settings;
        // Test projects learn where the app's content lives from a manifest the testing package writes; the bench says it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CALLBACK_WEB", Path.Combine(RepositoryRoot(), "src", "Callback.Web"));
        UseKestrel(0);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Callback.sln not found above the bench binaries.");
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("callback-bench-app-").FullName;
    public string BaseUrl { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Training");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("ConnectionStrings:Callback", $"Data Source={Path.Combine(Folder, "callback.db")}");
        builder.UseSetting("ConnectionStrings:Hangfire", Path.Combine(Folder, "hangfire.db"));
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)).TrimEnd('/');
    }

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Pages of one site share a few renderers, so 200 open pages fit on a 2-core machine.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--renderer-process-limit=8", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
        });

    /// <summary>Signs in through the form (officers and dispatchers have no second factor) and returns the page.</summary>
    public async Task<IPage> SignInAsync(IBrowserContext context, string email, string landing)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/account/login?returnUrl={Uri.EscapeDataString(landing)}");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**{landing}*");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>The layout renders this marker once the page's circuit is up.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-testid=interactive]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 120_000 });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class BrowserScenarios
{
    /// <summary>
    /// Deadline to the dispatcher's screen: high-danger cases reviewed one after another, each left unanswered until its
    /// 5-second contact deadline; the instant each patrol request appears on the open dispatch board is recorded in the page
    /// (a MutationObserver, the browser's clock, which is this machine's), beside the instant the server handled the
    /// deadline (its audit entry). The difference is what it takes to push the alert to the screen.
    /// </summary>
    public static async Task<IEnumerable<BenchRow>> AlertLatencyAsync(int count)
    {
        Console.Error.WriteLine($"alert latency: {count} deadlines to an open dispatch board in Chromium");
        await using var app = new BenchApp(new()
        {
            ["Workflow:HighDangerContactDeadline"] = "00:00:05",
            ["Workflow:SweepInterval"] = "00:00:02",
        });
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var board = await app.SignInAsync(context, "dispatch.62@demo.callback", "/dispatch");
        await board.WaitForSelectorAsync("[data-testid=dispatch-board]");
        await board.EvaluateAsync("""
            () => {
              window.__seen = {};
              const mark = () => document.querySelectorAll('[data-testid=briefing][data-reference]').forEach(n => {
                const r = n.getAttribute('data-reference'); if (!(r in window.__seen)) window.__seen[r] = Date.now(); });
              mark();
              new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
            }
            """);

        var workflow = app.Services.GetRequiredService<CaseWorkflowService>();
        var databases = app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        var cases = new List<(string Reference, Guid Id, DateTime DueUtc)>();
        for (var i = 0; i < count; i++)
        {
            cases.Add(await HighDangerCaseAsync(workflow, databases, i));
            // Deadlines a second and a half apart: one alert at a time, as on a real board, and the run stays short.
            await Task.Delay(1_500);
        }

        var last = cases[^1].DueUtc.AddSeconds(30);
        while (TimeProvider.System.GetUtcNow().UtcDateTime < last)
        {
            var seen = await board.EvaluateAsync<int>("() => Object.keys(window.__seen).filter(r => r.startsWith('62-BENCH-')).length");
            if (seen >= count)
            {
                break;
            }

            await Task.Delay(500);
        }

        var seenJson = await board.EvaluateAsync<string>("() => JSON.stringify(window.__seen)");
        var shown = JsonSerializer.Deserialize<Dictionary<string, double>>(seenJson)!
            .ToDictionary(p => p.Key, p => DateTime.UnixEpoch.AddMilliseconds(p.Value));
        await using var db = await databases.CreateDbContextAsync();
        var ids = cases.Select(c => (Guid?)c.Id).ToList();
        var handled = (await db.AuditEntries.AsNoTracking()
                .Where(e => ids.Contains(e.CaseId) && e.Action == nameof(CaseTrigger.ContactDeadlineElapsed))
                .Select(e => new { e.CaseId, e.AtUtc }).ToListAsync())
            .ToDictionary(e => e.CaseId!.Value, e => e.AtUtc);
        var screen = new List<double>();
        var server = new List<double>();
        foreach (var (reference, id, due) in cases)
        {
            if (shown.TryGetValue(reference, out var at) && handled.TryGetValue(id, out var fired))
            {
                screen.Add((at - due).TotalMilliseconds);
                server.Add((fired - due).TotalMilliseconds);
            }
        }

        var missing = count - screen.Count;
        screen.Sort();
        server.Sort();
        Console.Error.WriteLine($"  deadline -> screen p50 {Pct(screen, 0.5):0} ms, max {screen.LastOrDefault():0} ms; deadline -> handled p50 {Pct(server, 0.5):0} ms; missing {missing}");
        return
        [
            new BenchRow($"alert latency, deadline -> dispatcher's screen in Chromium, {count} alerts: p50 (ms)", $"{Pct(screen, 0.5):0}",
                "deadline -> handled on the server (audit entry)", $"{Pct(server, 0.5):0}", Ratio(Pct(screen, 0.5), Pct(server, 0.5)), "", missing == 0),
            new BenchRow("  same, max (ms); alerts missing", $"{screen.LastOrDefault():0}; {missing}", "deadline -> handled, max", $"{server.LastOrDefault():0}",
                Ratio(screen.LastOrDefault(), server.LastOrDefault()), "every alert shown", missing == 0),
        ];
    }

    /// <summary>
    /// Server memory per Blazor circuit: 200 officer queue pages open at once (200 circuits, each holding the first page of
    /// the queue), against the same 200 pages open on the sign-in page, which is rendered statically and holds no circuit.
    /// Managed heap after a full collection, read in the server's own process; the process's working set is printed too.
    /// </summary>
    public static async Task<IEnumerable<BenchRow>> CircuitMemoryAsync(int circuits)
    {
        Console.Error.WriteLine($"circuits: {circuits} officer queue pages open at once");
        await using var app = new BenchApp([]);
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var first = await app.SignInAsync(context, "officier.62@demo.callback", "/queue");
        await first.CloseAsync();
        // A full first page: the unit gets enough open files for the queue to show its 200 rows, as on a busy day.
        var workflow = app.Services.GetRequiredService<CaseWorkflowService>();
        var databases = app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        for (var i = 0; i < QueueService.PageSize; i++)
        {
            await OpenCaseAsync(workflow, databases, $"62-FILL-{i:D3}");
        }

        var empty = Measure();
        var statics = await OpenAsync(context, circuits, $"{app.BaseUrl}/account/login", page => page.WaitForSelectorAsync("#email"));
        var withStatic = Measure();
        foreach (var page in statics)
        {
            await page.CloseAsync();
        }

        await Task.Delay(2_000);
        var before = Measure();
        var pages = await OpenAsync(context, circuits, $"{app.BaseUrl}/queue", BenchApp.WaitInteractiveAsync);
        var rows = await pages[^1].Locator("[data-testid=queue] tbody tr").CountAsync();
        await Task.Delay(2_000);
        var withCircuits = Measure();
        var perStatic = (withStatic.Heap - empty.Heap) / (double)circuits / 1024;
        var perCircuit = (withCircuits.Heap - before.Heap) / (double)circuits / 1024;
        var perCircuitRss = (withCircuits.WorkingSet - before.WorkingSet) / (double)circuits / 1024;
        Console.Error.WriteLine($"  heap: empty {empty.Heap / 1048576.0:0.0} MB, {circuits} static pages {withStatic.Heap / 1048576.0:0.0} MB, " +
            $"before circuits {before.Heap / 1048576.0:0.0} MB, {circuits} circuits {withCircuits.Heap / 1048576.0:0.0} MB; " +
            $"working set {before.WorkingSet / 1048576.0:0} -> {withCircuits.WorkingSet / 1048576.0:0} MB; {rows} queue rows per page");
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }

        return
        [
            new BenchRow($"server memory per circuit, {circuits} officer queue pages open ({rows} rows each): managed heap (KiB)", $"{perCircuit:0}",
                $"{circuits} sign-in pages open (static, no circuit)", $"{perStatic:0}", "", "", rows > 0),
            new BenchRow("  same, process working set per circuit (KiB)", $"{perCircuitRss:0}", "", "", "", "", true),
        ];
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, int count, string url, Func<IPage, Task> ready)
    {
        var pages = new List<IPage>();
        var watch = Stopwatch.StartNew();
        // Five at a time, with a generous timeout: each new circuit renders a full queue while the others stay open.
        for (var start = 0; start < count; start += 5)
        {
            var batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(5, count - start)).Select(async _ =>
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(url, new PageGotoOptions { Timeout = 180_000 });
                await ready(page);
                return page;
            }));
            pages.AddRange(batch);
        }

        Console.Error.WriteLine($"  opened {count} pages of {url} in {watch.Elapsed.TotalSeconds:0.0} s");
        return pages;
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private static async Task<(string Reference, Guid Id, DateTime DueUtc)> HighDangerCaseAsync(CaseWorkflowService workflow, IDbContextFactory<CallbackDbContext> databases, int index)
    {
        var reference = string.Create(CultureInfo.InvariantCulture, $"62-BENCH-{index:D3}");
        var (id, officer) = await OpenCaseAsync(workflow, databases, reference);
        var opened = await workflow.GetAsync(id, officer);
        var reviewed = await workflow.ReviewAsync(id, opened.Version, new ReviewFindings(TriState.Yes, false, false, false, WeaponsKnown: true, TriState.Yes,
            ProtectionMeasures.None, DangerLevel.High, ImmediateDanger: false), officer);
        return (reference, id, reviewed.DueAtUtc!.Value);
    }

    /// <summary>Opens a case in the demo unit of Pas-de-Calais as its demo officer would.</summary>
    private static async Task<(Guid Id, Actor Officer)> OpenCaseAsync(CaseWorkflowService workflow, IDbContextFactory<CallbackDbContext> databases, string reference)
    {
        await using var db = await databases.CreateDbContextAsync();
        var unit = await db.Units.SingleAsync(u => u.Code == "CTC-62");
        var officerId = await db.Users.Where(u => u.Email == "officier.62@demo.callback").Select(u => u.Id).SingleAsync();
        var officer = Actor.User(officerId, unit.Id, unit.Departement, Roles.Officer);
        var id = await workflow.OpenAsync(unit.Code, new NewCase(reference, TimeProvider.System.GetUtcNow().UtcDateTime, OffenceCategory.ConjugalViolence,
            new Victim("Prénom", "Nom", "0611223344", null), new Perpetrator(null, TriState.Yes)), officer);
        return (id, officer);
    }

    private static double Pct(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static string Ratio(double value, double baseline) =>
        baseline > 0 && !double.IsNaN(value) ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
