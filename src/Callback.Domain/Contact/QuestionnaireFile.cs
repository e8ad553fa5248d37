using Callback.Domain.Cases;
using Callback.Domain.Content;
using Callback.Domain.Partners;

namespace Callback.Domain.Contact;

/// <summary>
/// Reads <c>call-questionnaire.json</c> and checks everything the evaluation relies on, so that a rule naming a
/// question that does not exist, or an answer a question cannot take, fails when the file is loaded rather than being
/// silently never met during a call.
/// </summary>
internal static class QuestionnaireFile
{
    // Reached is what the questionnaire follows from; a rule cannot end the call with it.
    private static readonly AttemptOutcome[] StopOutcomes = Enum.GetValues<AttemptOutcome>().Where(o => o != AttemptOutcome.Reached).ToArray();

    private static readonly DangerLevel[] RaiseLevels = Enum.GetValues<DangerLevel>().Where(l => l > DangerLevel.NotAssessed).ToArray();

    public static Questionnaire Read(string json, string source, Func<int, IReadOnlyList<Question>, IReadOnlyList<QuestionnaireRule>, Questionnaire> build)
    {
        var file = EmbeddedData.Deserialize<FileDto>(json, source);
        var problems = new List<string>();
        if (file.Version is not >= 1)
        {
            problems.Add("version: a positive edition number is required");
        }

        if (file.Questions is not { Count: > 0 })
        {
            problems.Add("questions: there must be at least one question");
        }

        var questions = DataChecks.Each<QuestionDto, Question>(file.Questions, "questions", q => DataChecks.Id(q.Id), (dto, where, earlier) => CheckQuestion(dto, where, earlier, problems), problems);
        var rules = DataChecks.Each<RuleDto, QuestionnaireRule>(file.Rules, "rules", r => DataChecks.Id(r.Id), (dto, where, earlier) => CheckRule(dto, where, questions, earlier, problems), problems);

        CheckSafeToTalkFirst(questions, rules, problems);
        if (problems.Count > 0)
        {
            throw new DataFileException(source, problems);
        }

        return build(file.Version!.Value, questions, rules);
    }

    /// <summary>PRODUCT.md: the first question of every call is "can you talk safely now?", and a "no" ends the call.</summary>
    private static void CheckSafeToTalkFirst(List<Question> questions, List<QuestionnaireRule> rules, List<string> problems)
    {
        if (questions.Count == 0)
        {
            return;
        }

        var first = questions[0];
        if (first.Topic != QuestionTopic.SafeToTalk || first.Kind != QuestionKind.YesNo)
        {
            problems.Add($"questions[0] (id \"{first.Id}\"): the first question must be the yes/no \"can you talk safely now?\" (topic safeToTalk)");
            return;
        }

        if (first.AskedAt != QuestionMoment.Both)
        {
            problems.Add($"questions[0] (id \"{first.Id}\"): \"can you talk safely now?\" opens every call and every check-in (askedAt both)");
        }

        var stopsOnNo = rules.Any(r => r.Stop == AttemptOutcome.UnsafeToTalk
            && r.When.Count == 1 && r.When[0].QuestionId == first.Id && r.When[0].AnyOf.Contains(AnswerValues.No));
        if (!stopsOnNo)
        {
            problems.Add($"rules: no rule stops the call as unsafeToTalk when {first.Id} is answered \"no\"");
        }
    }

    private static Question? CheckQuestion(QuestionDto dto, string where, IReadOnlyList<Question> earlier, List<string> problems)
    {
        CheckId(dto.Id, where, earlier.Select(q => q.Id), problems);
        var topic = DataNames.Parse<QuestionTopic>(dto.Topic, $"{where}.topic", problems);
        var kind = DataNames.Parse<QuestionKind>(dto.Kind, $"{where}.kind", problems);
        var text = TextDto.Check(dto.Text, $"{where}.text", problems);
        var help = TextDto.Check(dto.Help, $"{where}.help", problems, required: false);
        var options = CheckOptions(dto.Options, kind, where, problems);
        var askIf = dto.AskIf is null ? null : CheckCondition(dto.AskIf, $"{where}.askIf", earlier, problems, " asked before this one");
        var askedAt = dto.AskedAt is null ? QuestionMoment.Call : DataNames.Parse<QuestionMoment>(dto.AskedAt, $"{where}.askedAt", problems) ?? QuestionMoment.Call;
        if (askIf is not null && earlier.First(q => q.Id == askIf.QuestionId).AskedAt is var parent && (parent & askedAt) != askedAt)
        {
            // A question shown after an answer must be asked whenever that answer can be given.
            problems.Add($"{where}.askedAt: {dto.Id} is asked at {askedAt} but {askIf.QuestionId}, which it follows, only at {parent}");
        }

        return topic is { } t && kind is { } k && text is not null ? new Question(dto.Id!, t, k, text, help, options, askIf) { AskedAt = askedAt } : null;
    }

