using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Web.Features.Cases;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The follow-up on the case page (issue 17), clicked on a real SQLite file: the decision after a contact, the shorter
/// check-in questionnaire with the grid run again, the dated measures, and cohabitation resolved during the call.
/// </summary>
public sealed class FollowUpPanelsTests : RealDatabaseComponentTest
{
    private int _references;

    private DateTime UtcNow => Database.Clock.GetUtcNow().UtcDateTime;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterAModerateContact_TheOfficerIsOfferedTheFollowUpFirst_AndRecordingItStartsThePlan()
    {
        var id = await ReviewedAsync(DangerLevel.Moderate, TriState.No);
        var shownFirst = Context(await ReadAsync(id));
        var form = Render<ContactForm>(p => p.Add(x => x.Model, shownFirst));

        var choices = form.FindAll("[data-testid=contact-then] input[type=radio]").Select(r => r.GetAttribute("data-testid") ?? "").ToArray();
        Assert.Equal(["then-FollowUp", "then-Close", "then-Declined"], choices);
        Assert.True(form.Find("[data-testid=then-FollowUp]").HasAttribute("checked"));
        Assert.Contains("J+7, J+30", form.Find("[data-testid=contact-then]").TextContent, StringComparison.Ordinal);

        await form.Find("[data-testid=answer-Q01-yes]").ChangeAsync(new() { Value = "yes" });
        await form.Find("[data-testid=contact-submit]").ClickAsync(new());

        var read = await ReadAsync(id);
        Assert.Equal(CaseState.FollowUp, read.State);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.StartFollowUp));
    }

    [Fact]
    public async Task AfterALowContact_WithNoMeasure_ThereIsNoPlanToOffer()
    {
        var id = await ReviewedAsync(DangerLevel.Low, TriState.No);
        var shownFirst = Context(await ReadAsync(id));
        var form = Render<ContactForm>(p => p.Add(x => x.Model, shownFirst));

        Assert.Empty(form.FindAll("[data-testid=then-FollowUp]"));
        Assert.True(form.Find("[data-testid=then-Close]").HasAttribute("checked"));
    }

    [Fact]
    public async Task ACheckIn_AsksTheShorterSet_AndAGridRunAgainThatFindsDanger_TightensThePlan()
    {
        var id = await UnderFollowUpAsync();
        var before = await ReadAsync(id);
        var form = Render<ContactForm>(p => p.Add(x => x.Model, Context(before)));

        Assert.Contains("Point de suivi n° 1", form.Find("[data-testid=check-in-title]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(form.FindAll("[data-testid=question-C01]"));
        // The first call's longer questions (her complaint, her support) are not asked again.
        Assert.Empty(form.FindAll("[data-testid=question-Q10]"));

        await form.Find("[data-testid=answer-Q01-yes]").ChangeAsync(new() { Value = "yes" });
        await form.Find("[data-testid=rerun-grid] input, input[data-testid=rerun-grid]").ChangeAsync(new() { Value = true });
        // Every red item answered yes: danger established, the grid suggests the highest level.
        var reds = form.FindAll(".grid-red input[data-testid$='-yes']").Select(r => r.GetAttribute("data-testid")).ToList();
        Assert.NotEmpty(reds);
        foreach (var red in reds)
        {
            // Found again each time: every answer draws the grid anew.
            await form.Find($"[data-testid='{red}']").ChangeAsync(new() { Value = "on" });
        }

        await form.Find("[data-testid=contact-submit]").ClickAsync(new());

        var after = await ReadAsync(id);
        Assert.Equal(CaseState.FollowUp, after.State);
        Assert.Equal(1, after.CheckInsDone);
        Assert.True(after.Danger >= DangerLevel.High, $"the grid run again left the case at {after.Danger}");
        Assert.NotNull(after.DangerGridJson);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.RecordCheckIn));
    }

    [Fact]
    public async Task AMeasureAdded_IsListedWithItsCheckIn_AuditedOnce_AndABadDateIsNamed()
    {
        var id = await UnderFollowUpAsync();
        var shownFirst = Context(await ReadAsync(id));
        var panel = Render<MeasuresPanel>(p => p.Add(x => x.Model, shownFirst));
        var release = UtcNow.Date.AddDays(20);

        panel.Find("[data-testid=measure-ends] input, input[data-testid=measure-ends]").Change("45/13/2026");
        await panel.Find("[data-testid=measure-save]").ClickAsync(new());
        Assert.Contains("Fin : date invalide", panel.Find("[data-testid=measure-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await AuditedAsync(id, AuditActions.AddMeasure));

        // As a French officer types it.
        panel.Find("[data-testid=measure-ends] input, input[data-testid=measure-ends]").Change(release.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await panel.Find("[data-testid=measure-save]").ClickAsync(new());

        var read = await ReadAsync(id);
        var measure = Assert.Single(read.Measures);
        Assert.Equal(MeasureKind.ProtectionOrder, measure.Kind);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.AddMeasure));
        // Its end calls for a check-in a week before: the next one comes sooner than the plan's J+7 would have.
        Assert.True(read.ContactWindowOpensAtUtc <= release.AddDays(-7).AddDays(1), $"next check-in opens {read.ContactWindowOpensAtUtc:O}");

        var shown = Render<MeasuresPanel>(p => p.Add(x => x.Model, Context(read)));
        Assert.Contains("Ordonnance de protection", shown.Find("[data-testid=measure-1]").TextContent, StringComparison.Ordinal);
        await shown.Find("[data-testid=measure-remove-1]").ClickAsync(new());
        Assert.Empty((await ReadAsync(id)).Measures);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.RemoveMeasure));
    }

    [Fact]
    public async Task CohabitationUnknown_IsAWarningToResolve_AndYesMakesTheContactDueAtOnce()
    {
        var id = await ReviewedAsync(DangerLevel.Moderate, TriState.Unknown);
        var before = await ReadAsync(id);
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, Context(before)));
        Assert.Contains("inconnue", panel.Find("[data-testid=cohabitation-unknown]").TextContent, StringComparison.Ordinal);

        await panel.Find("[data-testid=cohabitation-set-yes]").ClickAsync(new());

        var after = await ReadAsync(id);
        Assert.Equal(TriState.Yes, after.Perpetrator.Cohabiting);
        Assert.True(after.DueAtUtc < before.DueAtUtc, $"due {after.DueAtUtc:O}, was {before.DueAtUtc:O}");
        Assert.True(after.DueAtUtc <= UtcNow + WorkflowOptions.HighDangerContactDeadline);
        Assert.Equal(1, await AuditedAsync(id, AuditActions.UpdateFacts));
        var shown = Render<CallPanel>(p => p.Add(x => x.Model, Context(after)));
        Assert.NotEmpty(shown.FindAll("[data-testid=cohabitation-yes]"));
        Assert.Empty(shown.FindAll("[data-testid=cohabitation-unknown]"));
    }

    private async Task<Guid> ReviewedAsync(DangerLevel danger, TriState cohabiting)
    {
        var workflow = Database.Workflow;
        var id = await workflow.OpenAsync("CTC-62", new NewCase($"62-2026-{900 + ++_references:000000}", UtcNow.AddHours(-3), OffenceCategory.Threats,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"), new Perpetrator("Marc Durand", cohabiting)), OfficerHere, Ct);
        var c = await workflow.GetAsync(id, OfficerHere, Ct);
        await workflow.ReviewAsync(id, c.Version, new ReviewFindings(cohabiting, false, false, false, false, TriState.No, ProtectionMeasures.None, danger, false), OfficerHere, Ct);
        return id;
    }

    private async Task<Guid> UnderFollowUpAsync()
    {
        var id = await ReviewedAsync(DangerLevel.Moderate, TriState.No);
        var c = await ReadAsync(id);
        await Database.Workflow.RecordContactAsync(id, c.Version, new ContactReport(false, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, OfficerHere, Ct);
        return id;
    }

    private Task<Case> ReadAsync(Guid id) => Database.Workflow.GetAsync(id, OfficerHere, Ct);

    /// <summary>As the case page builds it: actions carry the version shown.</summary>
    private CaseContext Context(Case shown) =>
        new(shown, OfficerHere, WorkflowOptions, UtcNow, action => action(OfficerHere, shown.Version));

    private async Task<int> AuditedAsync(Guid id, string action)
    {
        await using var db = await Database.Databases.CreateDbContextAsync(Ct);
        return await db.AuditEntries.CountAsync(e => e.CaseId == id && e.Action == action, Ct);
    }
}
