using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Partners;
using Callback.Domain.Workflow;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The case page reads back everything recorded on a case (issue 15, item 1): built here as the workflow builds it, then
/// rendered in French as a colleague who did none of it would read it.
/// </summary>
public class CaseRecordTests : CallbackComponentTest
{
    private const string Narrative = "Appel de la voisine à 2 h 40. Madame Martin présente une trace au bras ; Monsieur Durand a quitté les lieux.";
    private const string AttemptNote = "Messagerie pleine, rappel prévu en soirée.";
    private const string ContactNote = "Rendez-vous médical pris pour jeudi.";
    private const string NeedInHerWords = "Un certificat médical et un rendez-vous chez un avocat.";
    private const string OfficersNote = "La sœur de Mme Martin peut l'héberger à Arras.";
    private const string ReferralNote = "Rappeler Mme Martin le matin.";

    // Monday 2 March 2026 in Paris (UTC+1): the calls at 17:15 and 18:40 UTC read 18:15 and 19:40.
    private static readonly DateTime ReviewedAt = new(2026, 3, 2, 9, 30, 0, DateTimeKind.Utc);
    private static readonly DateTime FirstCall = new(2026, 3, 2, 17, 15, 0, DateTimeKind.Utc);
    private static readonly DateTime SecondCall = new(2026, 3, 2, 18, 40, 0, DateTimeKind.Utc);

