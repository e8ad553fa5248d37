using System.Text.Json;
using System.Text.Json.Nodes;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Content;
using Callback.Domain.Partners;
using static Callback.Domain.Tests.Cases.TestCases;

namespace Callback.Domain.Tests.Contact;

public class QuestionnaireTests
{
    private static readonly Questionnaire Form = Questionnaire.Default;

    [Fact]
    public void ShippedQuestionnaire_AsksWhetherSheCanTalkSafelyFirst_AndCoversEveryTopic()
    {
        var first = Form.Questions[0];

        Assert.Equal(QuestionTopic.SafeToTalk, first.Topic);
        Assert.Equal("Can you talk safely right now?", first.Text.En);
        Assert.Equal(Enum.GetValues<QuestionTopic>(), Form.Questions.Select(q => q.Topic).Distinct().Order());
        Assert.All(Form.Questions, q => Assert.NotEqual(q.Text.Fr, q.Text.En));
    }

    [Fact]
    public void NotSafeToTalk_StopsTheCall_WithoutPatrolOrDanger()
    {
        var answers = Answers(("Q01", "no"));

        var result = Form.Evaluate(answers);

        Assert.True(result.StoppedUnsafe);
        Assert.Equal(AttemptOutcome.UnsafeToTalk, result.StoppedWith);
        Assert.False(result.PatrolNeeded);
        Assert.Null(result.RaisedTo);
        Assert.Contains("rappeler", result.Reasons.Fr, StringComparison.Ordinal);
        Assert.Equal(["Q01"], Form.QuestionsToAsk(answers).Select(q => q.Id));
    }

    [Fact]
    public void NotSafeToTalk_OutweighsAnyOtherAnswer()
    {
        var answers = Answers(("Q01", "no"), ("Q02", "yes"), ("Q03", "yes"));

        var result = Form.Evaluate(answers);

        Assert.True(result.StoppedUnsafe);
        Assert.False(result.PatrolNeeded);
        Assert.Equal("unsafe-to-talk", Assert.Single(result.FiredRules).Id);
    }

    [Fact]
    public void PerpetratorPresentAndVictimAfraid_NeedsAPatrol_AtHighDanger()
    {
        var result = Form.Evaluate(Answers(("Q01", "yes"), ("Q02", "yes"), ("Q03", "yes")));

        Assert.True(result.PatrolNeeded);
        Assert.Equal(DangerLevel.High, result.RaisedTo);
        Assert.False(result.StoppedUnsafe);
        Assert.Equal(["perpetrator-present", "afraid", "perpetrator-present-and-afraid"], result.FiredRules.Select(r => r.Id));
        // The two simpler rules fired too; the reason given is the one that explains the patrol.
        Assert.Equal("La personne mise en cause est présente et la victime a peur : envoyer une patrouille.", result.Reasons.Fr);
    }

    [Fact]
    public void PerpetratorPresentButVictimNotAfraid_RaisesToModerate_WithoutPatrol()
    {
        var result = Form.Evaluate(Answers(("Q01", "yes"), ("Q02", "yes"), ("Q03", "no")));

        Assert.False(result.PatrolNeeded);
        Assert.Equal(DangerLevel.Moderate, result.RaisedTo);
    }

