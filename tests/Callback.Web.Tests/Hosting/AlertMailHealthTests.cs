using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Callback.Domain.Notifications;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

public class AlertMailHealthTests
{
    /// <summary>An SMTP server that does not answer: the host's own sender fails, and /health says so (Degraded, still 200).</summary>
    [Fact]
    public async Task Health_WhenAlertMailsFail_IsDegradedAndNamesTheFailure()
    {
        var deadPort = FreePort();
        await using var factory = new CallbackFactory(configure: b =>
        {
            FixedRemoteAddress.From(b, IPAddress.Loopback);
            b.UseSetting("Smtp:Host", "127.0.0.1");
            b.UseSetting("Smtp:Port", deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Smtp:Security", "None");
            b.UseSetting("Smtp:PollInterval", "00:00:00.200");
        });
        using var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var databases = factory.Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        await using (var db = await databases.CreateDbContextAsync(ct))
        {
            db.OutboxMessages.Add(new OutboxMessage(AlertOutbox.JobStoreDown, "cellule.62@example.fr", null, null, null, null, null, factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
        }

        JsonElement check;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage response;
        do
        {
            await Task.Delay(200, ct);
            response = await client.GetAsync(new Uri("/health", UriKind.Relative), ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            check = json.RootElement.GetProperty("checks").GetProperty("alertMail").Clone();
        }
        while (check.GetProperty("status").GetString() != "Degraded" && waited.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("failed", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, check.GetProperty("data").GetProperty("failing").GetInt32());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
