using System.Net;
using System.Reflection;
using Callback.Domain.Access;
using Callback.Domain.Identity;
using Callback.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>docs/security.md's matrix, checked against the real host with a user of every column.</summary>
public sealed class AuthorizationMatrixTests
{
    internal static readonly string[] Columns = ["anonymous", "officer62", "supervisor62", "dispatcher62", "admin", "officer59", "supervisor59"];

    /// <summary>The matrix rows, keyed "METHOD /route" (or "/route" for the circuit's own endpoints).</summary>
    internal static Dictionary<string, string[]> Matrix()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "security.md"));
        var start = doc.IndexOf("<!-- matrix:begin -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- matrix:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/security.md has lost its matrix markers");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in doc[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            rows.Add(cells[0].Trim('`'), cells[1..]);
        }

        return rows;
    }

    [Fact]
    public async Task EveryPageAndEndpoint_AsEveryRoleAndScope_IsServedOnlyWhereTheMatrixAllows()
    {
        var matrix = Matrix();
        await using var site = await SecuredSite.StartAsync();
        var served = ServedRoutes(site.Services);

        // Every route the host serves, and every routed component, is in the matrix: a new page cannot slip past it.
        var missing = served.Where(r => !matrix.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "routes missing from docs/security.md's matrix: " + string.Join(", ", missing));
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => "GET " + r.Template).ToList();
        Assert.True(pages.Count >= 8, "the route scan found too few pages to be trusted");
        Assert.DoesNotContain(pages, p => !matrix.ContainsKey(p));

        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = site.Anonymous() };
        foreach (var account in SecuredSite.Accounts)
        {
            clients[account] = await site.SignedInAsync(account);
        }

        var failures = new List<string>();
        foreach (var (route, cells) in matrix)
        {
            if (cells[0] is "circuit" or "static")
            {
                continue;
            }

            // A route without a method takes any: probe it as a browser would, with GET.
            var (method, template) = route.Contains(' ', StringComparison.Ordinal) ? (route.Split(' ')[0], route.Split(' ')[1]) : ("GET", route);
            var path = template.Replace("{Id:guid}", site.CaseId.ToString(), StringComparison.Ordinal)
                .Replace("{unit}", "CTC-62", StringComparison.Ordinal).Replace("{reference}", SecuredSite.CaseReference, StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal);
            var isCaseRoute = template.Contains("{Id:guid}", StringComparison.Ordinal);
            for (var column = 0; column < Columns.Length; column++)
            {
                var expected = cells[column];
                if (expected == "—")
                {
                    continue;
                }

                var deniedBefore = (await site.AuditAsync(DenialAudit.Action)).Count;
                string actual;
                try
                {
                    actual = await ProbeAsync(clients[Columns[column]], method, path, isCaseRoute);
                }
                catch (InvalidOperationException e)
                {
                    actual = "exception " + e.Message;
                }
                if (actual != expected)
                {
                    failures.Add($"{route} as {Columns[column]}: matrix says {expected}, host answered {actual}");
                }

                // A refusal is audited (by the pipeline, or by the workflow for a case read out of scope); nothing else is.
                var denials = (await site.AuditAsync(DenialAudit.Action)).Skip(deniedBefore).ToList();
                if ((actual == "no") != (denials.Count > 0))
                {
                    failures.Add($"{route} as {Columns[column]}: answered {actual} but wrote {denials.Count} AccessDenied entries");
                }

                if (denials.Any(d => d.CaseId != site.CaseId && d.Reason != $"{method} {path}"))
                {
                    failures.Add($"{route} as {Columns[column]}: an AccessDenied entry names neither the case nor the path: " + string.Join(", ", denials.Select(d => d.Reason)));
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The matrix's role columns, in order after "anonymous".</summary>
    private static readonly string[] RoleColumns = [Roles.Officer, Roles.Supervisor, Roles.Dispatcher, Roles.Admin];

    [Fact]
    public async Task EveryPageAndEndpoint_NamesAFeaturePolicy_NeverRoleStrings_AndTheMapAgreesWithTheMatrix()
    {
        var matrix = Matrix();
        await using var site = await SecuredSite.StartAsync();
        var policies = site.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        // Every routed component: roles are the permission map's to give, so no page may carry its own list.
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        Assert.True(pages.Count >= 8, "the route scan found too few pages to be trusted");
        var withRoles = pages.Where(t => t.GetCustomAttributes<AuthorizeAttribute>().Any(a => !string.IsNullOrEmpty(a.Roles))).Select(t => t.Name).ToList();
        Assert.True(withRoles.Count == 0, "pages naming roles instead of a policy: " + string.Join(", ", withRoles));

        // Every endpoint, pages and minimal APIs alike, as the authorization middleware reads them.
        var endpoints = site.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        var endpointsWithRoles = endpoints.Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles)))
            .Select(e => e.RoutePattern.RawText).ToList();
        Assert.True(endpointsWithRoles.Count == 0, "endpoints naming roles instead of a policy: " + string.Join(", ", endpointsWithRoles));

        var checkedFeatures = new HashSet<Feature>();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var policy in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct())
            {
                if (Policies.FeatureOf(policy) is not { } feature)
                {
                    failures.Add($"/{endpoint.RoutePattern.RawText}: policy '{policy}' is not a feature of the permission map");
                    continue;
                }

                Assert.NotNull(await policies.GetPolicyAsync(policy));
                checkedFeatures.Add(feature);
                // The map says who may; docs/security.md, written apart from it, says who gets in. They must agree.
                var route = "GET /" + endpoint.RoutePattern.RawText!.Trim('/');
                if (!matrix.TryGetValue(route, out var cells))
                {
                    continue;
                }

                for (var i = 0; i < RoleColumns.Length; i++)
                {
                    var mapAllows = Permissions.RolesFor(feature).Contains(RoleColumns[i]);
                    var matrixAllows = cells[i + 1] != "no";
                    if (mapAllows != matrixAllows)
                    {
                        failures.Add($"{route} as {RoleColumns[i]}: the map ({feature}) says {(mapAllows ? "yes" : "no")}, the matrix says {cells[i + 1]}");
                    }
                }
            }
        }

        // The job dashboard is guarded by Hangfire's filter, which asks the same map.
        checkedFeatures.Add(Feature.JobDashboard);
        for (var i = 0; i < RoleColumns.Length; i++)
        {
            if (Permissions.RolesFor(Feature.JobDashboard).Contains(RoleColumns[i]) != (matrix["GET /hangfire"][i + 1] != "no"))
            {
                failures.Add($"GET /hangfire as {RoleColumns[i]}: the map and the matrix disagree");
            }
        }

        // A feature nobody guards with its policy is a map entry no test can see.
        failures.AddRange(Enum.GetValues<Feature>().Where(f => !checkedFeatures.Contains(f)).Select(f => $"feature {f} guards no page or endpoint"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Routes that need a query to do their job.</summary>
    private static readonly Dictionary<string, string> SampleQuery = new(StringComparer.Ordinal) { ["/culture"] = "?culture=en&returnUrl=%2Fqueue" };

    private static async Task<string> ProbeAsync(HttpClient client, string method, string path, bool isCaseRoute)
    {
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            // The API authenticates by key only: a signed-in browser's cookie (and no antiforgery token) must get 401, not the case.
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (method == "POST")
            {
                request.Content = new StringContent("{\"reference\":\"matrix\"}", System.Text.Encoding.UTF8, "application/json");
            }

            using var api = await client.SendAsync(request);
            return api.StatusCode == HttpStatusCode.Unauthorized && api.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? "key"
                : $"{(int)api.StatusCode}";
        }

        if (method == "POST")
        {
            // Without the form's antiforgery token, a post must be refused before it does anything.
            using var post = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([]));
            var target = post.Headers.Location?.OriginalString ?? "";
            return post.StatusCode switch
            {
                HttpStatusCode.BadRequest => "csrf",
                HttpStatusCode.Redirect when target.Contains("/account/login", StringComparison.Ordinal) => "sign-in",
                HttpStatusCode.Redirect when target.Contains("/account/denied", StringComparison.Ordinal) => "no",
                _ => $"{(int)post.StatusCode} {target}",
            };
        }

        using var response = await client.GetAsync(new Uri(path + SampleQuery.GetValueOrDefault(path, ""), UriKind.Relative));
        var location = response.Headers.Location?.OriginalString ?? "";
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "sign-in" + location,
            HttpStatusCode.Forbidden => "no",
            HttpStatusCode.Redirect when location.Contains("/account/login", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.Contains("/account/denied", StringComparison.Ordinal) => "no",
            HttpStatusCode.Redirect => "yes",
            // The case page shows the file reference; the neutral card deliberately shows nothing of the case but its QR code.
            HttpStatusCode.OK when isCaseRoute && (body.Contains(SecuredSite.CaseReference, StringComparison.Ordinal) || body.Contains("data-testid=\"neutral-card-qr\"", StringComparison.Ordinal)) => "yes",
            HttpStatusCode.OK when isCaseRoute && !body.Contains(SecuredSite.VictimLastName, StringComparison.Ordinal) => "no",
            HttpStatusCode.OK when !isCaseRoute => "yes",
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    /// <summary>Every route endpoint of the host except static files, as "METHOD /route" (or "/route" when it takes any method).</summary>
    private static List<string> ServedRoutes(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods
                ? methods.Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}")
                : [$"/{e.RoutePattern.RawText!.Trim('/')}"])
            .Where(r => !r.StartsWith("OPTIONS ", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Callback.sln not found above the test binaries.");
    }
}
