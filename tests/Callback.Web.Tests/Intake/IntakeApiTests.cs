using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Callback.Web.Cli;
using Callback.Web.Security;
using Callback.Web.Tests.Hosting;
using Callback.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Intake;

/// <summary>The intake API on the real host: keys per unit, the import's checks, idempotence, problems, the rate limit.</summary>
public sealed class IntakeApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Admin = Actor.User("admin-test", null, null, Roles.Admin);

    private static string Case(string reference, string phone = "06 12 34 56 78", string extra = "") => $$"""
        {"reference":"{{reference}}","intervention_at":"2026-11-20T21:30:00+01:00","offence":"VIOLENCES_CONJUGALES",
         "victim_last_name":"Apiverte","victim_first_name":"Camille","victim_phone":"{{phone}}","cohabitation":"oui"{{extra}}}
        """;

    private static async Task<(HttpClient Client, CreatedApiKey Key)> KeyClientAsync(SecuredSite site, string unit = "CTC-62")
    {
        var key = await site.Services.GetRequiredService<ApiKeyService>().CreateAsync(unit, "test", Admin, Ct);
        var client = site.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        return (client, key);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync(new Uri("/api/v1/cases", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.Clone();
    }

    private static async Task<int> CasesAsync(SecuredSite site, string reference)
    {
        await using var db = await site.Databases.CreateDbContextAsync(Ct);
        return await db.Cases.CountAsync(c => c.FileReference == reference, Ct);
    }

    [Theory]
    [InlineData(null, "Clé d'API requise", "Dossier introuvable", "L'unité CTC-62 n'a pas de dossier sous cette référence.")]
    [InlineData("en-GB,en;q=0.9", "API key required", "No such case", "Unit CTC-62 has no case for this reference.")]
    public async Task Problems_SpeakTheCallersLanguage_FrenchByDefault(string? acceptLanguage, string noKey, string notFound, string notFoundDetail)
    {
        await using var site = await SecuredSite.StartAsync();
        var anonymous = site.Anonymous();
        var (client, _) = await KeyClientAsync(site);
        if (acceptLanguage is not null)
        {
            anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        using var refused = await PostAsync(anonymous, Case("API-LANG-401"));
        using var missing = await client.GetAsync(new Uri("/api/v1/cases/CTC-62/NOPE", UriKind.Relative), Ct);

        Assert.Equal(noKey, (await ProblemAsync(refused)).GetProperty("title").GetString());
        var problem = await ProblemAsync(missing);
        Assert.Equal((notFound, notFoundDetail), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Post_WithoutKey_WithAnUnknownKey_OrWithACookie_Is401Problem()
    {
        await using var site = await SecuredSite.StartAsync();
        var anonymous = site.Anonymous();
        var unknown = site.Anonymous();
        unknown.DefaultRequestHeaders.Add("X-Api-Key", "cbk_not-a-key");
        var signedIn = await site.SignedInAsync("admin");

        foreach (var client in new[] { anonymous, unknown, signedIn })
        {
            using var response = await PostAsync(client, Case("API-401"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(401, (await ProblemAsync(response)).GetProperty("status").GetInt32());
        }

        Assert.Equal(0, await CasesAsync(site, "API-401"));
    }

    [Fact]
    public async Task Post_OneCase_Creates201_WithItsAuditEntryByTheKey_AndARepostReturnsTheSameCase200_WritingNothing()
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, key) = await KeyClientAsync(site);

        using var first = await PostAsync(client, Case("API-0001"));
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/v1/cases/CTC-62/API-0001", first.Headers.Location?.OriginalString);
        var opens = (await site.AuditAsync("Open")).Where(e => e.Actor == ApiKey.ActorIdOf(key.Info.Id)).ToList();
        Assert.Single(opens);
        Assert.DoesNotContain(key.Key, string.Join(" ", (await site.AuditAsync("Open")).Select(e => e.Actor + e.Reason)), StringComparison.Ordinal);

        // The records system retries: same case, nothing written, the case not rewound.
        using var again = await PostAsync(client, Case("API-0001", phone: "07 81 23 45 67"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var a = JsonDocument.Parse(firstBody);
        using var b = JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(a.RootElement.GetProperty("id").GetGuid(), b.RootElement.GetProperty("id").GetGuid());
        Assert.Equal("existing", b.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(1, await CasesAsync(site, "API-0001"));
        Assert.Single(await site.AuditAsync("Open"), e => e.Actor == ApiKey.ActorIdOf(key.Info.Id));
        await using var db = await site.Databases.CreateDbContextAsync(Ct);
        var stored = await db.Cases.SingleAsync(c => c.FileReference == "API-0001", Ct);
        Assert.Equal("+33612345678", stored.Victim.Phone);
        Assert.Equal(Domain.Cases.CaseState.AwaitingReview, stored.State);
    }

    [Fact]
    public async Task Post_WithARevokedKey_Is401_AndWithAnotherUnitsKey_Is403_Audited_NothingWritten()
    {
        await using var site = await SecuredSite.StartAsync();
        var (revoked, revokedKey) = await KeyClientAsync(site);
        Assert.True(await site.Services.GetRequiredService<ApiKeyService>().RevokeAsync(revokedKey.Info.Id, Admin, Ct));
        var (unit59, key59) = await KeyClientAsync(site, "CTC-59");

        using var withRevoked = await PostAsync(revoked, Case("API-R1"));
        Assert.Equal(HttpStatusCode.Unauthorized, withRevoked.StatusCode);

        var deniedBefore = (await site.AuditAsync(DenialAudit.Action)).Count;
        using var foreign = await PostAsync(unit59, Case("API-R2", extra: ",\"unit\":\"CTC-62\""));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(403, (await ProblemAsync(foreign)).GetProperty("status").GetInt32());
        using var read = await unit59.GetAsync(new Uri($"/api/v1/cases/CTC-62/{SecuredSite.CaseReference}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var denials = (await site.AuditAsync(DenialAudit.Action)).Skip(deniedBefore).ToList();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, d => Assert.Equal(ApiKey.ActorIdOf(key59.Info.Id), d.Actor));
        Assert.Equal(0, await CasesAsync(site, "API-R1") + await CasesAsync(site, "API-R2"));
    }

    [Theory]
    [InlineData(null, "est obligatoire et vide", "n'est pas un numéro de téléphone valide")]
    [InlineData("fr-FR,fr;q=0.9", "est obligatoire et vide", "n'est pas un numéro de téléphone valide")]
    [InlineData("en-US,en;q=0.9", "is required and empty", "is not a valid phone number")]
    [InlineData("de-DE,en;q=0.5", "is required and empty", "is not a valid phone number")]
    [InlineData("de-DE", "est obligatoire et vide", "n'est pas un numéro de téléphone valide")]
    public async Task Post_Rejected_GivesTheReasonsInTheAcceptLanguage_FrenchByDefault(string? acceptLanguage, string required, string phone)
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, _) = await KeyClientAsync(site);
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        using var bad = await PostAsync(client, """{"reference":"API-LANG","intervention_at":"01/03/2026 22:15","offence":"VIOLENCES_CONJUGALES","victim_first_name":"Camille","victim_phone":"12"}""");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ProblemAsync(bad)).GetProperty("errors");
        Assert.Equal(required, errors.GetProperty("victim_last_name")[0].GetString());
        Assert.StartsWith(phone, errors.GetProperty("victim_phone")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InvalidBodies_AreValidationProblems_NamingEachField_WithTheImportsMessages()
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, _) = await KeyClientAsync(site);
        // The reasons follow Accept-Language (French without it): this test reads the English ones.
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        using var malformed = await PostAsync(client, "{\"reference\": ");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("malformed JSON", (await ProblemAsync(malformed)).GetProperty("errors").GetProperty("$")[0].GetString(), StringComparison.Ordinal);

        using var bad = await PostAsync(client, """
            {"reference":"API-BAD","intervention_at":"31/02/2020 25:00","offence":"VIOLENCE_CONJUGALE",
             "victim_first_name":"Camille","victim_phone":"12"}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ProblemAsync(bad)).GetProperty("errors");
        Assert.Equal("is required and empty", errors.GetProperty("victim_last_name")[0].GetString());
        Assert.StartsWith("is not a valid phone number", errors.GetProperty("victim_phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is not a date and time", errors.GetProperty("intervention_at")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("unknown offence code \"VIOLENCE_CONJUGALE\"", errors.GetProperty("offence")[0].GetString(), StringComparison.Ordinal);
        // The reasons never repeat what was written in a personal field.
        Assert.DoesNotContain("Camille", errors.GetRawText(), StringComparison.Ordinal);

        using var unknownField = await PostAsync(client, Case("API-BAD2", extra: ",\"victim_phon\":\"x\""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.True((await ProblemAsync(unknownField)).GetProperty("errors").TryGetProperty("victim_phon", out _));
        Assert.Equal(0, await CasesAsync(site, "API-BAD") + await CasesAsync(site, "API-BAD2"));
    }

    [Fact]
    public async Task Post_ABatchWithOneBadItem_CreatesTheGoodOnes_AndNamesTheBadOneByItsIndex()
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, _) = await KeyClientAsync(site);

        using var response = await PostAsync(client, $"[{Case("API-B0")},{Case("API-B1", phone: "12")},{Case("API-B2")}]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["[1].victim_phone"], errors.EnumerateObject().Select(p => p.Name).ToArray());
        var outcomes = problem.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!).ToArray();
        Assert.Equal(["created", "rejected", "created"], outcomes);
        Assert.Equal(1, await CasesAsync(site, "API-B0"));
        Assert.Equal(0, await CasesAsync(site, "API-B1"));
        Assert.Equal(1, await CasesAsync(site, "API-B2"));

        // Fixed and posted again: the two already open are found, only the third is created.
        using var retry = await PostAsync(client, $"[{Case("API-B0")},{Case("API-B1")},{Case("API-B2")}]");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        using var json = JsonDocument.Parse(await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["existing", "created", "existing"], json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!).ToArray());
        Assert.Equal(3, (await site.AuditAsync("Open")).Count(e => e.Actor.StartsWith("apikey:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetStatus_ReturnsTheFollowUpOnly_NoPersonalData()
    {
        await using var site = await SecuredSite.StartAsync();
        var (client, _) = await KeyClientAsync(site);

        using var response = await client.GetAsync(new Uri($"/api/v1/cases/CTC-62/{SecuredSite.CaseReference}", UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("AwaitingReview", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("last_contact_at").ValueKind);
        Assert.Equal(
            ["unit", "reference", "state", "last_contact_at", "patrol_requested_at", "patrol_dispatched_at", "patrol_outcome", "closed_at"],
            json.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var personal in new[] { SecuredSite.VictimLastName, "Ondine", "Canari", "0611223344", "+33611223344" })
        {
            Assert.DoesNotContain(personal, body, StringComparison.Ordinal);
        }

        using var missing = await client.GetAsync(new Uri("/api/v1/cases/CTC-62/NOPE", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(404, (await ProblemAsync(missing)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Requests_BeyondTheKeysLimit_Are429Problems_WhileAnotherKeyIsServed()
    {
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b =>
        {
            b.UseSetting("IntakeApi:PermitLimit", "3");
            b.UseSetting("IntakeApi:Window", "01:00:00");
        }));
        var (busy, _) = await KeyClientAsync(site);
        var (other, _) = await KeyClientAsync(site);
        var path = new Uri($"/api/v1/cases/CTC-62/{SecuredSite.CaseReference}", UriKind.Relative);

        for (var i = 0; i < 3; i++)
        {
            using var served = await busy.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var limited = await busy.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(429, (await ProblemAsync(limited)).GetProperty("status").GetInt32());
        using var otherKey = await other.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsTheTwoRoutes()
    {
        await using var site = await SecuredSite.StartAsync();

        using var response = await site.Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        var paths = json.RootElement.GetProperty("paths");
        // The body's schema names the fields as clients must write them.
        Assert.Contains("\"victim_phone\"", body, StringComparison.Ordinal);
        Assert.Contains("\"last_contact_at\"", body, StringComparison.Ordinal);
        Assert.True(paths.GetProperty("/api/v1/cases").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/cases/{unit}/{reference}").TryGetProperty("get", out _));
        Assert.Equal(2, paths.EnumerateObject().Count());
    }

    [Fact]
    public async Task ApiKeysCommand_CreatesAKeyThatPosts_ThenRevokesIt()
    {
        await using var site = await SecuredSite.StartAsync();
        var output = new StringWriter();

        Assert.Equal(0, await CommandLine.RunAsync(["apikeys", "create", "--unit", "CTC-62", "--name", "LRPGN"], site.Services, output));
        var text = output.ToString();
        var key = text.Split("(shown once, give it to the records system): ")[1].Trim();
        var id = int.Parse(text.Split("created key ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        await using (var db = await site.Databases.CreateDbContextAsync(Ct))
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Id == id, Ct);
            Assert.NotEqual(key, stored.KeyHash);
            Assert.DoesNotContain(key, stored.KeyHash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        }

        var client = site.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        using (var created = await PostAsync(client, Case("API-CLI")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        output = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["apikeys", "list"], site.Services, output));
        Assert.Contains("\tCTC-62\t", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await CommandLine.RunAsync(["apikeys", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture)], site.Services, new StringWriter()));
        Assert.Equal(1, await CommandLine.RunAsync(["apikeys", "revoke", "9999"], site.Services, new StringWriter()));
        Assert.Equal(2, await CommandLine.RunAsync(["apikeys", "create"], site.Services, new StringWriter()));

        using var refused = await PostAsync(client, Case("API-CLI2"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Single(await site.AuditAsync("ApiKeyCreate"));
        Assert.Single(await site.AuditAsync("ApiKeyRevoke"));
    }
}
