using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Callback.Domain.Contact;
using Callback.Domain.Intake;
using Callback.Domain.Persistence;
using Callback.Web.Features.Account;
using Callback.Web.Localization;
using Callback.Web.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Features.Intake;

/// <summary>The intake API's limits, bound from <c>IntakeApi</c>.</summary>
public sealed class IntakeApiOptions
{
    public const string Section = "IntakeApi";

    /// <summary>Requests one key may make per <see cref="Window"/>; beyond, 429 until the window turns.</summary>
    public int PermitLimit { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cases in one batch; a larger batch is refused whole.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>Bytes of a body holding one case object: a case is a few hundred bytes, its longest note a few KiB.</summary>
    public int MaxCaseBytes { get; set; } = 256 * 1024;

    /// <summary>Bytes of any body, a batch of <see cref="MaxBatch"/> cases included (500 cases of 8 KiB); beyond, 413 and the rest is not read.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Errors listed in one problem answer; the others are counted (<c>errors_omitted</c>), so an answer stays small.</summary>
    public int MaxErrors { get; set; } = 50;

    /// <summary>
    /// Requests without a valid key that one client address may make per <see cref="FailedKeyWindow"/>; beyond, that
    /// address gets 429 (valid key or not) until the window turns. Other addresses are not affected. In memory, per node.
    /// </summary>
    public int FailedKeyPermitLimit { get; set; } = 20;

    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(1);

    public void Validate()
    {
        if (PermitLimit < 1 || Window <= TimeSpan.Zero || MaxBatch < 1)
        {
            throw new InvalidOperationException("IntakeApi:PermitLimit and IntakeApi:MaxBatch must be at least 1, IntakeApi:Window positive.");
        }

        if (MaxCaseBytes < 1024 || MaxBodyBytes < MaxCaseBytes || MaxErrors < 1 || FailedKeyPermitLimit < 1 || FailedKeyWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("IntakeApi:MaxCaseBytes must be at least 1024 and at most IntakeApi:MaxBodyBytes; IntakeApi:MaxErrors and IntakeApi:FailedKeyPermitLimit at least 1; IntakeApi:FailedKeyWindow positive.");
        }
    }
}

/// <summary>One case as the API answers it: where it is, never what it holds.</summary>
public sealed record IntakeCaseResponse(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("id")] Guid? Id,
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("reference")] string? Reference,
    [property: JsonPropertyName("repeat_victimisation")] bool RepeatVictimisation = false,
    [property: JsonPropertyName("open_files")] IReadOnlyList<Guid>? OpenFiles = null);

/// <summary>The outcome of a batch, item by item, in the order posted.</summary>
public sealed record IntakeBatchResponse([property: JsonPropertyName("results")] IReadOnlyList<IntakeCaseResponse> Results);

/// <summary>The follow-up of a case, for the records system to show: no name, phone, address or note.</summary>
public sealed record CaseStatusResponse(
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("last_contact_at")] DateTime? LastContactAtUtc,
    [property: JsonPropertyName("patrol_requested_at")] DateTime? PatrolRequestedAtUtc,
    [property: JsonPropertyName("patrol_dispatched_at")] DateTime? PatrolDispatchedAtUtc,
    [property: JsonPropertyName("patrol_outcome")] string? PatrolOutcome,
    [property: JsonPropertyName("closed_at")] DateTime? ClosedAtUtc);

/// <summary>
/// <c>POST /api/v1/cases</c> and <c>GET /api/v1/cases/{unit}/{reference}</c> for a unit's records system
/// (docs/import.md). A call authenticates with its unit's key in <c>X-Api-Key</c> (or <c>Authorization: ApiKey …</c>);
/// the sign-in cookie never does, so a browser cannot be tricked into posting (no antiforgery is needed, none is asked).
/// Cases are checked by the import's own rules (<see cref="CaseIntake"/>); errors are RFC 7807 problem details.
/// </summary>
public static class IntakeApi
{
    public const string RateLimitPolicy = "intake-api";
    public const string KeyHeader = "X-Api-Key";
    private const string HolderKey = "callback:api-key-holder";

