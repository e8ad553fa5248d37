using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Localization;
using Callback.Domain.Partners;
using Callback.Domain.Workflow;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Localization;

public partial class DomainTextTests
{
    private static readonly ResourceManager Resources = new("Callback.Domain.Localization.DomainText", typeof(DomainText).Assembly);

    private static Dictionary<string, string> Texts(CultureInfo culture)
    {
        using var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    [Fact]
    public void EveryEnglishText_HasAFrenchText_WithTheSamePlaceholders()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var french = Texts(new CultureInfo("fr"));

        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), french.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(french[key]), key);
            Assert.Equal(Placeholders(text), Placeholders(french[key]));
        }
    }

    [Fact]
    public void EveryStateTriggerDangerAndOutcome_HasAText()
    {
        using var french = new UiCulture("fr-FR");
        Assert.All(Enum.GetValues<CaseState>(), s => Assert.NotEqual(s.ToString(), DomainText.State(s)));
        Assert.All(Enum.GetValues<CaseTrigger>(), t => Assert.NotEqual(t.ToString(), DomainText.Trigger(t)));
        Assert.All(Enum.GetValues<DangerLevel>(), d => Assert.NotEqual(d.ToString(), DomainText.Danger(d)));
        Assert.All(Enum.GetValues<AttemptOutcome>(), o => Assert.NotEqual(o.ToString(), DomainText.Outcome(o)));
    }

    [Fact]
    public void EveryGuardOfTheMachine_ReadsInFrench_WhileTheDiagramKeepsItsEnglishWords()
    {
        var guards = Case.LifecycleGuards();
        using var french = new UiCulture("fr-FR");

        Assert.Equal(15, guards.Count);
        Assert.All(guards, g => Assert.NotEqual(g, Case.GuardText(g)));
        Assert.All(guards, g => Assert.Contains(g, CaseLifecycle.MermaidDiagram(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fr-FR", "« Rendre compte de la patrouille » n'est pas possible quand le dossier est « clos ».")]
    [InlineData("en-US", "ReportOutcome is not allowed while the case is Closed.")]
    public void ForbiddenAction_NamesTheActionAndTheState_InTheUiLanguage(string culture, string message)
    {
        var c = In(CaseState.Closed);
        using var language = new UiCulture(culture);

        var error = Assert.Throws<CaseRuleException>(() => ApplyUserAction(c, CaseTrigger.ReportOutcome, Intervention.AddHours(4)));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("fr-FR", "Un rappel doit avoir lieu avant l'échéance de contact (04/03/2026 21:30 UTC) ; demandez plutôt une patrouille.")]
    [InlineData("en-US", "A follow-up must come before the contact deadline (2026-03-04 21:30 UTC); request a patrol instead.")]
    public void UnmetGuard_IsWordedByTheCase_InTheUiLanguage(string culture, string message)
    {
        var c = In(CaseState.AwaitingContact);
        using var language = new UiCulture(culture);

        var error = Assert.Throws<CaseRuleException>(() => c.ScheduleFollowUp(c.DueAtUtc!.Value, null, Intervention.AddHours(3), Policy));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void CaseRule_UnderFrench_ReadsInFrench_AndUnderEnglish_InEnglish()
    {
        var c = In(CaseState.AwaitingContact);
        c.Claim("officer-1", Intervention.AddHours(3), Policy);

        using (new UiCulture("fr-FR"))
        {
            Assert.Equal("Un autre agent a déjà pris ce dossier.", Assert.Throws<CaseRuleException>(() => c.Claim("officer-2", Intervention.AddHours(3), Policy)).Message);
            Assert.Equal("Le niveau de danger est modéré ; élevé ne l'abaisserait pas.",
                Assert.Throws<CaseRuleException>(() => c.LowerDanger(DangerLevel.High, "revu", Intervention.AddHours(3))).Message);
        }

        using (new UiCulture("en-US"))
        {
            Assert.Equal("Another officer already holds this case.", Assert.Throws<CaseRuleException>(() => c.Claim("officer-2", Intervention.AddHours(3), Policy)).Message);
            Assert.Equal("The danger level is Moderate; High would not lower it.",
                Assert.Throws<CaseRuleException>(() => c.LowerDanger(DangerLevel.High, "reviewed", Intervention.AddHours(3))).Message);
        }
    }

    [Fact]
    public void Referral_WithoutConsent_UnderFrench_AsksForConsentInFrench()
    {
        var partner = PartnerDirectorySeed.Load()[0];
        using var french = new UiCulture("fr-FR");

        var error = Assert.Throws<CaseRuleException>(() => Referral.Record(Guid.NewGuid(), partner, consentGiven: false, "officer-1", Intervention));

        Assert.StartsWith("Une orientation demande le consentement de la victime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseOutOfScope_UnderFrench_ReadsInFrench()
    {
        var id = Guid.Parse("6d1f3c1e-6b5f-4a53-9a7e-0c0ffee00001");
        using var french = new UiCulture("fr-FR");

        Assert.Equal($"Le dossier {id} est hors de votre périmètre.", new CaseAccessDeniedException(id).Message);
    }

    private static List<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{(\d+)[:}]")]
    private static partial Regex Placeholder();
}
