using Callback.Domain.Intake;
using Microsoft.EntityFrameworkCore;

using static Callback.Testing.ImportFixture;

namespace Callback.Domain.Tests.Intake;

/// <summary>Control, bidirectional and zero-width characters are refused in every text of a new case, by every way in.</summary>
public sealed class UnsafeCharactersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>NUL, BEL, ESC, DEL, a C1 control, each bidi override and isolate, each zero-width character.</summary>
    public static TheoryData<char> Forbidden =>
        ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\u009B', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
         '\u2066', '\u2067', '\u2068', '\u2069', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];

    private static CaseSubmission Good(string reference) => new()
    {
        Reference = reference,
        InterventionAt = "01/03/2026 22:15",
        Offence = "VIOLENCES_CONJUGALES",
        VictimLastName = "Martin",
        VictimFirstName = "Camille",
        VictimPhone = "06 12 34 56 78",
        VictimAddress = "3 rue Haute\n62000 Arras",
        PerpetratorName = "Paul Martin",
        Cohabitation = "non",
        PenalResponse = "non",
        Children = "inconnu",
        Notes = "premier appel\tsans réponse\r\nrappeler",
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task Submit_RefusesTheCharacterInEveryTextField_NamingTheFieldAndTheCharacter(char forbidden)
    {
        await using var h = await Harness.CreateAsync();
        var intake = new CaseIntake(h.Databases, h.Clock, h.Workflow);
        var fields = ImportColumns.All.Select(c => c.Field).Where(f => f != ImportField.Unit).ToList();
        var batch = fields.Select((field, i) =>
        {
            var submission = Good($"62-U-{i}");
            submission[field] = (submission[field] ?? "x") + forbidden + "y";
            return submission;
        }).ToList();

        var results = await intake.SubmitAsync(batch, "CTC-62", h.OfficerA, Ct);

        var code = $"U+{(int)forbidden:X4}";
        for (var i = 0; i < fields.Count; i++)
        {
            Assert.Equal(IntakeOutcome.Rejected, results[i].Outcome);
            var problem = Assert.Single(results[i].Problems);
            Assert.Equal(ImportColumns.Of(fields[i]).English, problem.Field);
            Assert.Contains($"invisible or control character ({code})", problem.Reason, StringComparison.Ordinal);
        }

        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.Cases.CountAsync(Ct));
    }

    [Fact]
    public async Task Submit_KeepsTabsAndLineBreaksInMultiLineFields_AndAccentsEverywhere()
    {
        await using var h = await Harness.CreateAsync();
        var intake = new CaseIntake(h.Databases, h.Clock, h.Workflow);
        var submission = Good("62-U-ok");
        submission.VictimLastName = "Lefèvre-Ñúñez";

        var result = await intake.SubmitAsync(submission, "CTC-62", h.OfficerA, Ct);

        Assert.Equal(IntakeOutcome.Created, result.Outcome);
    }

    [Fact]
    public void Check_RefusesATabInAOneLineField()
    {
        Assert.Equal('\t', UnsafeCharacters.FirstIn("Mar\ttin", multiline: false));
        Assert.Null(UnsafeCharacters.FirstIn("note\tà\r\nsuivre", multiline: true));
    }

    [Fact]
    public async Task Import_RefusesTheRowHoldingTheCharacter_NamingItsLineAndColumn_AndKeepsTheOthers()
    {
        await using var h = await Harness.CreateAsync();

        var report = await h.ImportAsync(File(Row("62-1"), Row("62-2", lastName: "Dupont\u202Eenip"), Row("62-3", notes: "ok\u200B"), Row("62-4\u0007")));

        Assert.Equal([(3, "victime_nom"), (4, "notes"), (5, "reference")], report.Rejections.Select(r => (r.Line, r.Field)));
        Assert.All(report.Rejections, r => Assert.Contains("invisible or control character", r.Reason, StringComparison.Ordinal));
        Assert.Equal(["62-1"], report.Created.Select(r => r.Reference));
    }
}