    public static IServiceCollection AddIntakeApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeApiOptions>().Bind(configuration.GetSection(IntakeApiOptions.Section))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiKeyFailures>();
        services.AddSingleton<CaseIntake>();
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        var limits = configuration.GetSection(IntakeApiOptions.Section).Get<IntakeApiOptions>() ?? new IntakeApiOptions();
        services.AddRateLimiter(o =>
        {
            // One window per key presented (its hash, never the key): a records system that loops cannot starve the others.
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                PresentedKey(http.Request) is { } key ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))) : "no-key",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                NoStatusPage(http);
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var text = Text(http);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: text["TooManyRequests"],
                    detail: text["TooManyRequestsDetail", limits.PermitLimit, limits.Window]).ExecuteAsync(http);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api/v1/cases")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(RequireKeyAsync)
            .WithTags("Intake");

        api.MapPost("/", PostAsync)
            .WithName("PostCases")
            .WithSummary("Opens one case, or each case of a JSON array (a batch)")
            .WithDescription("A case is identified by its unit and reference: posting it again answers 200 with the case already open and changes nothing. " +
                "Fields and rules are the CSV import's (docs/import.md), named by the English column names; `unit` may be left out (the key's unit). " +
                "A batch with bad items creates the good ones and answers 400 with a problem whose errors are named `[index].field` and whose `results` list every item.")
            .Accepts<CaseSubmission>("application/json")
            .Produces<IntakeCaseResponse>(StatusCodes.Status201Created)
            .Produces<IntakeCaseResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/{unit}/{reference}", GetStatusAsync)
            .WithName("GetCaseStatus")
            .WithSummary("The follow-up of a case: state, last contact, patrol; no personal data")
            .Produces<CaseStatusResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>The key presented, from <c>X-Api-Key</c> or <c>Authorization: ApiKey …</c>.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[KeyHeader].ToString() is { Length: > 0 } key)
        {
            return key.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private static async ValueTask<object?> RequireKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        NoStatusPage(http);
        var failures = http.RequestServices.GetRequiredService<ApiKeyFailures>();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "no-address";
        if (failures.IsBlocked(address, out var retryAfter))
        {
            // Too many keys refused from this address: no key is checked any more until the window turns.
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var limits = failures.Limits;
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Text(http)["TooManyRequests"],
                detail: Text(http)["TooManyKeyFailuresDetail", limits.FailedKeyPermitLimit, limits.FailedKeyWindow]);
        }

        var keys = http.RequestServices.GetRequiredService<ApiKeyService>();
        if (await keys.AuthenticateAsync(PresentedKey(http.Request), http.RequestAborted) is not { } holder)
        {
            failures.Count(address);
            http.Response.Headers.WWWAuthenticate = "ApiKey";
            var text = Text(http);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: text["KeyRequired"], detail: text["KeyRequiredDetail", KeyHeader]);
        }

        http.Items[HolderKey] = holder;
        return await next(context);
    }

    private static ApiKeyHolder Holder(HttpContext http) => (ApiKeyHolder)http.Items[HolderKey]!;

    /// <summary>Problems in the caller's language, as the reasons they carry (Accept-Language; French by default).</summary>
    private static IStringLocalizer<ApiText> Text(HttpContext http) => http.RequestServices.GetRequiredService<IStringLocalizer<ApiText>>();

    private static async Task<IResult> PostAsync(HttpContext http, CaseIntake intake, SecurityAudit audit, Microsoft.Extensions.Options.IOptions<IntakeApiOptions> options)
    {
        var holder = Holder(http);
        var limits = options.Value;
        if (await ReadBodyAsync(http, limits) is not { } body)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: Text(http)["BodyTooLarge"],
                detail: Text(http)["BodyTooLargeDetail", limits.MaxCaseBytes / 1024, limits.MaxBodyBytes / 1024]);
        }

        var (submissions, isBatch, errors) = Read(http.Request, body, limits.MaxBatch);
        if (errors.Count > 0)
        {
            return CappedValidationProblem(http, errors, limits.MaxErrors, Text(http)["NotACase"], Text(http)["NothingWritten"], null);
        }

        var foreign = submissions.Select(s => s.Unit?.Trim()).Where(u => !string.IsNullOrEmpty(u) && !string.Equals(u, holder.UnitCode, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (foreign.Count > 0)
        {
            await audit.RecordAsync(holder.Actor.Id, DenialAudit.Action, DenialAudit.Describe(http.Request.Method, http.Request.Path) + $" for unit {string.Join(", ", foreign)}");
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: Text(http)["OtherUnitsCases"], detail: Text(http)["OtherUnitsCasesDetail", holder.UnitCode]);
        }

        var results = await intake.SubmitAsync(submissions, holder.UnitCode, holder.Actor, http.RequestAborted);
        var answers = results.Select((r, i) => new IntakeCaseResponse(i, r.Outcome.ToString().ToLowerInvariant(), r.CaseId, r.UnitCode, r.Reference,
            r.Opened?.IsRepeat == true, r.Opened?.OpenFilesInScope)).ToList();
        var problems = results.SelectMany((r, i) => r.Problems.Select(p => (Field: (isBatch ? $"[{i}]." : "") + (p.Field ?? "(case)"), p.Reason)))
            .GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray(), StringComparer.Ordinal);
        if (problems.Count > 0)
        {
            var rejected = results.Count(r => r.Outcome == IntakeOutcome.Rejected);
            var text = Text(http);
            return CappedValidationProblem(http, problems, limits.MaxErrors, text["SomeRejected"],
                isBatch ? text["SomeRejectedBatch", rejected, results.Count] : text["SomeRejectedOne"],
                isBatch ? new Dictionary<string, object?> { ["results"] = answers } : null);
        }

        var status = results.Any(r => r.Outcome == IntakeOutcome.Created) ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        if (!isBatch)
        {
            var one = answers[0];
            var location = $"/api/v1/cases/{Uri.EscapeDataString(one.Unit!)}/{Uri.EscapeDataString(one.Reference!)}";
            return status == StatusCodes.Status201Created ? TypedResults.Created(location, one) : TypedResults.Ok(one);
        }

        return Results.Json(new IntakeBatchResponse(answers), statusCode: status);
    }

    private static async Task<IResult> GetStatusAsync(string unit, string reference, HttpContext http, IDbContextFactory<CallbackDbContext> databases, SecurityAudit audit)
    {
        var holder = Holder(http);
        if (!string.Equals(unit, holder.UnitCode, StringComparison.OrdinalIgnoreCase))
        {
            await audit.RecordAsync(holder.Actor.Id, DenialAudit.Action, DenialAudit.Describe(http.Request.Method, new PathString("/api/v1/cases/" + unit)));
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: Text(http)["OtherUnitsCase"], detail: Text(http)["OtherUnitsCaseDetail", holder.UnitCode]);
        }

        await using var db = await databases.CreateDbContextAsync(http.RequestAborted);
        var found = await db.Cases.AsNoTracking().Where(c => c.UnitId == holder.UnitId && c.FileReference == reference)
            .Select(c => new
            {
                c.Id, c.FileReference, c.State, PatrolRequestedAtUtc = c.Patrol.RequestedAtUtc, PatrolDispatchedAtUtc = c.Patrol.DispatchedAtUtc,
                PatrolOutcome = c.Patrol.Outcome, c.ClosedAtUtc,
                LastContact = db.CallAttempts.Where(a => a.CaseId == c.Id && a.Outcome == AttemptOutcome.Reached).Max(a => (DateTime?)a.AtUtc),
            })
            .ToListAsync(http.RequestAborted);
        if (found.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Text(http)["NoSuchCase"], detail: Text(http)["NoSuchCaseDetail", holder.UnitCode]);
        }

        var c = found[0];
        return TypedResults.Ok(new CaseStatusResponse(holder.UnitCode, c.FileReference, c.State.ToString(), c.LastContact,
            c.PatrolRequestedAtUtc, c.PatrolDispatchedAtUtc, c.PatrolOutcome?.ToString(), c.ClosedAtUtc));
    }

    /// <summary>
    /// A validation problem listing the first <paramref name="maxErrors"/> fields in error; the others are counted in
    /// <c>errors_omitted</c> and said in the detail (issue 14: 1.3 MB of unknown properties made a 13.4 MB answer).
    /// </summary>
    private static IResult CappedValidationProblem(HttpContext http, Dictionary<string, string[]> errors, int maxErrors, string title, string detail, Dictionary<string, object?>? extensions)
    {
        if (errors.Count <= maxErrors)
        {
            return Results.ValidationProblem(errors, title: title, detail: detail, extensions: extensions);
        }

        var omitted = errors.Count - maxErrors;
        extensions ??= [];
        extensions["errors_omitted"] = omitted;
        return Results.ValidationProblem(errors.Take(maxErrors).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), title: title,
            detail: detail + " " + Text(http)["ErrorsOmitted", maxErrors, omitted], extensions: extensions);
    }

    /// <summary>
    /// The body, read up to its cap (<see cref="IntakeApiOptions.MaxCaseBytes"/> when it opens with <c>{</c>,
    /// <see cref="IntakeApiOptions.MaxBodyBytes"/> otherwise); null as soon as it is over, the rest unread.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, IntakeApiOptions limits)
    {
        if (http.Request.ContentLength > limits.MaxBodyBytes)
        {
            return null;
        }

        // Kestrel's own cap (30 MB by default) lowered to ours, for whatever is drained after the answer.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        long cap = limits.MaxBodyBytes;
        bool? single = null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (single is null && chunk.AsSpan(0, read).IndexOfAnyExcept(" \t\r\n\uFEFF"u8) is var first and >= 0)
                {
                    single = chunk[first] == (byte)'{';
                    cap = single.Value ? limits.MaxCaseBytes : limits.MaxBodyBytes;
                }

                if (buffer.Length + read > cap)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads one case object or an array of them. Each property is a column of the contract (English name, or French);
    /// a string, a number or true/false is taken as written; anything else, or an unknown property, names its place.
    /// </summary>
    private static (List<CaseSubmission> Submissions, bool IsBatch, Dictionary<string, string[]> Errors) Read(HttpRequest request, ReadOnlyMemory<byte> body, int maxBatch)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var submissions = new List<CaseSubmission>();
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            errors["$"] = ["the body must be JSON (Content-Type: application/json)"];
            return (submissions, false, errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            errors["$"] = [$"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}"];
            return (submissions, false, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            var isBatch = root.ValueKind == JsonValueKind.Array;
            if (!isBatch && root.ValueKind != JsonValueKind.Object)
            {
                errors["$"] = ["must be a case object or an array of case objects"];
                return (submissions, false, errors);
            }

            var items = isBatch ? root.EnumerateArray().ToList() : [root];
            if (items.Count == 0 || items.Count > maxBatch)
            {
                errors["$"] = [$"a batch holds 1 to {maxBatch} cases; this one has {items.Count}"];
                return (submissions, isBatch, errors);
            }

            for (var i = 0; i < items.Count; i++)
            {
                var at = isBatch ? $"[{i}]" : "";
                if (items[i].ValueKind != JsonValueKind.Object)
                {
                    errors[isBatch ? at : "$"] = ["must be a case object"];
                    continue;
                }

                var submission = new CaseSubmission();
                foreach (var property in items[i].EnumerateObject())
                {
                    // A made-up name is echoed only in part: the answer must not grow with it.
                    var name = (isBatch ? at + "." : "") + (property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name);
                    if (ImportColumns.Find(property.Name) is not { } column)
                    {
                        errors[name] = ["unknown field: use the column names of docs/import.md (reference, unit, intervention_at, offence, victim_last_name, …)"];
                        continue;
                    }

                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.String:
                            submission[column.Field] = property.Value.GetString();
                            break;
                        case JsonValueKind.Number:
                            submission[column.Field] = property.Value.GetRawText();
                            break;
                        case JsonValueKind.True or JsonValueKind.False:
                            submission[column.Field] = property.Value.GetBoolean() ? "yes" : "no";
                            break;
                        case JsonValueKind.Null:
                            break;
                        default:
                            errors[name] = ["must be a string"];
                            break;
                    }
                }

                submissions.Add(submission);
            }

            return (submissions, isBatch, errors);
        }
    }

    /// <summary>An API answer is its own problem document: the app's "not found" page must not replace it.</summary>
    private static void NoStatusPage(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}

/// <summary>
/// Requests refused for want of a valid key, counted per client address (as the trusted proxy reported it): made-up
/// keys are each a new key to the per-key limit, so the address is what stops a guesser. In memory, per node.
/// </summary>
public sealed class ApiKeyFailures : IDisposable
{
    private readonly PartitionedRateLimiter<string> _addresses;

    public ApiKeyFailures(Microsoft.Extensions.Options.IOptions<IntakeApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limits = options.Value;
        var limits = Limits;
        _addresses = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.FailedKeyPermitLimit, Window = limits.FailedKeyWindow, QueueLimit = 0 }));
    }

    public IntakeApiOptions Limits { get; }

    /// <summary>True when the address has spent its failures for the window; how long to wait then.</summary>
    public bool IsBlocked(string address, out TimeSpan retryAfter)
    {
        using var lease = _addresses.AttemptAcquire(address, 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Limits.FailedKeyWindow;
        return !lease.IsAcquired;
    }

    public void Count(string address)
    {
        using var lease = _addresses.AttemptAcquire(address);
    }

    public void Dispose() => _addresses.Dispose();
}
