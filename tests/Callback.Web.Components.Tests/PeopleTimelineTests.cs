using Callback.Domain.Cases;
using Callback.Domain.People;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Issue 19 on a French case timeline, written by the real workflow on a SQLite file: a second file of the same victim,
/// the raise it brings, an officer's decision on the match. Every entry reads in French; no English record shows raw.
/// </summary>
public sealed class PeopleTimelineTests : RealDatabaseComponentTest
{
    [Fact]
    public async Task ARepeatFile_ItsRaise_AndAConfirmedMatch_ReadInFrench_OnBothTimelines()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var workflow = Database.Workflow;
        var first = await OpenAsync("62-2026-000950", "06 12 34 56 78", ct);
        var second = await OpenAsync("62-2026-000951", "+33 6 12 34 56 78", ct);
        await workflow.DecideMatchAsync(second, first, PersonRole.Victim, confirmed: true, OfficerHere, ct);

        var earlier = Timeline(await CasePageContextAsync(first, ct));
        var later = Timeline(await CasePageContextAsync(second, ct));

        // The log names the other file by id; the officer reads its reference.
        Assert.Contains("nouveau dossier 62-2026-000951 : victime par téléphone, adresse", earlier, StringComparison.Ordinal);
        Assert.Contains("victime ou auteur d'un nouveau dossier", earlier, StringComparison.Ordinal);
        Assert.Contains($"Rapprochement confirmé", earlier, StringComparison.Ordinal);
        Assert.Contains("victime, dossier 62-2026-000951", earlier, StringComparison.Ordinal);
        Assert.Contains("dossiers ouverts de la même personne : 62-2026-000950", later, StringComparison.Ordinal);
        Assert.Contains("victime, dossier 62-2026-000950", later, StringComparison.Ordinal);
        foreach (var id in new[] { first, second })
        {
            Assert.DoesNotContain(id.ToString(), earlier + later, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var english in new[] { "new file", "open files", "victim by", "repeat victimisation", ", file ", "Phone", "Address" })
        {
            Assert.DoesNotContain(english, earlier + later, StringComparison.Ordinal);
        }
    }

    private string Timeline(CaseContext context) =>
        Render<CaseTimeline>(p => p.Add(x => x.Model, context)).Find("[data-testid=timeline]").TextContent;

    private async Task<Guid> OpenAsync(string reference, string phone, CancellationToken ct) =>
        await Database.Workflow.OpenAsync("CTC-62", new NewCase(reference, TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-3), OffenceCategory.Threats,
            new Victim("Camille", "Martin", phone, "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), OfficerHere, ct);

}