    private static List<QuestionOption> CheckOptions(List<OptionDto?>? raw, QuestionKind? kind, string where, List<string> problems)
    {
        if (kind != QuestionKind.Choice)
        {
            if (raw is { Count: > 0 })
            {
                problems.Add($"{where}.options: only a choice question has options");
            }

            return [];
        }

        if (raw is not { Count: >= 2 })
        {
            problems.Add($"{where}.options: a choice question needs at least two options");
            return [];
        }

        return DataChecks.Each<OptionDto, QuestionOption>(raw, $"{where}.options", o => DataChecks.Id(o.Id), (option, at, earlier) =>
        {
            CheckId(option.Id, at, earlier.Select(o => o.Id), problems);
            return TextDto.Check(option.Text, $"{at}.text", problems) is { } text ? new QuestionOption(option.Id!, text) : null;
        }, problems);
    }

    private static QuestionnaireRule? CheckRule(RuleDto dto, string where, List<Question> questions, IReadOnlyList<QuestionnaireRule> earlier, List<string> problems)
    {
        CheckId(dto.Id, where, earlier.Select(r => r.Id), problems);
        if (dto.When is not { Count: > 0 })
        {
            problems.Add($"{where}.when: a rule needs at least one condition");
        }

        var when = DataChecks.Each<ConditionDto, AnswerCondition>(dto.When, $"{where}.when", _ => null, (c, at, _) => CheckCondition(c, at, questions, problems, ""), problems);

        var stop = dto.Stop is null ? null : DataNames.Parse(dto.Stop, $"{where}.stop", problems, StopOutcomes);
        var raiseTo = dto.RaiseTo is null ? null : DataNames.Parse(dto.RaiseTo, $"{where}.raiseTo", problems, RaiseLevels);
        var refer = dto.Refer is null ? null : DataNames.Parse<PartnerKind>(dto.Refer, $"{where}.refer", problems);
        var patrol = dto.Patrol ?? false;
        if (dto.Stop is null && dto.RaiseTo is null && !patrol && dto.Refer is null)
        {
            problems.Add($"{where}: the rule does nothing; give it stop, raiseTo, patrol or refer");
        }

        if (dto.Stop is not null && (dto.RaiseTo is not null || patrol || dto.Refer is not null))
        {
            // A stopped call takes no answer as the victim's own, so nothing else can follow from it.
            problems.Add($"{where}: a rule that stops the call cannot also raise the level, ask for a patrol or refer");
        }

        var reason = TextDto.Check(dto.Reason, $"{where}.reason", problems);
        return reason is null ? null : new QuestionnaireRule(dto.Id!, when, stop, raiseTo, patrol, refer, reason);
    }

    private static AnswerCondition? CheckCondition(ConditionDto? dto, string where, IReadOnlyList<Question> questions, List<string> problems, string among)
    {
        if (dto is null)
        {
            problems.Add($"{where}: the condition is null");
            return null;
        }

        if (questions.FirstOrDefault(q => q.Id == dto.Question) is not { } question)
        {
            problems.Add($"{where}.question: \"{dto.Question}\" is not a question{among}");
            return null;
        }

        if (question.Kind == QuestionKind.FreeText)
        {
            problems.Add($"{where}.question: {question.Id} is answered in free text; a condition cannot test it");
            return null;
        }

        if (dto.AnyOf is not { Count: > 0 })
        {
            problems.Add($"{where}.anyOf: give the answers that meet the condition");
            return null;
        }

        var wrong = dto.AnyOf.Where(v => v is null || !question.Accepts(v)).ToList();
        if (wrong.Count > 0)
        {
            problems.Add($"{where}.anyOf: {question.Id} cannot be answered {string.Join(", ", wrong.Select(v => $"\"{v}\""))}; it takes {string.Join(", ", question.AllowedValues)}");
            return null;
        }

        return new AnswerCondition(question.Id, dto.AnyOf.Select(v => v!).ToList());
    }

    private static void CheckId(string? id, string where, IEnumerable<string> taken, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Any(char.IsWhiteSpace))
        {
            problems.Add($"{where}.id: an id without spaces is required");
        }
        else if (taken.Contains(id, StringComparer.Ordinal))
        {
            problems.Add($"{where}.id: \"{id}\" is used twice; ids must be unique");
        }
    }

    private sealed class FileDto
    {
        public int? Version { get; set; }
        public List<QuestionDto?>? Questions { get; set; }
        public List<RuleDto?>? Rules { get; set; }
    }

    private sealed class QuestionDto
    {
        public string? Id { get; set; }
        public string? Topic { get; set; }
        public string? Kind { get; set; }
        public ConditionDto? AskIf { get; set; }
        public string? AskedAt { get; set; }
        public TextDto? Text { get; set; }
        public TextDto? Help { get; set; }
        public List<OptionDto?>? Options { get; set; }
    }

    private sealed class OptionDto
    {
        public string? Id { get; set; }
        public TextDto? Text { get; set; }
    }

    private sealed class ConditionDto
    {
        public string? Question { get; set; }
        public List<string?>? AnyOf { get; set; }
    }

    private sealed class RuleDto
    {
        public string? Id { get; set; }
        public List<ConditionDto?>? When { get; set; }
        public string? Stop { get; set; }
        public string? RaiseTo { get; set; }
        public bool? Patrol { get; set; }
        public string? Refer { get; set; }
        public TextDto? Reason { get; set; }
    }
}
