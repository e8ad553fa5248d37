using System.Net;
using System.Text;
using System.Text.Json;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Domain.Intake;
using Callback.Web.Tests.Hosting;
using Callback.Web.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Intake;

/// <summary>Issue 14, item 8: the intake API's answers and reads stay small, and made-up keys are limited per address.</summary>
public sealed class IntakeApiLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Admin = Actor.User("admin-test", null, null, Roles.Admin);
    private static readonly Uri Cases = new("/api/v1/cases", UriKind.Relative);

    private static async Task<HttpClient> KeyClientAsync(SecuredSite site)
    {
        var key = await site.Services.GetRequiredService<ApiKeyService>().CreateAsync("CTC-62", "test", Admin, Ct);
        var client = site.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        return client;
    }

    /// <summary>A body of <c>[</c> then spaces, as long as asked, counting what the server pulled.</summary>
    private sealed class EndlessArray(long length) : Stream
    {
        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Served);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = Served + i == 0 ? (byte)'[' : (byte)' ';
            }

            Served += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpContent content)
    {
        using var response = await client.PostAsync(Cases, content, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A30MBBody_Is413Problem_AndIsNotReadToItsEnd_WithOrWithoutItsLength()
    {
        await using var site = await SecuredSite.StartAsync();
        var client = await KeyClientAsync(site);
        const long size = 30L * 1024 * 1024;

        var chunked = new EndlessArray(size);
        var (status, body) = await SendAsync(client, new StreamContent(chunked) { Headers = { ContentType = new("application/json") } });
        var declared = new EndlessArray(size);
        var withLength = new StreamContent(declared) { Headers = { ContentType = new("application/json"), ContentLength = size } };
        var (declaredStatus, _) = await SendAsync(client, withLength);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge), (status, declaredStatus));
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("Corps de requête trop volumineux", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("4096 Kio", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(chunked.Served < 8L * 1024 * 1024, $"the server pulled {chunked.Served} bytes of 30 MB");
        Assert.True(declared.Served < 8L * 1024 * 1024, $"the server pulled {declared.Served} bytes of 30 MB");
        Assert.True(body.Length < 1024, $"the answer is {body.Length} characters");
        TestContext.Current.TestOutputHelper?.WriteLine($"413 answer {body.Length} chars; pulled {chunked.Served} (chunked), {declared.Served} (declared) of {size}");
    }

    [Fact]
    public async Task OneCaseOver256KiB_Is413_InTheCallersLanguage_AndNothingIsWritten()
    {
        await using var site = await SecuredSite.StartAsync();
        var client = await KeyClientAsync(site);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB");
        var json = $$"""{"reference":"API-BIG","victim_last_name":"{{new string('a', 300 * 1024)}}"}""";

        var (status, body) = await SendAsync(client, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("Request body too large", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("256 KiB", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = await site.Databases.CreateDbContextAsync(Ct);
        Assert.DoesNotContain(db.Cases, c => c.FileReference == "API-BIG");
    }

    [Fact]
    public async Task ACaseOfAThousandUnknownProperties_ListsTheFirst50Errors_CountsTheRest_AndStaysSmall()
    {
        await using var site = await SecuredSite.StartAsync();
        var client = await KeyClientAsync(site);
        var unknown = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"made_up_{i:D4}_{new string('x', 200)}\":\"v\""));
        var json = $$"""{"reference":"API-UNKNOWN",{{unknown}}}""";

        var (status, body) = await SendAsync(client, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        TestContext.Current.TestOutputHelper?.WriteLine($"a {json.Length}-byte body of unknown properties: a {body.Length}-character answer");
        Assert.True(body.Length < 16 * 1024, $"the answer to a {json.Length}-byte body is {body.Length} characters");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(50, problem.RootElement.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(950, problem.RootElement.GetProperty("errors_omitted").GetInt32());
        Assert.Contains("950", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABatchOf60BadPhones_ListsTheFirst50_CountsTheRest_AndStillListsEveryResult()
    {
        await using var site = await SecuredSite.StartAsync();
        var client = await KeyClientAsync(site);
        var items = Enumerable.Range(0, 60).Select(i => $$"""
            {"reference":"API-CAP-{{i:D2}}","intervention_at":"2026-11-20T21:30:00+01:00","offence":"VIOLENCES_CONJUGALES",
             "victim_last_name":"Apiverte","victim_first_name":"Camille","victim_phone":"not a phone","cohabitation":"oui"}
            """);

        var (status, body) = await SendAsync(client, new StringContent($"[{string.Join(",", items)}]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(50, problem.RootElement.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(10, problem.RootElement.GetProperty("errors_omitted").GetInt32());
        Assert.Equal(60, problem.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task MadeUpKeys_FromOneAddress_Get429WithRetryAfter_AfterTheLimit_WhileAValidKeyFromAnotherAddressIsServed()
    {
        await using var site = await SecuredSite.StartAsync(new CallbackFactory(configure: b =>
        {
            b.UseSetting("IntakeApi:FailedKeyWindow", "01:00:00");
            b.ConfigureServices(s => s.AddTransient<IStartupFilter, ForwardedHeadersTests.RemoteAddressFromTestHeader>());
        }));
        var valid = await KeyClientAsync(site);
        valid.DefaultRequestHeaders.Add("X-Test-Remote", "198.51.100.7");
        var path = new Uri($"/api/v1/cases/CTC-62/{SecuredSite.CaseReference}", UriKind.Relative);

        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 150; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", $"cbk_made-up-{i}");
            request.Headers.Add("X-Test-Remote", "203.0.113.9");
            using var response = await site.Anonymous().SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
            retryAfter ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response.Headers.RetryAfter?.ToString() : null;
        }

        using var served = await valid.GetAsync(path, Ct);

        Assert.Equal(20, statuses.IndexOf(HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(20), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal("3600", retryAfter);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