    [Fact]
    public void NewViolenceWithInjury_RaisesToHigh_AndNeedsAPatrol()
    {
        var result = Form.Evaluate(Answers(("Q01", "yes"), ("Q04", "yes"), ("Q05", "yes")));

        Assert.Equal(DangerLevel.High, result.RaisedTo);
        Assert.True(result.PatrolNeeded);
        Assert.Contains("blessure", result.Reasons.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void NewViolenceWithoutInjury_RaisesToModerate_WithoutPatrol()
    {
        var result = Form.Evaluate(Answers(("Q01", "yes"), ("Q04", "yes"), ("Q05", "no")));

        Assert.Equal(DangerLevel.Moderate, result.RaisedTo);
        Assert.False(result.PatrolNeeded);
    }

    [Fact]
    public void NeutralAnswers_RaiseNothing_AndNeedNoPatrol()
    {
        var result = Form.Evaluate(Neutral());

        Assert.Null(result.RaisedTo);
        Assert.False(result.PatrolNeeded);
        Assert.False(result.StoppedUnsafe);
        Assert.Empty(result.FiredRules);
        Assert.Equal("", result.Reasons.Fr);
        Assert.Empty(result.SuggestedReferrals);
    }

    [Fact]
    public void ChildrenNotSafe_NeedsAPatrol()
    {
        var result = Form.Evaluate(Neutral().Set("Q06", true).Set("Q07", "no"));

        Assert.True(result.PatrolNeeded);
        Assert.Equal(DangerLevel.High, result.RaisedTo);
    }

    [Fact]
    public void NoSafePlaceTonight_RaisesToModerate_AndSuggestsAShelter_AlongsideOtherReferrals()
    {
        var result = Form.Evaluate(Neutral().Set("Q14", false).Set("Q13", true).Set("Q15", true));

        Assert.Equal(DangerLevel.Moderate, result.RaisedTo);
        Assert.Equal([PartnerKind.Shelter, PartnerKind.VictimSupport], result.SuggestedReferrals);
        Assert.Equal("La victime n'a pas d'endroit sûr où dormir ce soir.", result.Reasons.Fr);
    }

    [Fact]
    public void FollowUpQuestions_AreAskedOnlyWhenTheEarlierAnswerCallsForThem()
    {
        var before = Form.QuestionsToAsk(Answers(("Q01", "yes"), ("Q04", "no"))).Select(q => q.Id).ToList();
        var after = Form.QuestionsToAsk(Answers(("Q01", "yes"), ("Q04", "yes"))).Select(q => q.Id).ToList();

        Assert.DoesNotContain("Q05", before);
        Assert.Contains("Q05", after);
        Assert.Equal(Form.Questions.Count(q => q.AskedAt.HasFlag(QuestionMoment.Call)) - 3, before.Count);
    }

    [Theory]
    [InlineData("Q01", "maybe", "Q01 must be one of yes, no")]
    [InlineData("Q08", "yes", "Q08 must be one of none, medical, psychological, both")]
    [InlineData("Q99", "yes", "no question \"Q99\"")]
    public void AnAnswerTheQuestionCannotTake_IsRefused(string question, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Form.Evaluate(Answers(("Q01", "yes"), (question, value))));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_RoundTripThroughTheirStoredJson_FreeTextIncluded()
    {
        var answers = Neutral().Set("Q08", "psychological").Set("Q09", "Un rendez-vous avec « quelqu'un » qui écoute");

        var back = QuestionnaireAnswers.FromJson(answers.ToJson());

        Assert.Equal(answers.Answered, back.Answered);
        Assert.Equal(answers.QuestionnaireVersion, back.QuestionnaireVersion);
        Assert.Equal(Form.Evaluate(answers).SuggestedReferrals, Form.Evaluate(back).SuggestedReferrals);
        Assert.Contains("« quelqu", answers.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void DangerGridAnswers_AreNotReadAsQuestionnaireAnswers()
    {
        var grid = new DangerGridAnswers().Set("A1", GridAnswer.Yes).ToJson();

        Assert.Throws<FormatException>(() => QuestionnaireAnswers.FromJson(grid));
    }

    [Fact]
    public void ContactReport_CarriesTheAnswersAndThePatrol_AndTheCaseGoesToPatrol()
    {
        var c = In(CaseState.AwaitingContact);
        var answers = Answers(("Q01", "yes"), ("Q04", "yes"), ("Q05", "yes"));

        var report = Form.ToContactReport(answers, c.Danger, toSafeNumber: true);
        c.RecordContact(report, "officer-1", Intervention.AddHours(30), Policy);

        Assert.True(report.PatrolNeeded);
        Assert.Equal(answers.ToJson(), report.QuestionnaireJson);
        Assert.Equal(CaseState.PatrolRequested, c.State);
        Assert.Equal(DangerLevel.High, c.Danger);
        Assert.Equal(report.QuestionnaireJson, c.Attempts[^1].QuestionnaireJson);
    }

    [Fact]
    public void ContactReport_NeverLowersTheDanger()
    {
        var report = Form.ToContactReport(Neutral().Set("Q04", true), DangerLevel.High, toSafeNumber: true);

        Assert.Equal(DangerLevel.High, report.Danger);
    }

    [Fact]
    public void ContactReport_IsRefused_WhenTheCallWasStoppedOrDidNotStartWithTheSafetyQuestion()
    {
        Assert.Throws<CaseRuleException>(() => Form.ToContactReport(Answers(("Q01", "no")), DangerLevel.Low, true));
        var error = Assert.Throws<CaseRuleException>(() => Form.ToContactReport(Answers(("Q02", "no")), DangerLevel.Low, true));
        Assert.Contains("Q01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleNamingAQuestionThatDoesNotExist_FailsNamingTheRule()
    {
        var json = Edit(root => root["rules"]![1]!["when"]![0]!["question"] = "Q42");

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Equal("rules[1] (id \"perpetrator-present\").when[0].question: \"Q42\" is not a question", Assert.Single(error.Problems));
    }

    [Fact]
    public void RuleExpectingAnAnswerTheQuestionCannotTake_Fails()
    {
        var json = Edit(root => root["rules"]![1]!["when"]![0]!["anyOf"] = new JsonArray("oui"));

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("Q02 cannot be answered \"oui\"; it takes yes, no", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuestionnaireNotStartingWithTheSafetyQuestion_Fails()
    {
        var json = Edit(root =>
        {
            var questions = root["questions"]!.AsArray();
            var first = questions[0]!;
            questions.RemoveAt(0);
            questions.Add(first);
        });

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("the first question must be the yes/no \"can you talk safely now?\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuestionAskedOnAnAnswerToALaterQuestion_Fails()
    {
        var json = Edit(root => root["questions"]![8]!["askIf"]!["question"] = "Q06");

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("questions[8] (id \"Q05\").askIf.question: \"Q06\" is not a question asked before this one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChoiceQuestionWithAnOptionMissingItsEnglishText_Fails()
    {
        var json = Edit(root => root["questions"]![11]!["options"]![2]!["text"]!.AsObject().Remove("en"));

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("questions[11] (id \"Q08\").options[2] (id \"psychological\").text.en: the English text is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckIn_AsksTheShorterSet_StartingWithSafety_AndTheFirstCallNeverAsksItsQuestions()
    {
        var none = new QuestionnaireAnswers();

        var checkIn = Form.QuestionsToAsk(none, QuestionMoment.CheckIn).Select(q => q.Id).ToList();
        var call = Form.QuestionsToAsk(none).Select(q => q.Id).ToList();

        Assert.Equal(["Q01", "Q02", "Q03", "C01", "C03", "Q06", "Q11", "Q14"], checkIn);
        Assert.True(checkIn.Count < call.Count);
        Assert.DoesNotContain(call, id => id.StartsWith('C'));
        Assert.Contains("C04", Form.QuestionsToAsk(Answers(("Q01", "yes"), ("C03", "yes")), QuestionMoment.CheckIn).Select(q => q.Id));
    }

    [Fact]
    public void NewViolenceWithInjurySinceTheLastCall_RaisesToHigh_AndNeedsAPatrol()
    {
        var evaluation = Form.Evaluate(Answers(("Q01", "yes"), ("Q02", "no"), ("Q03", "no"), ("C01", "yes"), ("C02", "yes")));

        Assert.Equal(DangerLevel.High, evaluation.RaisedTo);
        Assert.True(evaluation.PatrolNeeded);
    }

    [Fact]
    public void ASafetyQuestionNotAskedAtCheckIns_Fails()
    {
        var json = Edit(root => root["questions"]![0]!["askedAt"] = "call");

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("questions[0] (id \"Q01\"): \"can you talk safely now?\" opens every call and every check-in (askedAt both)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckInQuestionFollowingACallOnlyAnswer_FailsNamingBoth()
    {
        var json = Edit(root => root["questions"]![3]!["askedAt"] = "call");

        var error = Assert.Throws<DataFileException>(() => Questionnaire.Parse(json, "test-questionnaire.json"));

        Assert.Contains("questions[4] (id \"C02\").askedAt: C02 is asked at CheckIn but C01, which it follows, only at Call", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A call where nothing calls for action.</summary>
    private static QuestionnaireAnswers Neutral() => Answers(
        ("Q01", "yes"), ("Q02", "no"), ("Q03", "no"), ("Q04", "no"), ("Q06", "no"), ("Q08", "none"), ("Q10", "filed"),
        ("Q11", "none"), ("Q12", "no"), ("Q13", "no"), ("Q14", "yes"), ("Q15", "no"), ("Q16", "no"));

    private static QuestionnaireAnswers Answers(params (string Question, string Value)[] answers)
    {
        var sheet = new QuestionnaireAnswers();
        foreach (var (question, value) in answers)
        {
            sheet.Set(question, value);
        }

        return sheet;
    }

    private static string Edit(Action<JsonNode> change)
    {
        var root = JsonNode.Parse(EmbeddedData.ReadText(Questionnaire.FileName), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        change(root);
        return root.ToJsonString();
    }
}
