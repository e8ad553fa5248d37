using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Features.Cases;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Components.Tests;

/// <summary>
/// An impatient officer: the patrol-request button clicked a hundred times before the first click's save returns, on a
/// real SQLite file. Every click carries the version the page was showing, as the case page does until it reloads.
/// </summary>
public sealed class RapidClickTests : RealDatabaseComponentTest
{
    private const int Clicks = 100;

    [Fact]
    public async Task AHundredClicksOnRequestPatrol_RequestOnePatrol()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var workflow = Services.GetRequiredService<CaseWorkflowService>();
        var officer = OfficerHere;
        var id = await workflow.OpenAsync("CTC-62", new NewCase("62-2026-000900", TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-30), OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), officer, ct);
        var shown = await workflow.GetAsync(id, officer, ct);
        int applied = 0, conflicts = 0;
        var context = new CaseContext(shown, officer, WorkflowOptions, TimeProvider.System.GetUtcNow().UtcDateTime, async action =>
        {
            try
            {
                await action(officer, shown.Version);
                applied++;
            }
            catch (CaseConflictException)
            {
                conflicts++;
            }
        });
        var panel = Render<CaseActions>(p => p.Add(x => x.Model, context));
        panel.Find("[data-testid=action-RequestPatrol] .mud-expand-panel-header").Click();
        panel.Find("[data-testid=patrol-reason] textarea, textarea[data-testid=patrol-reason]").Input("she does not answer");

        var clicks = new List<Task>();
        for (var i = 0; i < Clicks; i++)
        {
            clicks.Add(panel.Find("[data-testid=patrol-submit]").ClickAsync(new MouseEventArgs()));
        }

        await Task.WhenAll(clicks);

        Assert.Equal(1, applied);
        Assert.Equal(Clicks - 1, conflicts);
        await using var db = await Database.Databases.CreateDbContextAsync(ct);
        Assert.Equal(CaseState.PatrolRequested, (await db.Cases.SingleAsync(c => c.Id == id, ct)).State);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.RequestPatrol), ct));
    }
}
