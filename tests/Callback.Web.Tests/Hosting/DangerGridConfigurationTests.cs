using Callback.Domain.Contact;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Callback.Web.Tests.Hosting;

/// <summary>The host's wiring of the danger grid, built but not started: no database is needed to read options.</summary>
public class DangerGridConfigurationTests
{
    [Fact]
    public async Task Thresholds_ComeFromTheDangerGridSection()
    {
        await using var app = Build(("DangerGrid:YesThreshold", "10"));

        var options = app.Services.GetRequiredService<IOptions<DangerGridOptions>>().Value;

        Assert.Equal(10, options.YesThreshold);
        Assert.Equal(2, options.RedThreshold);
        Assert.Same(DangerGrid.Default, app.Services.GetRequiredService<DangerGrid>());
        Assert.Same(Questionnaire.Default, app.Services.GetRequiredService<Questionnaire>());
    }

    [Fact]
    public async Task AThresholdTheGridCannotReach_IsRefused()
    {
        await using var app = Build(("DangerGrid:RedThreshold", "6"));

        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<IOptions<DangerGridOptions>>().Value);

        Assert.Equal("DangerGrid:RedThreshold must be between 1 and 5, got 6.", error.Message);
    }

    private static WebApplication Build(params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("callback-grid-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Callback"] = $"Data Source={Path.Combine(folder, "callback.db")}",
            // Built, never started: the job store's file is named but not opened, so any store would do here.
            ["ConnectionStrings:Hangfire"] = Path.Combine(folder, "hangfire.db"),
            ["Jobs:RunServer"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddCallback();
        return builder.Build();
    }
}
