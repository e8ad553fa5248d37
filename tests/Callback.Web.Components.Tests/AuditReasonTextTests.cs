using System.Globalization;
using System.Reflection;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.People;
using Callback.Web.Features.Cases;
using Callback.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The audit records stay English (ADR 9); the case timeline and the audit page read them in French. The forms are taken
/// from a case driven through the domain, so a reworded record fails here instead of reaching a French page raw.
/// </summary>
public class AuditReasonTextTests : CallbackComponentTest
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 30, 0, DateTimeKind.Utc);

    private IStringLocalizer<Text> L => Services.GetRequiredService<IStringLocalizer<Text>>();

    private static string Paris(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).ToString("g", CultureInfo.CurrentCulture);

    public static TheoryData<string> EveryAction()
    {
        var actions = new TheoryData<string>();
        foreach (var field in typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name != nameof(AuditActions.AlertPrefix)))
        {
            actions.Add((string)field.GetRawConstantValue()!);
        }

        foreach (var kind in Enum.GetValues<DeadlineKind>())
        {
            actions.Add(AuditActions.Alert(kind));
        }

        return actions;
    }

    [Theory]
    [MemberData(nameof(EveryAction))]
    public void EveryAuditAction_HasALabel_InFrenchAndInEnglish(string action)
    {
        var french = AuditReasonText.Action(action, L);
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        var english = AuditReasonText.Action(action, L);

        Assert.NotEqual(action, french);
        Assert.NotEqual(action, english);
        Assert.NotEqual(french, english);
    }

    [Fact]
    public void FilesNamedById_ReadByReference_AndAFileOutsideTheScope_IsNotNamed()
    {
        var known = Guid.CreateVersion7();
        var outside = Guid.CreateVersion7();
        var reason = AuditReasonText.Reason(AuditActions.RepeatVictimisation, $"open files {known}, {outside}", L, Paris)!;

        Assert.Equal([known, outside], AuditReasonText.FilesNamed($"open files {known}, {outside}"));
        Assert.Equal(
            "dossiers ouverts de la même personne : 62-2026-000950, un dossier hors de votre périmètre",
            AuditReasonText.NamingFiles(reason, new Dictionary<Guid, string> { [known] = "62-2026-000950" }, L["FileOutsideScope"]));
        Assert.Empty(AuditReasonText.FilesNamed("NoAnswer, 1 of 3 without contact"));
    }

    [Fact]
    public void ACaseThroughReviewCallsAndPatrol_ReadsInFrench()
    {
        var options = new WorkflowOptions { MaxAttempts = 2 };
        var policy = new DeadlinePolicy(options);
        var c = Case.Open(new NewCase("62-2026-000901", At.AddHours(-6), OffenceCategory.Threats, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.Yes)), Unit, At.AddHours(-5), policy);
        c.Review(new ReviewFindings(TriState.Yes, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), At, policy);
        c.RecordAttempt(AttemptOutcome.NoAnswer, false, null, "officer-1", At.AddHours(1), policy);
        c.RecordAttempt(AttemptOutcome.Voicemail, false, null, "officer-1", At.AddHours(2), policy);
        c.Dispatch("Alpha 12", At.AddHours(3), policy);
        c.ReportPatrolOutcome(PatrolOutcome.VictimSafeAndSeen, "Elle va bien.", At.AddHours(4), policy);

        var read = c.PendingEvents.Select(e => (e.Action, Text: AuditReasonText.Reason(e.Action, e.Reason, L, Paris))).ToList();

        Assert.Contains((AuditActions.Review, "danger Modéré"), read);
        Assert.Contains((AuditActions.RecordAttempt, "Pas de réponse, 1 sur 2 sans contact"), read);
        Assert.Contains((AuditActions.RecordAttempt, "Messagerie, 2 sur 2 sans contact"), read);
        Assert.Contains((AuditActions.MaxAttemptsReached, "2 appels sans contact"), read);
        Assert.Contains((AuditActions.Dispatch, "équipage Alpha 12"), read);
        Assert.Contains(read, r => r.Action == AuditActions.ReportOutcome && r.Text!.EndsWith(" : Elle va bien.", StringComparison.Ordinal) && !r.Text.Contains("VictimSafeAndSeen", StringComparison.Ordinal));
    }

    /// <summary>Issue 18: a campaign case held back by the governor, confirmed, closed, then reopened into a crisis campaign, reads in French.</summary>
    [Fact]
    public void ACampaignCaseThroughTheGovernor_ReadsInFrench()
    {
        var policy = new DeadlinePolicy(new WorkflowOptions { MaxAttempts = 1 });
        var campaign = new Domain.Units.Campaign("Réexamen 2019", At.AddHours(-5), At, At.AddDays(14), "supervisor-1");
        var c = Case.Open(new NewCase("62-2019-000903", At.AddYears(-1), OffenceCategory.Threats, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.No)), Unit, At.AddHours(-5), policy, campaign);
        c.Review(new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), At, policy);
        c.RecordAttempt(AttemptOutcome.NoAnswer, false, null, "officer-1", At.AddHours(1), policy, governorHolds: true);
        c.ConfirmPatrol(null, At.AddHours(2), policy);
        c.CallOffPatrol(PatrolCallOff.VictimCalledBack, null, At.AddHours(3), policy);
        c.Close(ClosureReason.ContactMade, null, At.AddHours(4), policy);
        c.ReopenIntoCampaign(campaign, new Domain.Campaigns.CampaignSlot(At.AddDays(7), At.AddDays(14)), At.AddHours(5), policy);

        var read = c.PendingEvents.Select(e => (e.Action, e.To, Text: AuditReasonText.Reason(e.Action, e.Reason, L, Paris))).ToList();

        Assert.Contains((AuditActions.MaxAttemptsReached, CaseState.PatrolProposed, "1 appels sans contact"), read);
        Assert.Contains((AuditActions.ConfirmPatrol, CaseState.PatrolRequested, "1 appels sans contact"), read);
        Assert.Contains((AuditActions.Reopen, CaseState.AwaitingContact, "campagne 0"), read);
    }

    /// <summary>Issue 17: a follow-up's entries (plan, measure, check-in, missed check-in, call-off) read in French.</summary>
    [Fact]
    public void ACaseThroughFollowUp_ReadsInFrench()
    {
        var policy = new DeadlinePolicy(new WorkflowOptions());
        var c = Case.Open(new NewCase("62-2026-000902", At.AddHours(-6), OffenceCategory.Threats, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.No)), Unit, At.AddHours(-5), policy);
        c.Review(new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.High, false), At, policy);
        c.RecordContact(new ContactReport(false, DangerLevel.High, false, null) { Then = AfterContact.FollowUp }, "officer-1", At.AddHours(1), policy);
        c.AddMeasure(MeasureKind.ProtectionOrder, new DateTime(2026, 3, 2, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 9, 1, 22, 0, 0, DateTimeKind.Utc), At.AddHours(2), policy);
        c.RecordCheckIn(new ContactReport(false, DangerLevel.High, false, null), "officer-1", c.ContactWindowOpensAtUtc!.Value, policy);
        var missed = c.Alarm!;
        c.FireDeadline(missed.Version, missed.Kind, missed.DueUtc, policy);
        c.CallOffPatrol(PatrolCallOff.VictimCalledBack, "au commissariat", missed.DueUtc.AddMinutes(5), policy);

        var read = c.PendingEvents.Select(e => (e.Action, Text: AuditReasonText.Reason(e.Action, e.Reason, L, Paris))).ToList();

        Assert.Contains((AuditActions.StartFollowUp, "victime jointe, mise sous suivi"), read);
        Assert.Contains((AuditActions.AddMeasure, "Ordonnance de protection n° 1 : du 03/03/2026 au 02/09/2026"), read);
        Assert.Contains(read, r => r.Action == AuditActions.RecordCheckIn && r.Text!.StartsWith("point de suivi n° 1, prochain à partir du ", StringComparison.Ordinal));
        Assert.Contains(read, r => r.Action == AuditActions.CheckInDeadlineElapsed && r.Text!.StartsWith("échéance ", StringComparison.OrdinalIgnoreCase));
        Assert.Contains((AuditActions.CallOffPatrol, "La victime a rappelé : au commissariat"), read);
        Assert.DoesNotContain(read, r => r.Text is { } t && (t.Contains("check-in", StringComparison.Ordinal) || t.Contains("follow-up", StringComparison.Ordinal) || t.Contains("ProtectionOrder", StringComparison.Ordinal)));
    }

    [Fact]
    public void AReachedVictim_AClosingReason_AndADangerChange_ReadInFrench_WhatWasTypedAsTyped()
    {
        Assert.Equal("victime jointe", AuditReasonText.Reason(AuditActions.RecordContact, "victim reached", L, Paris));
        Assert.Equal("La victime refuse le suivi : elle déménage", AuditReasonText.Reason(AuditActions.Close, "VictimDeclinedFollowUp: elle déménage", L, Paris));
        Assert.Equal("Modéré → Élevé : menaces par SMS", AuditReasonText.Reason(AuditActions.RaiseDanger, "Moderate -> High: menaces par SMS", L, Paris));
        Assert.Equal("téléphone de la victime, récit", AuditReasonText.Reason(AuditActions.UpdateFacts, "victim phone, notes", L, Paris));
        Assert.Equal("numéro sûr, heures sûres", AuditReasonText.Reason(AuditActions.UpdateSafeContact, "SafePhone, SafeHours", L, Paris));
        Assert.Equal("campagne 12", AuditReasonText.Reason(AuditActions.Open, "campaign 12", L, Paris));
    }

    [Fact]
    public void SignInTwoFactorConsultationPrintAndReferralEntries_ReadInFrench()
    {
        Assert.Equal("avec double authentification", AuditReasonText.Reason(AuditActions.SignIn, "with two-factor", L, Paris));
        Assert.Equal("mot de passe erroné", AuditReasonText.Reason(AuditActions.SignInFailed, "wrong password", L, Paris));
        Assert.Equal("identité, contact, adresse", AuditReasonText.Reason(AuditActions.Consult, "identity, contact, address", L, Paris));
        Assert.Equal("motif donné à l'entrée 1041", AuditReasonText.Reason(AuditActions.OpenIdentityAgain, "reason of entry 1041", L, Paris));
        Assert.Equal("fiche patrouille, identité masquée", AuditReasonText.Reason(AuditActions.Print, "Briefing, identity masked", L, Paris));
        Assert.Equal($"orientation 7 : {L["ReferralStatus.Sent"]} → {L["ReferralStatus.Appointment"]}", AuditReasonText.Reason(AuditActions.ReferralStatus, "referral 7: Sent -> Appointment", L, Paris));
        Assert.Equal($"partenaire 3 ({L["PartnerKind.Shelter"]}), consentement donné", AuditReasonText.Reason(AuditActions.Refer, "partner 3 (Shelter), consent given", L, Paris));
    }

    [Fact]
    public void ARepeatFile_AMatchDecision_AndASearch_ReadInFrench_ThePurposeAsTyped()
    {
        var policy = new DeadlinePolicy(new WorkflowOptions());
        var c = Case.Open(new NewCase("62-2026-000902", At.AddHours(-6), OffenceCategory.Threats, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.Yes)), Unit, At.AddHours(-5), policy);
        var newFile = Guid.Parse("0b7c1d2e-0000-4000-8000-000000000001");
        c.RecordRepeatFile(newFile, PersonMatching.MatchedBy([(PersonRole.Victim, [PersonKeyKind.Phone, PersonKeyKind.Address]), (PersonRole.Perpetrator, [PersonKeyKind.NameAndBirthDate])]), At, policy);
        c.RecordEarlierOpenFiles([newFile], At);
        var read = c.PendingEvents.Select(e => (e.Action, Text: AuditReasonText.Reason(e.Action, e.Reason, L, Paris))).ToList();
        var results = new SearchResults([], OutsideScope: 2, Truncated: false);

        Assert.Contains((AuditActions.RepeatVictimisation, $"nouveau dossier {newFile} : victime par téléphone, adresse ; auteur par nom et date de naissance"), read);
        Assert.Contains((AuditActions.RepeatVictimisation, $"dossiers ouverts de la même personne : {newFile}"), read);
        Assert.Contains((AuditActions.RaiseDanger, $"{L["Danger.NotAssessed"]} → {L["Danger.Low"]} : victime ou auteur d'un nouveau dossier"), read);
        Assert.Equal($"victime, dossier {newFile}", AuditReasonText.Reason(AuditActions.MatchConfirmed, PersonLink.AuditReason(PersonRole.Victim, newFile), L, Paris));
        Assert.Equal($"auteur, dossier {newFile}", AuditReasonText.Reason(AuditActions.MatchRejected, PersonLink.AuditReason(PersonRole.Perpetrator, newFile), L, Paris));
        Assert.Equal("motif : rappel de la victime; elle a perdu le numéro ; par référence, téléphone, nom ; 0 dans le périmètre, 2 hors périmètre",
            AuditReasonText.Reason(AuditActions.Search, CaseSearch.AuditReason(" rappel de la victime; elle a perdu le numéro ", [PersonKeyKind.Reference, PersonKeyKind.Phone, PersonKeyKind.NameToken], results), L, Paris));
        Assert.Equal("Modéré → Élevé : appel entrant", AuditReasonText.Reason(AuditActions.RaiseDanger, "Moderate -> High: inbound call", L, Paris));
    }

    /// <summary>Issues 17 and 19: her call in on a closed case reopens it and puts her under follow-up, each entry in French.</summary>
    [Fact]
    public void AnInboundCallThatReopensAClosedCase_ReadsInFrench()
    {
        var policy = new DeadlinePolicy(new WorkflowOptions());
        var c = Case.Open(new NewCase("62-2026-000903", At.AddHours(-6), OffenceCategory.Threats, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", TriState.No)), Unit, At.AddHours(-5), policy);
        c.Review(new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false), At, policy);
        c.RecordContact(new ContactReport(false, DangerLevel.Moderate, false, null), "officer-1", At.AddHours(1), policy);
        c.RecordInboundCall(new ContactReport(false, DangerLevel.Moderate, false, null), "officer-1", At.AddDays(2), policy);
        c.RecordInboundCall(new ContactReport(false, DangerLevel.High, false, null) { Then = AfterContact.FollowUp }, "officer-1", At.AddDays(3), policy);

        var read = c.PendingEvents.TakeLast(4).Select(e => (e.Action, Text: AuditReasonText.Reason(e.Action, e.Reason, L, Paris))).ToList();

        Assert.Equal(
            [(AuditActions.InboundCall, "la victime a appelé, dossier clos"), (AuditActions.InboundCall, "la victime a appelé, dossier clos : rouvert par son appel"),
                (AuditActions.Reopen, "la victime a appelé"), (AuditActions.StartFollowUp, "victime jointe, mise sous suivi")],
            read);
    }

    [Fact]
    public void ARecordedInstant_ReadsInTheUnitsZone()
    {
        var due = new DateTime(2026, 3, 2, 17, 15, 0, DateTimeKind.Utc);

        var read = AuditReasonText.Reason(AuditActions.ContactDeadlineElapsed, $"deadline {due:O}", L, Paris);

        Assert.Equal($"échéance du {Paris(due)}", read);
        Assert.Contains("18:15", read, StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonOfAnUnknownForm_OrTypedByAnOfficer_ShowsAsRecorded()
    {
        Assert.Equal("Voisin inquiet, appel du 17", AuditReasonText.Reason(AuditActions.RequestPatrol, "Voisin inquiet, appel du 17", L, Paris));
        Assert.Equal("Erreur de saisie", AuditReasonText.Reason(AuditActions.Reopen, "Erreur de saisie", L, Paris));
        Assert.Equal("Sideways", AuditReasonText.Reason(AuditActions.Review, "Sideways", L, Paris));
        Assert.Null(AuditReasonText.Reason(AuditActions.Claim, null, L, Paris));
    }
}
