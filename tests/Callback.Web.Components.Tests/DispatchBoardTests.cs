using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Web.Features.Dispatch;

namespace Callback.Web.Components.Tests;

public class DispatchBoardTests : CallbackComponentTest
{
    /// <summary>
    /// A case that reached the board with everything a file can hold: a reached call with questionnaire answers and the
    /// victim's words, attempt notes, an officer's note, danger-grid answers, a code word, names.
    /// </summary>
    private static Case FullFile()
    {
        var intervention = Now.AddHours(-30);
        var c = Case.Open(new NewCase("62-2026-000901", intervention, OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas, Arras"), new Perpetrator("Marc Durand", TriState.Yes),
            ProtectionMeasures: ProtectionMeasures.ProtectionOrder), Unit, intervention.AddHours(1), Policy);
        var safe = new SafeContact("0799999999", null, null, null, ContactChannel.Phone, NoVoicemail: true, CodeWord: "Tournesol");
        c.Review(new ReviewFindings(TriState.Yes, false, false, false, WeaponsKnown: true, TriState.Yes, ProtectionMeasures.ProtectionOrder,
            DangerLevel.High, ImmediateDanger: false, safe, "review note: neighbour heard screams", DangerGridJson: "{\"GRID-SECRET-ANSWER\":true}"), intervention.AddHours(2), Policy);
        c.RecordAttempt(AttemptOutcome.NoAnswer, true, "attempt note: rang twelve times", "officer-1", intervention.AddHours(2.5), Policy);
        c.RecordContact(new ContactReport(true, DangerLevel.Severe, PatrolNeeded: true, "{\"Q01\":\"QUESTIONNAIRE-SECRET-ANSWER\"}",
            "She said: he took my keys"), "officer-1", intervention.AddHours(3), Policy);
        c.AddNote("Internal note: sister lives nearby", "officer-1", intervention.AddHours(3.1));
        return c;
    }

    /// <summary>Issue 18: the crew hears that the file is an old one re-examined, and that a supervisor confirmed the patrol.</summary>
    [Fact]
    public void Briefing_OfAConfirmedProposal_SaysItIsAReexaminedFile_ConfirmedByASupervisor()
    {
        var opened = Now.AddDays(-15);
        var campaign = new Domain.Units.Campaign("Réexamen 2019", opened, opened.AddDays(7), opened.AddDays(14), "supervisor-1");
        var policy = new DeadlinePolicy(new WorkflowOptions { MaxAttempts = 1 });
        var c = Case.Open(new NewCase("62-2019-000904", opened.AddYears(-1), OffenceCategory.ConjugalViolence,
            new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas, Arras"), new Perpetrator("Marc Durand", TriState.No)), Unit, opened, policy, campaign);
        c.Review(new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), opened.AddHours(1), policy);
        var ordinary = PatrolBriefing.From(FullFile());
        c.RecordAttempt(AttemptOutcome.NoAnswer, false, null, "officer-1", Now.AddHours(-2), policy, governorHolds: true);
        c.ConfirmPatrol(null, Now.AddHours(-1), policy);

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(c)).Add(x => x.NowUtc, Now));
        var fresh = Render<BriefingCard>(p => p.Add(x => x.Briefing, ordinary).Add(x => x.NowUtc, Now));