    [Fact]
    public void CaseRecord_ReadsBackEveryRecordedItem_InFrench_WithTimesInTheUnitsZone()
    {
        var model = Recorded(OffenceCategory.Threats, Officer);   // blue: everything shows

        var record = Render<CaseRecord>(p => p.Add(x => x.Model, model));
        record.Find("[data-testid=record-grid] .mud-expand-panel-header").Click();

        Assert.Equal(Narrative, record.Find("[data-testid=narrative]").TextContent.Trim());

        var attempts = record.FindAll("[data-testid=attempt]");
        Assert.Equal(2, attempts.Count);
        var first = attempts[1];   // newest first
        Assert.Equal("Pas de réponse", first.QuerySelector("[data-testid=attempt-outcome]")!.TextContent);
        Assert.Contains("18:15", first.QuerySelector("[data-testid=attempt-time]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Paul Morel", first.QuerySelector("[data-testid=attempt-officer]")!.TextContent);
        Assert.Equal(AttemptNote, first.QuerySelector("[data-testid=attempt-note-text]")!.TextContent.Trim());
        Assert.Contains("numéro habituel", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("19:40", attempts[0].QuerySelector("[data-testid=attempt-time]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Victime jointe", attempts[0].QuerySelector("[data-testid=attempt-outcome]")!.TextContent);
        Assert.Contains("Europe/Paris", record.Find("[data-testid=record-attempts]").TextContent, StringComparison.Ordinal);

        var answers = record.FindAll("[data-testid=answer]").ToDictionary(r => r.GetAttribute("data-question")!, r => r.TextContent);
        Assert.Equal(["Q01", "Q02", "Q03", "Q08", "Q09"], answers.Keys);   // the questionnaire's order
        Assert.Contains("Pouvez-vous parler en sécurité en ce moment ?", answers["Q01"], StringComparison.Ordinal);
        Assert.Contains("Oui", answers["Q01"], StringComparison.Ordinal);
        Assert.Contains("Non", answers["Q02"], StringComparison.Ordinal);
        Assert.Contains("Des soins médicaux", answers["Q08"], StringComparison.Ordinal);
        Assert.Contains(NeedInHerWords, answers["Q09"], StringComparison.Ordinal);

        var grid = record.FindAll("[data-testid=grid-answer]").ToDictionary(r => r.GetAttribute("data-item")!, r => r.TextContent);
        Assert.Equal(DangerGrid.Default.Items.Count, grid.Count);
        Assert.Contains("La victime a déjà subi des violences physiques", grid["V1"], StringComparison.Ordinal);
        Assert.Contains("Oui", grid["V1"], StringComparison.Ordinal);
        Assert.Contains("Oui", grid["V2"], StringComparison.Ordinal);
        Assert.Contains("Non", grid["V3"], StringComparison.Ordinal);
        Assert.Contains("Sans réponse", grid["V4"], StringComparison.Ordinal);
        Assert.Contains("Modéré", record.Find("[data-testid=grid-level]").TextContent, StringComparison.Ordinal);   // one red item, two yes
        var by = record.Find("[data-testid=grid-by]").TextContent;
        Assert.Contains("Julie Petit", by, StringComparison.Ordinal);
        Assert.Contains("10:30", by, StringComparison.Ordinal);

        var note = Assert.Single(record.FindAll("[data-testid=note]"));
        Assert.Contains(OfficersNote, note.TextContent, StringComparison.Ordinal);
        Assert.Equal("Julie Petit", note.QuerySelector("[data-testid=note-author]")!.TextContent);

        var referral = Assert.Single(record.FindAll("[data-testid=referral]"));
        Assert.Equal("France Victimes 62", referral.QuerySelector("[data-testid=referral-partner]")!.TextContent);
        Assert.Equal("Rendez-vous fixé", referral.QuerySelector("[data-testid=referral-status]")!.TextContent.Trim());
        Assert.Contains("Paul Morel", referral.QuerySelector("[data-testid=referral-status-since]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(ReferralNote, referral.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Appointment", record.Find("[data-testid=case-record]").TextContent, StringComparison.Ordinal);   // the status reads in French, not as its enum name
    }

    [Fact]
    public void CaseFacts_ShowTheProtectionMeasures()
    {
        var facts = Render<CaseFacts>(p => p.Add(x => x.Model, Recorded(OffenceCategory.Threats, Officer)));

        Assert.Contains("Téléphone grave danger, Ordonnance de protection", facts.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseFacts_OnAnOrangeCaseBeforeTheReveal_HideTheClosingNote_WhichIsTheCallsNote()
    {
        var facts = Render<CaseFacts>(p => p.Add(x => x.Model, Recorded(OffenceCategory.ConjugalViolence, Officer)));

        Assert.DoesNotContain(ContactNote, facts.Markup, StringComparison.Ordinal);
        Assert.Contains("Victime contactée", facts.Find("[data-testid=facts-closure]").TextContent, StringComparison.Ordinal);
        Assert.Single(facts.FindAll("[data-testid=hidden-content]"));
    }

    [Fact]
    public void CaseRecord_OnAnOrangeCaseBeforeTheReveal_HidesEveryFreeText_ButNotWhatHappened()
    {
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, Recorded(OffenceCategory.ConjugalViolence, Officer)));

        foreach (var words in new[] { Narrative, AttemptNote, ContactNote, NeedInHerWords, OfficersNote, ReferralNote, "Martin" })
        {
            Assert.DoesNotContain(words, record.Markup, StringComparison.Ordinal);
        }

        Assert.True(record.FindAll("[data-testid=hidden-content]").Count >= 5);
        Assert.Contains("s'affiche après l'ouverture de l'identité", record.Find("[data-testid=record-narrative]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, record.FindAll("[data-testid=attempt]").Count);
        Assert.Contains("Oui", record.Find("[data-testid=answer][data-question=Q01]").TextContent, StringComparison.Ordinal);
        Assert.Single(record.FindAll("[data-testid=note]"));
        Assert.Equal("Rendez-vous fixé", record.Find("[data-testid=referral-status]").TextContent.Trim());
    }

    [Fact]
    public void CaseRecord_OnAnOrangeCaseOnceRevealed_ShowsTheFreeText()
    {
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, Recorded(OffenceCategory.ConjugalViolence, Officer, revealed: true)));

        foreach (var words in new[] { Narrative, AttemptNote, ContactNote, NeedInHerWords, OfficersNote, ReferralNote })
        {
            Assert.Contains(words, record.Markup, StringComparison.Ordinal);
        }

        Assert.Empty(record.FindAll("[data-testid=hidden-content]"));
    }

    [Fact]
    public void ALongNarrative_StartsCollapsed_SaysHowLongItIs_AndOpensInFull()
    {
        var sentences = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"Constatation numéro {i} des enquêteurs."));
        var c = Open(OffenceCategory.Threats, sentences);

        var record = Render<CaseRecord>(p => p.Add(x => x.Model, new CaseContext(c, Officer, WorkflowOptions, Now, _ => Task.CompletedTask)));

        var shown = record.Find("[data-testid=narrative]").TextContent;
        Assert.DoesNotContain("numéro 40", shown, StringComparison.Ordinal);
        Assert.EndsWith("…", shown.Trim(), StringComparison.Ordinal);
        Assert.Contains($"{sentences.Length} caractères", record.Find("[data-testid=show-more]").TextContent, StringComparison.Ordinal);

        record.Find("[data-testid=show-more]").Click();

        Assert.Equal(sentences, record.Find("[data-testid=narrative]").TextContent.Trim());
    }

    [Fact]
    public void ManyCalls_ShowTheNewestFive_AndAButtonForAll()
    {
        var c = Open(OffenceCategory.Threats, null);
        Review(c, null);
        var options = new WorkflowOptions { MaxAttempts = 20 };
        for (var i = 0; i < 7; i++)
        {
            c.RecordAttempt(AttemptOutcome.NoAnswer, false, null, "officer-1", FirstCall.AddMinutes(i), new DeadlinePolicy(options));
        }

        var record = Render<CaseRecord>(p => p.Add(x => x.Model, new CaseContext(c, Officer, options, Now, _ => Task.CompletedTask)));

        Assert.Equal(AttemptList.Collapsed, record.FindAll("[data-testid=attempt]").Count);
        record.Find("[data-testid=attempts-show-all]").Click();
        // Newest first, numbered 7 down to 1 (the browser numbered each "1." before the numbers were written out).
        Assert.Equal(["7", "6", "5", "4", "3", "2", "1"], record.FindAll("[data-testid=attempt]").Select(li => li.GetAttribute("value")));
    }

    [Fact]
    public void ADispatcher_ReadsTheRecord_ButGetsNoNoteFieldAndNoStatusButtons()
    {
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, Recorded(OffenceCategory.Threats, Dispatcher)));

        Assert.Single(record.FindAll("[data-testid=note]"));
        Assert.Empty(record.FindAll("[data-testid=note-input]"));
        Assert.Empty(record.FindAll("[data-testid^=referral-set-]"));
    }

