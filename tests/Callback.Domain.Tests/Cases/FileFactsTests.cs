using Callback.Domain.Cases;

using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Cases;

public class FileFactsTests
{
    private static FileFacts Newer(Case c, string? phone = null, string? notes = null, TriState cohabiting = TriState.Unknown, bool? penal = null) =>
        c.FileFacts with { VictimPhone = phone ?? c.Victim.Phone, Notes = notes, Cohabiting = cohabiting, PenalResponse = penal };

    [Fact]
    public void UpdateFileFacts_OnACaseAwaitingContact_ChangesTheFactsButNotTheStateNorTheDeadlines()
    {
        var c = In(CaseState.AwaitingContact);
        var (state, due, opens, alarm, version) = (c.State, c.DueAtUtc, c.ContactWindowOpensAtUtc, c.Alarm, c.AlarmVersion);
        var now = Intervention.AddDays(3);

        var changed = c.UpdateFileFacts(Newer(c, phone: "+33699887766", notes: "nouvelle adresse connue", penal: true), now);

        Assert.Equal(["victim phone", "penal response", "notes"], changed);
        Assert.Equal("+33699887766", c.Victim.Phone);
        Assert.Equal("nouvelle adresse connue", c.FileNotes);
        Assert.True(c.PenalResponse);
        Assert.Equal((state, due, opens, alarm, version), (c.State, c.DueAtUtc, c.ContactWindowOpensAtUtc, c.Alarm, c.AlarmVersion));
    }

    [Fact]
    public void UpdateFileFacts_RecordsOneEventNamingTheFactsAndNotTheirValues()
    {
        var c = In(CaseState.AwaitingContact);
        var before = c.PendingEvents.Count;
        var now = Intervention.AddDays(3);

        c.UpdateFileFacts(Newer(c, phone: "+33699887766"), now);

        var e = Assert.Single(c.PendingEvents.Skip(before));
        Assert.Equal(new CaseEvent("UpdateFacts", CaseState.AwaitingContact, CaseState.AwaitingContact, "victim phone", now), e);
        Assert.DoesNotContain("99887766", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateFileFacts_WithBlankCellsAndUnknownAnswers_KeepsWhatTheCaseKnows()
    {
        var c = In(CaseState.AwaitingReview);
        c.UpdateFileFacts(Newer(c, notes: "premier passage", cohabiting: TriState.No, penal: false), Intervention.AddDays(1));
        var before = c.PendingEvents.Count;
        var silent = new FileFacts(c.Victim.FirstName, c.Victim.LastName, null, "  ", null, TriState.Unknown, null, TriState.Unknown, "");

        var changed = c.UpdateFileFacts(silent, Intervention.AddDays(2));

        Assert.Empty(changed);
        Assert.Equal(before, c.PendingEvents.Count);
        Assert.Equal("0612345678", c.Victim.Phone);
        Assert.Equal("3 rue des Lilas, Arras", c.Victim.Address);
        Assert.Equal("Marc Durand", c.Perpetrator.Name);
        Assert.Equal(TriState.No, c.Perpetrator.Cohabiting);
        Assert.False(c.PenalResponse);
        Assert.Equal("premier passage", c.FileNotes);
    }

    [Fact]
    public void UpdateFileFacts_BeforeTheReview_TakesCohabitationAndChildrenFromTheFile_AfterItKeepsTheReviewsFindings()
    {
        var waiting = In(CaseState.AwaitingReview);
        var reviewed = In(CaseState.AwaitingContact);
        Assert.Equal((TriState.No, TriState.Yes), (reviewed.Perpetrator.Cohabiting, reviewed.ChildrenPresent));

        var beforeReview = waiting.UpdateFileFacts(waiting.FileFacts with { Cohabiting = TriState.Yes, ChildrenPresent = TriState.No }, Intervention.AddDays(1));
        var afterReview = reviewed.UpdateFileFacts(reviewed.FileFacts with { Cohabiting = TriState.Yes, ChildrenPresent = TriState.No }, Intervention.AddDays(1));

        Assert.Equal(["cohabitation", "children"], beforeReview);
        Assert.Equal((TriState.Yes, TriState.No), (waiting.Perpetrator.Cohabiting, waiting.ChildrenPresent));
        Assert.Empty(afterReview);
        Assert.Equal((TriState.No, TriState.Yes), (reviewed.Perpetrator.Cohabiting, reviewed.ChildrenPresent));
    }

    [Fact]
    public void UpdateFileFacts_OnAClosedCase_LeavesItClosed()
    {
        var c = In(CaseState.Closed);

        c.UpdateFileFacts(Newer(c, notes: "complément du parquet"), Intervention.AddDays(5));

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Null(c.Alarm);
        Assert.Equal("complément du parquet", c.FileNotes);
    }

    [Fact]
    public void Open_KeepsTheFileNotesTrimmed_AndFileFactsReadThemBack()
    {
        var c = Case.Open(Facts() with { FileNotes = "  =HYPERLINK(\"http://x\")\n  " }, Unit, Intervention.AddHours(1), Policy);

        Assert.Equal("=HYPERLINK(\"http://x\")", c.FileNotes);
        Assert.Equal(c.FileNotes, c.FileFacts.Notes);
        Assert.Equal(new FileFacts("Camille", "Martin", "0612345678", "3 rue des Lilas, Arras", "Marc Durand", TriState.Unknown, null, TriState.Unknown, c.FileNotes), c.FileFacts);
    }
}
