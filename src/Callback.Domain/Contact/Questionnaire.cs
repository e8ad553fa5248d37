using Callback.Domain.Cases;
using Callback.Domain.Content;
using Callback.Domain.Localization;
using Callback.Domain.Partners;

namespace Callback.Domain.Contact;

/// <summary>What a question of the call is about.</summary>
public enum QuestionTopic
{
    SafeToTalk = 0,
    PerpetratorPresent = 1,
    NewViolence = 2,
    Children = 3,
    HealthNeeds = 4,
    LegalSteps = 5,
    VictimSupport = 6,
    Housing = 7,
    SocialWorker = 8,
}

/// <summary>How a question is answered.</summary>
public enum QuestionKind
{
    /// <summary><see cref="AnswerValues.Yes"/> or <see cref="AnswerValues.No"/>.</summary>
    YesNo = 0,

    /// <summary>Yes, no, or <see cref="AnswerValues.Unknown"/>.</summary>
    YesNoUnknown = 1,

    /// <summary>Any text up to <see cref="Questionnaire.MaxFreeTextLength"/> characters.</summary>
    FreeText = 2,

    /// <summary>The id of one of the question's <see cref="Question.Options"/>.</summary>
    Choice = 3,
}

/// <summary>When a question is asked: at the first call, at a follow-up check-in ("has anything changed?"), or at both.</summary>
[Flags]
public enum QuestionMoment
{
    Call = 1,
    CheckIn = 2,
    Both = Call | CheckIn,
}

/// <summary>One option of a choice question.</summary>
public sealed record QuestionOption(string Id, LocalizedText Text);

/// <summary>Holds when the answer to <see cref="QuestionId"/> is one of <see cref="AnyOf"/>.</summary>
public sealed record AnswerCondition(string QuestionId, IReadOnlyList<string> AnyOf)
{
    public bool IsMetBy(QuestionnaireAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return answers[QuestionId] is { } value && AnyOf.Contains(value, StringComparer.Ordinal);
    }
}

/// <summary>One question of the call. <see cref="AskIf"/>, when set, hides it until an earlier answer calls for it.</summary>
public sealed record Question(string Id, QuestionTopic Topic, QuestionKind Kind, LocalizedText Text, LocalizedText? Help,
    IReadOnlyList<QuestionOption> Options, AnswerCondition? AskIf)
{
    /// <summary>When it is asked: the first call only, unless the file says otherwise.</summary>
    public QuestionMoment AskedAt { get; init; } = QuestionMoment.Call;

    /// <summary>The answers the question takes; empty for free text, which takes any text.</summary>
    public IReadOnlyList<string> AllowedValues => Kind switch
    {
        QuestionKind.YesNo => [AnswerValues.Yes, AnswerValues.No],
        QuestionKind.YesNoUnknown => [AnswerValues.Yes, AnswerValues.No, AnswerValues.Unknown],
        QuestionKind.Choice => Options.Select(o => o.Id).ToList(),
        _ => [],
    };

    public bool Accepts(string value) => Kind == QuestionKind.FreeText
        ? !string.IsNullOrWhiteSpace(value) && value.Length <= Questionnaire.MaxFreeTextLength
        : AllowedValues.Contains(value, StringComparer.Ordinal);
}

/// <summary>
/// A rule of the questionnaire: when every condition holds, it stops the call with an attempt outcome, or raises the
/// danger level, asks for a patrol, or suggests a kind of partner.
/// </summary>
public sealed record QuestionnaireRule(string Id, IReadOnlyList<AnswerCondition> When, AttemptOutcome? Stop, DangerLevel? RaiseTo, bool Patrol,
    PartnerKind? Refer, LocalizedText Reason)
{
    public bool IsMetBy(QuestionnaireAnswers answers) => When.All(c => c.IsMetBy(answers));

    /// <summary>True when this rule asks for more than <paramref name="other"/>: every answer that meets it meets the other too.</summary>
    public bool Refines(QuestionnaireRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return When.Count > other.When.Count
            && other.When.All(c => When.Any(d => d.QuestionId == c.QuestionId && d.AnyOf.All(v => c.AnyOf.Contains(v, StringComparer.Ordinal))));
    }
}

