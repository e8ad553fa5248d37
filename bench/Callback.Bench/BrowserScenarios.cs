using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Callback.Web.Features.Queue;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
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

    public static readonly TimeSpan ClosedCircuitRetention = TimeSpan.FromSeconds(10);

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

        builder.ConfigureServices(services =>
        {
            services.AddScoped<CircuitHandler, CircuitCounter>();
            // A closed tab's circuit, once disposed, is still held by Blazor's cache of disconnected circuits for the
            // retention period (3 min by default; a heap dump showed the disposed renderers there, with no other root).
            // The bench shortens it so one measure is not weighed down by the circuits of the one before.
            services.Configure<CircuitOptions>(o => o.DisconnectedCircuitRetentionPeriod = ClosedCircuitRetention);
        });
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

/// <summary>Counts the circuits the server holds, so the memory figure is taken with exactly as many as it claims.</summary>
internal sealed class CircuitCounter : CircuitHandler
{
    private static int _open;

    public static int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
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
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "?";
        Console.Error.WriteLine($"  deadline -> screen p50 {Pct(screen, 0.5):0} ms, p99 {Pct(screen, 0.99):0} ms, max {screen.LastOrDefault():0} ms; " +
            $"deadline -> handled p50 {Pct(server, 0.5):0} ms, p99 {Pct(server, 0.99):0} ms; missing {missing}; load average {load}");
        return
        [
            new BenchRow($"alert latency, deadline -> dispatcher's screen in Chromium, {count} alerts: p50 (ms)", $"{Pct(screen, 0.5):0}",
                "deadline -> handled on the server (audit entry)", $"{Pct(server, 0.5):0}", Ratio(Pct(screen, 0.5), Pct(server, 0.5)), "", missing == 0),
            new BenchRow("  same, p99 (ms)", $"{Pct(screen, 0.99):0}", "deadline -> handled, p99", $"{Pct(server, 0.99):0}",
                Ratio(Pct(screen, 0.99), Pct(server, 0.99)), "<= 1,000 idle, <= 1,500 under load", Pct(screen, 0.99) <= 1_500),
            new BenchRow($"  same, max (ms); alerts missing; load average at the end {load}", $"{screen.LastOrDefault():0}; {missing}", "deadline -> handled, max", $"{server.LastOrDefault():0}",
                Ratio(screen.LastOrDefault(), server.LastOrDefault()), "every alert shown", missing == 0),
        ];
    }

    /// <summary>
    /// Server memory per Blazor circuit with <paramref name="circuits"/> circuits open at once, each an officer's queue page
    /// holding a full first page. Chromium cannot hold 200 such pages on a 2-core machine, so the circuits are opened by
    /// <see cref="CircuitClient"/> in a child process, in steps (as many as Chromium holds, half, all); the same client with
    /// as many circuits as Chromium holds (<paramref name="browserCircuits"/>) checks that it weighs on the server what
    /// Chromium's pages weigh. Static sign-in pages (no circuit) show what a page without a circuit costs. Managed heap after
    /// a full collection, read in the server's own process, after a warm-up round (what the first circuits pay once and keep
    /// afterwards, caches and buffer pools, is not a circuit's weight); the server's own count of open circuits is checked
    /// at every measure.
    /// </summary>
    public static async Task<IEnumerable<BenchRow>> CircuitMemoryAsync(int circuits, int browserCircuits)
    {
        Console.Error.WriteLine($"circuits: {browserCircuits} officer queue pages in Chromium, then up to {circuits} circuits held by a protocol client");
        await using var app = new BenchApp([]);
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var first = await app.SignInAsync(context, "officier.62@demo.callback", "/queue");
        await CloseAsync([first]);
        // A busy day: the unit has 200 open files, more than a page, so that every queue shows a full first page and its pager.
        var workflow = app.Services.GetRequiredService<CaseWorkflowService>();
        var databases = app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        for (var i = 0; i < BusyDayOpenFiles; i++)
        {
            await OpenCaseAsync(workflow, databases, $"62-FILL-{i:D3}");
        }

        await WaitForCircuitsAsync(0);
        await using (var warmUp = CircuitClientProcess.Start(app, QueueService.PageSize))
        {
            await warmUp.HoldAsync(browserCircuits);
        }

        await CloseAsync(await OpenAsync(context, browserCircuits, $"{app.BaseUrl}/queue", BenchApp.WaitInteractiveAsync));
        await WaitForCircuitsAsync(0);
        var empty = Measure();
        var statics = await OpenAsync(context, browserCircuits, $"{app.BaseUrl}/account/login", page => page.WaitForSelectorAsync("#email"));
        var withStatic = Measure();
        await CloseAsync(statics);

        var beforeBrowser = Measure();
        var pages = await OpenAsync(context, browserCircuits, $"{app.BaseUrl}/queue", BenchApp.WaitInteractiveAsync);
        var rows = await pages[^1].Locator("[data-testid=queue] tbody tr").CountAsync();
        await WaitForCircuitsAsync(browserCircuits);
        await SettleAsync();
        var browserHeld = Measure();
        await CloseAsync(pages);
        await WaitForCircuitsAsync(0);

        var half = Math.Max(browserCircuits, circuits / 2);
        var before = Measure();
        var held = new List<(int Count, (long Heap, long WorkingSet) Memory, string Line)>();
        await using (var client = CircuitClientProcess.Start(app, rows))
        {
            foreach (var count in new[] { browserCircuits, half, circuits }.Distinct())
            {
                var line = await client.HoldAsync(count);
                await WaitForCircuitsAsync(count);
                await SettleAsync();
                held.Add((count, Measure(), line));
            }
        }

        await WaitForCircuitsAsync(0);
        var after = Measure();

        // Officers' circuits come and go all day (reloads, reconnections): the same number opened and closed twice more
        // must leave the heap where the first round left it, or closed circuits leak.
        var afterRounds = new List<long> { after.Heap };
        for (var round = 0; round < 2; round++)
        {
            await using (var client = CircuitClientProcess.Start(app, rows))
            {
                await client.HoldAsync(circuits);
            }

            await WaitForCircuitsAsync(0);
            afterRounds.Add(Measure().Heap);
        }

        Console.Error.WriteLine("  heap after each round closed (MB): " + string.Join(", ", afterRounds.Select(Mb)));

        var leftBehind = (afterRounds[^1] - afterRounds[0]) / (double)(circuits * (afterRounds.Count - 1)) / 1024;
        static double Per(long held, long baseline, int count) => (held - baseline) / (double)count / 1024;
        var perStatic = Per(withStatic.Heap, empty.Heap, browserCircuits);
        var perBrowser = Per(browserHeld.Heap, beforeBrowser.Heap, browserCircuits);
        var small = held[0];
        var large = held[^1];
        var perSmall = Per(small.Memory.Heap, before.Heap, small.Count);
        var perLarge = Per(large.Memory.Heap, before.Heap, large.Count);
        // With as few circuits as Chromium holds there is one step only: its margin is then taken from no circuit at all.
        var middle = held.Count > 1 ? held[^2] : (Count: 0, Memory: before, Line: "");
        var marginal = Per(large.Memory.Heap, middle.Memory.Heap, large.Count - middle.Count);
        var rssLarge = Per(large.Memory.WorkingSet, before.WorkingSet, large.Count);
        Console.Error.WriteLine($"  heap (MB): empty {Mb(empty.Heap)}, {browserCircuits} static pages {Mb(withStatic.Heap)}; {browserCircuits} Chromium pages {Mb(beforeBrowser.Heap)} -> " +
            $"{Mb(browserHeld.Heap)} ({rows} rows per page); protocol client {Mb(before.Heap)} -> " +
            string.Join(", ", held.Select(h => $"{h.Count}: {Mb(h.Memory.Heap)}")) + $"; all closed {Mb(after.Heap)}");
        Console.Error.WriteLine($"  working set (MB): protocol client {Mb(before.WorkingSet)} -> " + string.Join(", ", held.Select(h => $"{h.Count}: {Mb(h.Memory.WorkingSet)}")));
        foreach (var h in held)
        {
            Console.Error.WriteLine($"  protocol client: {h.Line}");
        }

        return
        [
            new BenchRow($"server memory per circuit, {large.Count} circuits open at once (officer queue, {rows} rows each; protocol client): managed heap (KiB)",
                $"{perLarge:0}", $"{browserCircuits} circuits held by Chromium pages", $"{perBrowser:0}", Ratio(perLarge, perBrowser), "<= 1,024 (1 MB)",
                rows > 0 && large.Count == circuits && perLarge <= 1024),
            new BenchRow($"  same, each circuit from {middle.Count} to {large.Count} (marginal)", $"{marginal:0}", "", "", "", "", true),
            new BenchRow($"  same, {small.Count} circuits held by the protocol client (checks the client against Chromium)", $"{perSmall:0}",
                $"{browserCircuits} circuits held by Chromium pages", $"{perBrowser:0}", Ratio(perSmall, perBrowser), "", true),
            new BenchRow($"  a page without a circuit: {browserCircuits} static sign-in pages in Chromium, heap per page (KiB)", $"{perStatic:0}", "", "", "", "", true),
            new BenchRow($"  process working set per circuit, {large.Count} circuits (KiB)", $"{rssLarge:0}", "", "", "", "", true),
            new BenchRow($"  heap left behind per closed circuit, two more rounds of {circuits} opened and closed (KiB)", $"{leftBehind:0}",
                $"a circuit held open, above", $"{perLarge:0}", Ratio(leftBehind, perLarge),
                // The heap moves by a few MB between two measures whatever is open: spread over a few circuits, that is
                // the size of a circuit; over 400 closed ones it is a few KiB each.
                circuits >= LeakCheckFrom ? "none (< 5% of a circuit)" : $"not judged below {LeakCheckFrom} circuits (heap noise)",
                circuits < LeakCheckFrom || leftBehind < perLarge * 0.05),
        ];
    }

    /// <summary>
    /// Issue 20.5: what an officer waits for under load. She records a no-answer on a case she holds, in Chromium; the time
    /// from her click to the confirmation drawn in her page (the "saved" message and one more unanswered call in the case's
    /// record) is taken in the page, on the browser's clock, by a MutationObserver: Playwright's own round trips are not in
    /// it. First with her circuit alone, then with <paramref name="circuits"/> more circuits held open on the queue of her
    /// unit by the protocol client: each of her actions is then heard by every one of those queues, which all read again.
    /// </summary>
    public static async Task<IEnumerable<BenchRow>> ActionLatencyAsync(int circuits, int actions)
    {
        Console.Error.WriteLine($"action latency: {actions} no-answers recorded in Chromium, alone, then beside {circuits} live queues of her unit");
        var (alone, loaded, loadAlone, loadLoaded, cpu) = await TimeActionsAsync(circuits, actions);
        var rows = QueueService.PageSize;
        return
        [
            new BenchRow($"action latency, a no-answer recorded -> confirmation drawn in her page, with {circuits} circuits on live queues of her unit ({rows} rows each), {actions} actions: p95 (ms)",
                $"{Pct(loaded, 0.95):0}", "the same, her circuit alone", $"{Pct(alone, 0.95):0}", Ratio(Pct(loaded, 0.95), Pct(alone, 0.95)), "<= 150", Pct(loaded, 0.95) <= 150),
            new BenchRow("  same, p50 (ms)", $"{Pct(loaded, 0.5):0}", "her circuit alone, p50", $"{Pct(alone, 0.5):0}", Ratio(Pct(loaded, 0.5), Pct(alone, 0.5)), "", true),
            new BenchRow("  same, max (ms); load average at the end of each round", $"{loaded[^1]:0}; {loadLoaded}", "her circuit alone, max", $"{alone[^1]:0}; {loadAlone}",
                Ratio(loaded[^1], alone[^1]), "", true),
            new BenchRow($"  server CPU (cores busy) during her round, beside {circuits} live queues", $"{cpu.Loaded:0.00}", $"{circuits} live queues and no action, 20 s",
                $"{cpu.Idle:0.00}", Ratio(cpu.Loaded, cpu.Idle), "", true),
            new BenchRow("  server CPU (cores busy) during her round alone", $"{cpu.Alone:0.00}", "", "", "", "", true),
        ];
    }

    private static async Task<(List<double> Alone, List<double> Loaded, string LoadAlone, string LoadLoaded, (double Alone, double Idle, double Loaded) Cpu)>
        TimeActionsAsync(int circuits, int actions)
    {
        // Her high-danger cases must still be hers to call when the second round comes (Training gives them 4 minutes).
        await using var app = new BenchApp(new() { ["Workflow:HighDangerContactDeadline"] = "02:00:00" });
        app.Start();
        var workflow = app.Services.GetRequiredService<CaseWorkflowService>();
        var databases = app.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        for (var i = 0; i < BusyDayOpenFiles; i++)
        {
            await OpenCaseAsync(workflow, databases, $"62-FILL-{i:D3}");
        }

        // Her cases: reviewed (contact due at once) and claimed by her, one no-answer each, for both rounds and a warm-up.
        var warmUp = Math.Min(5, actions);
        var held = new List<Guid>();
        var officer = await DemoOfficerAsync(databases);
        for (var i = 0; i < warmUp + 2 * actions; i++)
        {
            var (_, id, _) = await HighDangerCaseAsync(workflow, databases, i);
            var current = await workflow.GetAsync(id, officer);
            await workflow.ClaimAsync(id, current.Version, officer);
            held.Add(id);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchApp.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var page = await app.SignInAsync(context, "officier.62@demo.callback", "/queue");
        var next = 0;
        async Task<List<double>> RoundAsync(int count)
        {
            var taken = new List<double>();
            for (var i = 0; i < count; i++)
            {
                taken.Add(await NoAnswerAsync(page, app.BaseUrl, held[next++]));
            }

            taken.Sort();
            return taken;
        }

        await RoundAsync(warmUp);
        var (alone, aloneCpu) = await WithCpuAsync(() => RoundAsync(actions));
        var loadAlone = await LoadAverageAsync();
        List<double> loaded;
        double idleCpu, loadedCpu;
        string loadLoaded;
        string line;
        // Her own circuit, and whatever the first app left in the counter if its shutdown did not close its circuits.
        var openBefore = CircuitCounter.Open;
        await using (var client = CircuitClientProcess.Start(app, QueueService.PageSize))
        {
            line = await client.HoldAsync(circuits);
            await WaitForCountAsync(openBefore + circuits);
            // Every queue has been through its first 30-second read again: the load of a working day, not of a start.
            await SettleAsync();
            (_, idleCpu) = await WithCpuAsync(async () => { await Task.Delay(TimeSpan.FromSeconds(20)); return 0; });
            (loaded, loadedCpu) = await WithCpuAsync(() => RoundAsync(actions));
            loadLoaded = await LoadAverageAsync();
        }

        Console.Error.WriteLine($"  protocol client: {line}");
        Console.Error.WriteLine($"  click -> confirmation drawn: alone p50 {Pct(alone, 0.5):0} ms p95 {Pct(alone, 0.95):0} ms max {alone[^1]:0} ms (load {loadAlone}); " +
            $"with {circuits} live queues p50 {Pct(loaded, 0.5):0} ms p95 {Pct(loaded, 0.95):0} ms max {loaded[^1]:0} ms (load {loadLoaded}); " +
            $"server CPU alone {aloneCpu:0.00}, {circuits} queues idle {idleCpu:0.00}, with her actions {loadedCpu:0.00} cores");
        await WaitForCountAsync(openBefore);
        return (alone, loaded, loadAlone, loadLoaded, (aloneCpu, idleCpu, loadedCpu));
    }

    /// <summary>
    /// The bench process's CPU time over the wall time of <paramref name="work"/>, in cores busy: chiefly the app's server,
    /// which runs in this process (Chromium, Playwright's driver and the protocol client run in others). A steadier figure
    /// than a latency's p95 on a noisy machine.
    /// </summary>
    private static async Task<(T Result, double Cores)> WithCpuAsync<T>(Func<Task<T>> work)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await work();
        self.Refresh();
        return (result, (self.TotalProcessorTime - cpu).TotalSeconds / wall.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Opens the case, records one no-answer and returns the milliseconds from the click to the confirmation on screen: the
    /// saved message, and the case's record holding one more unanswered call.
    /// </summary>
    private static async Task<double> NoAnswerAsync(IPage page, string baseUrl, Guid id)
    {
        await page.GotoAsync($"{baseUrl}/cases/{id}");
        await BenchApp.WaitInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=outcome-NoAnswer]");
        // The last toast gone, so that the next one is this action's.
        await page.WaitForSelectorAsync(".mud-snackbar", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        await page.EvaluateAsync("""
            () => {
              const unanswered = () => (document.querySelector('[data-testid=timeline]')?.innerText ?? '').split('Appel sans contact').length - 1;
              const before = unanswered();
              window.__took = null;
              const button = document.querySelector('[data-testid=outcome-NoAnswer]');
              button.addEventListener('click', () => {
                const clicked = performance.now();
                const done = () => [...document.querySelectorAll('.mud-snackbar-content-message')].some(m => m.textContent.includes('Enregistré'))
                  && unanswered() > before;
                const observer = new MutationObserver(() => {
                  if (window.__took === null && done()) { window.__took = performance.now() - clicked; observer.disconnect(); }
                });
                observer.observe(document.body, { childList: true, subtree: true, characterData: true });
              }, { capture: true, once: true });
            }
            """);
        await page.ClickAsync("[data-testid=outcome-NoAnswer]");
        await page.WaitForFunctionAsync("() => window.__took !== null", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        return await page.EvaluateAsync<double>("() => window.__took");
    }

    private static async Task<string> LoadAverageAsync() =>
        File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "?";

    private const int LeakCheckFrom = 100;

    private const int BusyDayOpenFiles = 200;

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Closes pages the way officers leave them: navigating away sends Blazor's disconnect beacon, and the server
    /// disposes the circuit at once instead of keeping it three minutes for a reconnection.</summary>
    private static async Task CloseAsync(List<IPage> pages)
    {
        foreach (var page in pages)
        {
            await page.GotoAsync("about:blank");
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// Measures are taken once every open page has been through its 30-second reload and redrawn its queue, as pages are
    /// in steady use, not in the instant after they opened.
    /// </summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(35));

    /// <summary>Waits until the server holds exactly <paramref name="count"/> circuits, and when none, until closed ones are let go.</summary>
    private static async Task WaitForCircuitsAsync(int count)
    {
        await WaitForCountAsync(count);
        if (count == 0)
        {
            await Task.Delay(BenchApp.ClosedCircuitRetention + TimeSpan.FromSeconds(5));
        }
    }

    private static async Task WaitForCountAsync(int count)
    {
        var watch = Stopwatch.StartNew();
        while (CircuitCounter.Open != count)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(4))
            {
                throw new InvalidOperationException($"the server holds {CircuitCounter.Open} circuits, {count} expected");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The protocol client in a child process (this same program), so its memory is not the server's.</summary>
    private sealed class CircuitClientProcess : IAsyncDisposable
    {
        private readonly Process _child;

        private CircuitClientProcess(Process child) => _child = child;

        public static CircuitClientProcess Start(BenchApp app, int expectedRows)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(BrowserScenarios).Assembly.Location);
            }

            foreach (var argument in new[] { "circuit-client", app.BaseUrl, "officier.62@demo.callback", BenchApp.DemoPassword,
                @"\b62-(?:2026-\d{6}|FILL-\d{3}|BENCH-\d{3})\b", expectedRows.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            return new CircuitClientProcess(Process.Start(start)!);
        }

        /// <summary>Has the child hold <paramref name="count"/> circuits; returns its report once they are interactive.</summary>
        public async Task<string> HoldAsync(int count)
        {
            await _child.StandardInput.WriteLineAsync(count.ToString(CultureInfo.InvariantCulture));
            await _child.StandardInput.FlushAsync();
            var line = await _child.StandardOutput.ReadLineAsync() ?? "failed: the client ended without a word";
            return line.StartsWith("ready", StringComparison.Ordinal) ? line : throw new InvalidOperationException($"protocol client: {line}");
        }

        public async ValueTask DisposeAsync()
        {
            _child.StandardInput.Close();
            await _child.WaitForExitAsync();
            _child.Dispose();
        }
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
        var officer = await DemoOfficerAsync(databases);
        var id = await workflow.OpenAsync("CTC-62", new NewCase(reference, TimeProvider.System.GetUtcNow().UtcDateTime, OffenceCategory.ConjugalViolence,
            new Victim("Prénom", "Nom", "0611223344", null), new Perpetrator(null, TriState.Yes)), officer);
        return (id, officer);
    }

    /// <summary>The demo officer of Pas-de-Calais, as the workflow knows her.</summary>
    private static async Task<Actor> DemoOfficerAsync(IDbContextFactory<CallbackDbContext> databases)
    {
        await using var db = await databases.CreateDbContextAsync();
        var unit = await db.Units.SingleAsync(u => u.Code == "CTC-62");
        var officerId = await db.Users.Where(u => u.Email == "officier.62@demo.callback").Select(u => u.Id).SingleAsync();
        return Actor.User(officerId, unit.Id, unit.Departement, Roles.Officer);
    }

    private static double Pct(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static string Ratio(double value, double baseline) =>
        baseline > 0 && !double.IsNaN(value) ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
