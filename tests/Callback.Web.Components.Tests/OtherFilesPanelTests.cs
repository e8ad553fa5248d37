using Callback.Domain.Cases;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

/// <summary>
/// A person with many files: the panel lists the first ten and offers the others on request, so that every action on
/// the case does not redraw dozens of lines (written by the real workflow on a SQLite file).
/// </summary>
public sealed class OtherFilesPanelTests : RealDatabaseComponentTest
{
    [Fact]
    public async Task AVictimWithThirteenFiles_ShowsTenOfTheOthers_ThenAllTwelveOnRequest()
    {
        var panel = await PanelOfTheLastAsync(13, "62-2026-0010");
        panel.WaitForAssertion(() => Assert.Equal(10, panel.FindAll("[data-testid=other-file]").Count));
        // The newest first: the file opened just before this one leads, the oldest two wait behind the button.
        Assert.Contains("62-2026-001011", panel.FindAll("[data-testid=other-file]")[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("62-2026-001000", panel.Markup, StringComparison.Ordinal);
        var more = panel.Find("[data-testid=other-files-more]");
        Assert.Equal("Afficher les 2 autres dossiers", more.TextContent.Trim());

        more.Click();

        var lines = panel.FindAll("[data-testid=other-file]");
        Assert.Equal(12, lines.Count);
        Assert.Contains("62-2026-001000", lines[^1].TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=other-files-more]"));
        // The button is gone: the focus goes to the first file it revealed (the eleventh line).
        var focus = Assert.Single(JSInterop.Invocations, i => i.Identifier == "callback.focus");
        Assert.Equal("[data-testid=other-files] li:nth-child(11) a", focus.Arguments[0]);
        Assert.Equal("62-2026-001001", panel.Find("[data-testid=other-files] li:nth-child(11) a").TextContent.Trim());
    }

    [Fact]
    public async Task ElevenOtherFiles_OfferTheOtherOne_InTheSingular()
    {
        var panel = await PanelOfTheLastAsync(12, "62-2026-0030");
        panel.WaitForAssertion(() => Assert.Equal(10, panel.FindAll("[data-testid=other-file]").Count));
        Assert.Equal("Afficher l'autre dossier", panel.Find("[data-testid=other-files-more]").TextContent.Trim());
    }

    [Fact]
    public async Task TenOtherFiles_ShowWithoutAButton()
    {
        var panel = await PanelOfTheLastAsync(11, "62-2026-0020");
        panel.WaitForAssertion(() => Assert.Equal(10, panel.FindAll("[data-testid=other-file]").Count));
        Assert.Empty(panel.FindAll("[data-testid=other-files-more]"));
    }

    /// <summary>Opens <paramref name="files"/> files of the same victim (references <paramref name="prefix"/>00, 01...) and shows the panel of the last.</summary>
    private async Task<IRenderedComponent<OtherFilesPanel>> PanelOfTheLastAsync(int files, string prefix)
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var last = Guid.Empty;
        for (var i = 0; i < files; i++)
        {
            last = await OpenAsync($"{prefix}{i:D2}", ct);
        }

        var context = await CasePageContextAsync(last, ct);
        return Render<OtherFilesPanel>(p => p.Add(x => x.Model, context));
    }

    private async Task<Guid> OpenAsync(string reference, CancellationToken ct) =>
        await Database.Workflow.OpenAsync("CTC-62", new NewCase(reference, TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-3), OffenceCategory.Threats,
            new Victim("Camille", "Martin", "06 12 34 56 78", "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), OfficerHere, ct);

}
