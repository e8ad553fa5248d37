using Callback.Web.Features.Supervision;

namespace Callback.Web.Components.Tests;

public class CapacityForecastPanelTests : CallbackComponentTest
{
    private static readonly DateOnly Today = new(2026, 3, 3);

    private static UnitForecast Forecast(int unitId, string code, double? compliance, int capacity, bool isDefault, int overdue, params int[] due)
    {
        var history = compliance is { } rate ? new CompliancePoint(Today.AddDays(-6), (int)(rate * 20), 20 - (int)(rate * 20)) : new CompliancePoint(Today.AddDays(-6), 0, 0);
        var days = Enumerable.Range(0, CapacityForecastService.Days).Select(i =>
        {
            var d = i < due.Length ? due[i] : 0;
            return new ForecastDay(Today.AddDays(i), d, d + (i == 0 ? overdue : 0), capacity, CapacityForecastService.ProjectedMisses(d, history.Rate));
        }).ToList();
        return new UnitForecast(unitId, code, "Cellule " + code[4..], "Europe/Paris", capacity, isDefault, overdue, history, days);
    }

    private static IReadOnlyList<UnitForecast> Known() =>
    [
        Forecast(1, "CTC-62", 0.75, 100, false, 3, 90, 120, 100),
        Forecast(2, "CTC-72", null, 100, true, 0, 10),
    ];

    [Fact]
    public void Panel_DrawsEachUnitsChart_AndItsTableInFrench()
    {
        var panel = Render<CapacityForecastPanel>(p => p.Add(x => x.Units, Known()));

        Assert.Contains("Prévision de charge sur 14 jours", panel.Find("[data-testid=capacity-forecast] h2").TextContent);
        var units = panel.FindAll("[data-testid=forecast-unit]");
        Assert.Equal(["CTC-62", "CTC-72"], units.Select(u => u.GetAttribute("data-unit")));

        var paris = units[0];
        Assert.Equal(14, paris.QuerySelectorAll("[data-testid=forecast-bar]").Length);
        Assert.Single(paris.QuerySelectorAll("[data-testid=forecast-capacity-line]"));
        // Today carries the 3 overdue calls (93 of 100: within), tomorrow 120 is over; at capacity (100) is not.
        Assert.Equal(["false", "true", "false"], paris.QuerySelectorAll("[data-testid=forecast-bar]").Take(3).Select(b => b.GetAttribute("data-over")));
        Assert.Contains("hatch", paris.QuerySelectorAll("[data-testid=forecast-bar]")[1].InnerHtml);
        Assert.Contains("Respect du délai sur les 7 derniers jours : 75 %", paris.QuerySelector("[data-testid=forecast-compliance]")!.TextContent);
        Assert.Contains("Déjà en retard : 3", paris.QuerySelector("[data-testid=forecast-overdue]")!.TextContent);
        Assert.Contains("1 jour(s) au-delà de la capacité", paris.QuerySelector("[data-testid=forecast-over-days]")!.TextContent);

        var rows = paris.QuerySelectorAll("[data-testid=forecast-row]").Select(r => r.TextContent).ToList();
        Assert.Equal(14, rows.Count);
        Assert.Contains("mardi 3 mars (aujourd'hui)", rows[0]);
        Assert.Contains("90 + 3 en retard", rows[0]);
        Assert.Contains("23", rows[0]);                                    // 90 × 25 % = 22.5, rounded up
        Assert.Contains("mercredi 4 mars", rows[1]);
        Assert.Contains("au-delà de la capacité", rows[1]);
        Assert.Contains("30", rows[1]);
        Assert.DoesNotContain("au-delà", rows[2]);

        var noHistory = units[1];
        Assert.Contains("pas d'historique, manqués non projetés", noHistory.QuerySelector("[data-testid=forecast-compliance]")!.TextContent);
        Assert.Contains("valeur par défaut", noHistory.QuerySelector("[data-testid=forecast-capacity]")!.TextContent);
        Assert.Empty(noHistory.QuerySelectorAll("[data-testid=forecast-overdue]"));
        Assert.All(noHistory.QuerySelectorAll("[data-testid=forecast-row]"), r => Assert.Contains("—", r.TextContent));
    }

    [Fact]
    public void Dashboard_ShowsTheForecastBesideTheCompliance()
    {
        var page = Render<SupervisionDashboard>(p => p.Add(x => x.Model, SupervisionModel.Empty with { NowUtc = Now }).Add(x => x.Forecast, Known()));

        var compliance = page.Find("[data-testid=compliance]");
        Assert.Equal("capacity-forecast", compliance.NextElementSibling?.GetAttribute("data-testid"));
        Assert.Equal(2, page.FindAll("[data-testid=forecast-unit]").Count);
    }

    [Fact]
    public void Panel_WithoutUnits_SaysSo()
    {
        var panel = Render<CapacityForecastPanel>(p => p.Add(x => x.Units, []));

        Assert.Contains("Aucune unité dans votre périmètre.", panel.Find("[data-testid=capacity-forecast]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=forecast-unit]"));
    }
}