    [Fact]
    public void AnOfficer_GetsANoteField_AndOneButtonPerOtherStatus()
    {
        var record = Render<CaseRecord>(p => p.Add(x => x.Model, Recorded(OffenceCategory.Threats, Officer)));

        Assert.Single(record.FindAll("[data-testid=note-input]"));
        Assert.Equal(
            ["referral-set-Sent", "referral-set-VictimContacted", "referral-set-Done", "referral-set-Declined"],
            record.FindAll("[data-testid^=referral-set-]").Select(b => b.GetAttribute("data-testid")));
    }

    /// <summary>A case with one of everything: narrative, review with grid, an unanswered call, a reached one with answers, a note, a referral.</summary>
    private static CaseContext Recorded(OffenceCategory offence, Actor reader, bool revealed = false)
    {
        var c = Open(offence, Narrative);
        Review(c, new DangerGridAnswers().Set("V1", GridAnswer.Yes).Set("V2", GridAnswer.Yes).Set("V3", GridAnswer.No).ToJson());
        c.RecordAttempt(AttemptOutcome.NoAnswer, false, AttemptNote, "officer-2", FirstCall, Policy);
        var answers = new QuestionnaireAnswers().Set("Q01", true).Set("Q02", false).Set("Q03", false).Set("Q08", "medical").Set("Q09", NeedInHerWords);
        c.RecordContact(new ContactReport(true, DangerLevel.Moderate, false, answers.ToJson(), ContactNote), "officer-1", SecondCall, Policy);
        c.AddNote(OfficersNote, "officer-1", SecondCall.AddMinutes(5));
        var referral = Referral.Record(c.Id, new Partner("62", PartnerKind.VictimSupport, "France Victimes 62", "03 21 71 62 00"), true, "officer-1", SecondCall.AddMinutes(6), ReferralNote);
        referral.UpdateStatus(ReferralStatus.Appointment, "officer-2", SecondCall.AddHours(20));
        var review = AuditEntry.Next(AuditHead.Genesis(), new AuditRecord(ReviewedAt, "officer-1", c.Id, AuditActions.Review, "AwaitingReview", "AwaitingContact", "danger Moderate"));
        return new CaseContext(c, reader, WorkflowOptions, Now, _ => Task.CompletedTask)
        {
            IdentityRevealed = revealed,
            Timeline = [review],
            UserNames = new Dictionary<string, string> { ["officer-1"] = "Julie Petit", ["officer-2"] = "Paul Morel" },
            Referrals = [new ReferralEntry(referral, "France Victimes 62", PartnerKind.VictimSupport)],
        };
    }

    private static Case Open(OffenceCategory offence, string? narrative) =>
        Case.Open(new NewCase("62-2026-000778", ReviewedAt.AddHours(-6), offence, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.Yes), FileNotes: narrative), Unit, ReviewedAt.AddHours(-5), Policy);

    private static void Review(Case c, string? gridJson) =>
        c.Review(new ReviewFindings(TriState.Yes, false, false, false, false, TriState.No, ProtectionMeasures.ProtectionOrder | ProtectionMeasures.SeriousDangerPhone,
            DangerLevel.Moderate, false, DangerGridJson: gridJson), ReviewedAt, Policy);
}