/// <summary>
/// The call questionnaire: ordered questions and the rules that turn answers into a danger level, a patrol request or a
/// stopped call. It is data, embedded in the assembly as <c>Contact/Data/call-questionnaire.json</c>; this type loads it,
/// checks it and evaluates answers against it.
/// </summary>
public sealed class Questionnaire
{
    /// <summary>The longest free-text answer kept.</summary>
    public const int MaxFreeTextLength = 2000;

    /// <summary>The name under which the questionnaire is embedded.</summary>
    public const string FileName = "call-questionnaire.json";

    internal const string FormName = "call-questionnaire";

    private static readonly Lazy<Questionnaire> Shipped = new(() => Parse(EmbeddedData.ReadText(FileName), FileName));

    private readonly Dictionary<string, Question> _byId;

    private Questionnaire(int version, IReadOnlyList<Question> questions, IReadOnlyList<QuestionnaireRule> rules)
    {
        Version = version;
        Questions = questions;
        Rules = rules;
        _byId = questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
    }

    /// <summary>The questionnaire shipped with the application, loaded and checked once.</summary>
    public static Questionnaire Default => Shipped.Value;

    /// <summary>The edition of the questionnaire; stored answers carry it.</summary>
    public int Version { get; }

    /// <summary>Every question in the order asked; the first is always "can you talk safely now?".</summary>
    public IReadOnlyList<Question> Questions { get; }

    public IReadOnlyList<QuestionnaireRule> Rules { get; }

    /// <summary>The question with this id; an unknown id is an <see cref="ArgumentException"/> that names it.</summary>
    public Question Question(string id) =>
        _byId.TryGetValue(id, out var question) ? question : throw new ArgumentException($"The questionnaire has no question \"{id}\".", nameof(id));

    /// <summary>The rules that look at a question's answer, so a page can say what an answer will do.</summary>
    public IEnumerable<QuestionnaireRule> RulesOn(string questionId) => Rules.Where(r => r.When.Any(c => c.QuestionId == questionId));

    /// <summary>
    /// The questions to show given the answers so far, in order: those asked at <paramref name="moment"/> whose
    /// <see cref="Question.AskIf"/> holds, and none after an answer that stops the call. A check-in asks the shorter set.
    /// </summary>
    public IReadOnlyList<Question> QuestionsToAsk(QuestionnaireAnswers answers, QuestionMoment moment = QuestionMoment.Call)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var asked = new List<Question>();
        foreach (var question in Questions.Where(q => q.AskedAt.HasFlag(moment) && (q.AskIf is null || q.AskIf.IsMetBy(answers))))
        {
            asked.Add(question);
            if (RulesOn(question.Id).Any(r => r.Stop is not null && r.IsMetBy(answers)))
            {
                break;
            }
        }