        Assert.Equal("Dossier ancien d'une campagne de réexamen : patrouille retenue par la limite horaire, puis confirmée par un superviseur.",
            card.Find("[data-testid=briefing-confirmed-proposal]").TextContent.Trim());
        Assert.Empty(fresh.FindAll("[data-testid=briefing-confirmed-proposal], [data-testid=briefing-campaign]"));
    }

    [Fact]
    public void Briefing_ShowsWhatTheCrewNeeds()
    {
        var briefing = PatrolBriefing.From(FullFile());

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, briefing).Add(x => x.NowUtc, Now));

        Assert.Equal("3 rue des Lilas, Arras", card.Find("[data-testid=briefing-address]").TextContent.Trim());
        Assert.Contains("0799999999", card.Markup);                                        // the safe number, not her usual one
        Assert.DoesNotContain("0612345678", card.Markup);
        Assert.Contains("Oui", card.Find("[data-testid=briefing-weapons]").TextContent);
        Assert.Contains("Grave", card.Find("[data-testid=briefing-danger]").TextContent);
        Assert.StartsWith("2 — Victime jointe, Pas de réponse", card.Find("[data-testid=briefing-attempts]").TextContent.Trim());
        Assert.Equal("Danger révélé pendant l'appel", card.Find("[data-testid=briefing-reason]").TextContent.Trim());
        Assert.Contains("mot convenu existe", card.Markup);
        Assert.Contains("demandée il y a 1 j 3 h", card.Find("[data-testid=briefing-waiting]").TextContent);
    }

    [Fact]
    public void Briefing_OnAnEnglishPage_GivesTheReasonInEnglish()
    {
        var briefing = PatrolBriefing.From(FullFile());
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("en-GB");

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, briefing).Add(x => x.NowUtc, Now));

        Assert.Equal("Danger revealed during the call", card.Find("[data-testid=briefing-reason]").TextContent.Trim());
    }

    [Fact]
    public void Briefing_OfAnOfficersRequest_TranslatesTheCode_AndKeepsTheOfficersWords()
    {
        var c = CaseIn(CaseState.AwaitingContact);
        c.RequestPatrol("voisin inquiet", Now, Policy);

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, PatrolBriefing.From(c)).Add(x => x.NowUtc, Now));

        Assert.Equal("Demandée par un agent : voisin inquiet", card.Find("[data-testid=briefing-reason]").TextContent.Trim());
    }

    [Fact]
    public void Briefing_LeavesTheRestOfTheFileOut()
    {
        var briefing = PatrolBriefing.From(FullFile());

        var card = Render<BriefingCard>(p => p.Add(x => x.Briefing, briefing).Add(x => x.NowUtc, Now));

        foreach (var secret in new[]
                 {
                     "QUESTIONNAIRE-SECRET-ANSWER", "he took my keys", "GRID-SECRET-ANSWER", "rang twelve times", "sister lives nearby",
                     "neighbour heard screams", "Tournesol", "Camille", "Martin", "Marc Durand",
                 })
        {
            Assert.DoesNotContain(secret, card.Markup, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Board_ShowsRequestsInTheOrderGiven_HighlightsTheNewOne_AndOffersTheRightAction()
    {
        var oldest = PatrolBriefing.From(CaseIn(CaseState.PatrolDispatched)) with { FileReference = "A-oldest", RequestedAtUtc = Now.AddMinutes(-50), DueAtUtc = Now.AddHours(1) };
        var middle = PatrolBriefing.From(CaseIn(CaseState.PatrolRequested)) with { Id = Guid.NewGuid(), FileReference = "B-middle", RequestedAtUtc = Now.AddMinutes(-20), DueAtUtc = Now.AddMinutes(-5) };
        var newest = PatrolBriefing.From(CaseIn(CaseState.PatrolRequested)) with { Id = Guid.NewGuid(), FileReference = "C-newest", RequestedAtUtc = Now.AddSeconds(-3), DueAtUtc = Now.AddMinutes(10) };

        var board = Render<DispatchBoard>(p => p
            .Add(x => x.Rows, new[] { oldest, middle, newest })
            .Add(x => x.NowUtc, Now)
            .Add(x => x.Highlighted, new HashSet<Guid> { newest.Id }));

        var cards = board.FindAll("[data-testid=briefing]");
        Assert.Equal(["A-oldest", "B-middle", "C-newest"], cards.Select(c => c.GetAttribute("data-reference")));
        Assert.Equal([false, false, true], cards.Select(c => c.ClassList.Contains("briefing-new")));
        Assert.Equal([false, true, false], cards.Select(c => c.ClassList.Contains("briefing-overdue")));
        Assert.Empty(cards[0].QuerySelectorAll("[data-testid=dispatch]"));
        Assert.Single(cards[0].QuerySelectorAll("[data-testid=outcome-submit]"));
        Assert.Single(cards[2].QuerySelectorAll("[data-testid=dispatch]"));
    }
    [Fact]
    public void Order_PutsUnacknowledgedFirst_ThenAcknowledgedAwaitingACrew_ThenPatrolsUnderWay_EachByDangerThenAge()
    {
        PatrolBriefing Row(string reference, CaseState state, DangerLevel danger, int minutesAgo, bool acknowledged = false) =>
            PatrolBriefing.From(CaseIn(state)) with
            {
                Id = Guid.NewGuid(), FileReference = reference, Danger = danger, RequestedAtUtc = Now.AddMinutes(-minutesAgo),
                AcknowledgedAtUtc = acknowledged ? Now.AddMinutes(-minutesAgo / 2) : null,
            };

        var ordered = DispatchBoardService.Order(
        [
            Row("dispatched-severe-old", CaseState.PatrolDispatched, DangerLevel.Severe, 90),
            Row("requested-low-old", CaseState.PatrolRequested, DangerLevel.Low, 60),
            Row("dispatched-low-older", CaseState.PatrolDispatched, DangerLevel.Low, 120),
            Row("requested-high-new", CaseState.PatrolRequested, DangerLevel.High, 1),
            Row("acknowledged-low-old", CaseState.PatrolRequested, DangerLevel.Low, 50, acknowledged: true),
            Row("requested-severe-new", CaseState.PatrolRequested, DangerLevel.Severe, 2),
            Row("acknowledged-high-new", CaseState.PatrolRequested, DangerLevel.High, 10, acknowledged: true),
            Row("requested-high-old", CaseState.PatrolRequested, DangerLevel.High, 30),
            Row("dispatched-low-newer", CaseState.PatrolDispatched, DangerLevel.Low, 20),
        ]);

        Assert.Equal(["requested-severe-new", "requested-high-old", "requested-high-new", "requested-low-old",
            "acknowledged-high-new", "acknowledged-low-old",
            "dispatched-severe-old", "dispatched-low-older", "dispatched-low-newer"],
            ordered.Select(b => b.FileReference));
    }

    [Fact]
    public void Board_ListsEveryRequestToAcknowledge_OnOneLineEachAboveTheCards_NewOnesMarked_LinkedToTheirCard()
    {
        var dispatched = PatrolBriefing.From(CaseIn(CaseState.PatrolDispatched)) with { Id = Guid.NewGuid(), FileReference = "A-dispatched" };
        var waiting = PatrolBriefing.From(CaseIn(CaseState.PatrolRequested)) with { Id = Guid.NewGuid(), FileReference = "B-waiting", RequestedAtUtc = Now.AddMinutes(-20), DueAtUtc = Now.AddMinutes(-5) };
        var fresh = PatrolBriefing.From(CaseIn(CaseState.PatrolRequested)) with { Id = Guid.NewGuid(), FileReference = "C-new", RequestedAtUtc = Now.AddSeconds(-3), DueAtUtc = Now.AddMinutes(10) };

        var board = Render<DispatchBoard>(p => p
            .Add(x => x.Rows, new[] { waiting, fresh, dispatched })
            .Add(x => x.NowUtc, Now)
            .Add(x => x.Highlighted, new HashSet<Guid> { fresh.Id }));

        Assert.Equal("Demandes à prendre en compte (2)", board.Find("[data-testid=board-waiting] h2").TextContent.Trim());
        var rows = board.FindAll("[data-testid=waiting-row]");
        Assert.Equal(["B-waiting", "C-new"], rows.Select(r => r.GetAttribute("data-reference")));
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=waiting-new]"));
        Assert.Equal("Nouvelle", rows[1].QuerySelector("[data-testid=waiting-new]")!.TextContent.Trim());
        Assert.Contains("Prise en compte en retard", rows[0].TextContent);
        Assert.Equal($"dispatch#briefing-{fresh.Id}", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.NotNull(board.Find($"#briefing-{fresh.Id}[data-testid=briefing]"));
    }
}
