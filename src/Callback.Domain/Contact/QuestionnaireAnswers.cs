namespace Callback.Domain.Contact;

/// <summary>The values yes/no questions take, as answers and data files write them.</summary>
public static class AnswerValues
{
    public const string Yes = "yes";
    public const string No = "no";
    public const string Unknown = "unknown";
}

/// <summary>
/// The answers given during a call, question id to value (see <see cref="QuestionKind"/>); a question not set is
/// unanswered. Stored in <see cref="CallAttempt.QuestionnaireJson"/> through <see cref="ToJson"/>. Free-text answers are
/// the victim's words: they go to the case's storage, never to logs.
/// </summary>
public sealed class QuestionnaireAnswers
{
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

    /// <summary>Answers to the shipped edition of the questionnaire.</summary>
    public QuestionnaireAnswers()
        : this(Questionnaire.Default.Version)
    {
    }

    /// <summary>Answers to edition <paramref name="questionnaireVersion"/> of the questionnaire.</summary>
    public QuestionnaireAnswers(int questionnaireVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(questionnaireVersion, 1);
        QuestionnaireVersion = questionnaireVersion;
    }

    /// <summary>The edition of the questionnaire the answers were given to.</summary>
    public int QuestionnaireVersion { get; }

    public IReadOnlyDictionary<string, string> Answered => _answers;

    /// <summary>The answer to a question, or null when it is unanswered.</summary>
    public string? this[string questionId] => _answers.GetValueOrDefault(questionId);

    /// <summary>
    /// Sets an answer: "yes", "no", "unknown", an option id or free text; a blank value clears it. Whether the question
    /// takes that value is checked by <see cref="Questionnaire.Evaluate"/>, which knows the questions.
    /// </summary>
    public QuestionnaireAnswers Set(string questionId, string? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(questionId);
        if (string.IsNullOrWhiteSpace(value))
        {
            _answers.Remove(questionId);
        }
        else
        {
            _answers[questionId] = value.Trim();
        }

        return this;
    }

    /// <summary>Sets a yes/no answer.</summary>
    public QuestionnaireAnswers Set(string questionId, bool yes) => Set(questionId, yes ? AnswerValues.Yes : AnswerValues.No);

    /// <summary>The answers as stored: <c>{"form":"call-questionnaire","version":1,"answers":{"Q01":"yes"}}</c>.</summary>
    public string ToJson() => AnswerSheetJson.Write(Questionnaire.FormName, QuestionnaireVersion, _answers);

    /// <summary>Reads answers written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not questionnaire answers.</exception>
    public static QuestionnaireAnswers FromJson(string json)
    {
        var (version, stored) = AnswerSheetJson.Read(json, Questionnaire.FormName);
        var answers = new QuestionnaireAnswers(version);
        foreach (var (id, value) in stored)
        {
            answers.Set(id, value);
        }

        return answers;
    }
}