        return asked;
    }

    /// <summary>
    /// Applies the rules. A rule that stops the call wins over everything else: the victim could not speak freely, so
    /// no other answer is taken as hers. Otherwise the level is the highest any rule raises to, a patrol is needed if
    /// any rule asks for one, and the reasons are those of the rules that raised the level or asked for the patrol,
    /// leaving out a rule when a more specific one fired too.
    /// </summary>
    /// <exception cref="ArgumentException">An answer names an unknown question or is not a value its question takes.</exception>
    public QuestionnaireEvaluation Evaluate(QuestionnaireAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        foreach (var (id, value) in answers.Answered)
        {
            if (!_byId.TryGetValue(id, out var question))
            {
                throw new ArgumentException($"The questionnaire has no question \"{id}\".", nameof(answers));
            }

            if (!question.Accepts(value))
            {
                throw new ArgumentException(question.Kind == QuestionKind.FreeText
                    ? $"The answer to {id} is longer than {MaxFreeTextLength} characters."
                    : $"The answer to {id} must be one of {string.Join(", ", question.AllowedValues)}.", nameof(answers));
            }
        }

        if (Rules.FirstOrDefault(r => r.Stop is not null && r.IsMetBy(answers)) is { } stop)
        {
            return new QuestionnaireEvaluation(null, false, stop.Reason, stop.Stop, [stop], []);
        }

        var fired = Rules.Where(r => r.IsMetBy(answers)).ToList();
        // "Present" and "afraid" both fire beside "present and afraid": the reasons keep only the most specific rule.
        var decisive = fired.Where(r => (r.RaiseTo is not null || r.Patrol) && !fired.Any(other => other.Refines(r))).ToList();
        return new QuestionnaireEvaluation(
            fired.Max(r => r.RaiseTo),
            fired.Any(r => r.Patrol),
            LocalizedText.Join(decisive.Select(r => r.Reason), " "),
            null,
            fired,
            fired.Select(r => r.Refer).OfType<PartnerKind>().Distinct().ToList());
    }

    /// <summary>
    /// The report of a call that reached the victim, for <see cref="Case.RecordContact"/>: the answers as JSON, the
    /// danger level raised if the answers call for it (never lowered), and the patrol decision.
    /// </summary>
    /// <exception cref="CaseRuleException">The safe-to-talk question was not answered, or the answers stopped the call.</exception>
    public ContactReport ToContactReport(QuestionnaireAnswers answers, DangerLevel currentDanger, bool toSafeNumber, string? note = null)
    {
        var evaluation = Evaluate(answers);
        if (answers[Questions[0].Id] is null)
        {
            throw new CaseRuleException(DomainText.Format("Call.SafeToTalkUnanswered", DomainText.Of(Questions[0].Text), Questions[0].Id));
        }

        if (evaluation.StoppedWith is { } outcome)
        {
            throw new CaseRuleException(DomainText.Format("Call.Stopped", DomainText.Outcome(outcome)));
        }

        var danger = evaluation.RaisedTo is { } raised && raised > currentDanger ? raised : currentDanger;
        return new ContactReport(toSafeNumber, danger, evaluation.PatrolNeeded, answers.ToJson(), note);
    }

    /// <summary>Reads and checks a questionnaire; every problem is reported at once, each with its place and id.</summary>
    /// <exception cref="DataFileException">The JSON is malformed or the questionnaire breaks one of its rules.</exception>
    public static Questionnaire Parse(string json, string source) => QuestionnaireFile.Read(json, source, (v, q, r) => new Questionnaire(v, q, r));
}

/// <summary>What the answers to the questionnaire call for.</summary>
/// <param name="RaisedTo">The level the answers raise the case to, or null when they raise nothing.</param>
/// <param name="PatrolNeeded">A patrol must be requested now.</param>
/// <param name="Reasons">Why the level was raised or a patrol is needed, or why the call stopped; empty otherwise.</param>
/// <param name="StoppedWith">The attempt outcome to record when the answers stopped the call; null otherwise.</param>
/// <param name="FiredRules">Every rule that fired, in the questionnaire's order.</param>
/// <param name="SuggestedReferrals">Kinds of partner the answers suggest; each referral still needs the victim's consent.</param>
public sealed record QuestionnaireEvaluation(
    DangerLevel? RaisedTo,
    bool PatrolNeeded,
    LocalizedText Reasons,
    AttemptOutcome? StoppedWith,
    IReadOnlyList<QuestionnaireRule> FiredRules,
    IReadOnlyList<PartnerKind> SuggestedReferrals)
{
    /// <summary>The victim could not talk safely: stop, record an <see cref="AttemptOutcome.UnsafeToTalk"/> attempt, call back.</summary>
    public bool StoppedUnsafe => StoppedWith == AttemptOutcome.UnsafeToTalk;
}
