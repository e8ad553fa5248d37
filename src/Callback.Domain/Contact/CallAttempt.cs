namespace Callback.Domain.Contact;

/// <summary>One call to the victim and what came of it.</summary>
public sealed class CallAttempt
{
    private CallAttempt()
    {
    }

    internal CallAttempt(Guid caseId, DateTime atUtc, string actorId, AttemptOutcome outcome, bool toSafeNumber, string? note, string? questionnaireJson)
    {
        CaseId = caseId;
        AtUtc = atUtc;
        ActorId = actorId;
        Outcome = outcome;
        ToSafeNumber = toSafeNumber;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        QuestionnaireJson = questionnaireJson;
    }

    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    public DateTime AtUtc { get; private set; }
    public string ActorId { get; private set; } = "";
    public AttemptOutcome Outcome { get; private set; }
    public bool ToSafeNumber { get; private set; }
    public string? Note { get; private set; }

    /// <summary>The questionnaire answers of a reached victim, as JSON (the questionnaire itself is data).</summary>
    public string? QuestionnaireJson { get; private set; }

    /// <summary>Retention: the note goes, and so do the free-text answers; the yes/no and choice answers stay for statistics.</summary>
    internal void Erase(Questionnaire questionnaire)
    {
        Note = null;
        if (QuestionnaireJson is { } json)
        {
            var (version, answers) = AnswerSheetJson.Read(json, Questionnaire.FormName);
            var freeText = questionnaire.Questions.Where(q => q.Kind == QuestionKind.FreeText).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
            QuestionnaireJson = AnswerSheetJson.Write(Questionnaire.FormName, version, answers.Where(a => !freeText.Contains(a.Key)));
        }
    }
}

/// <summary>A free-text note an officer adds to the file.</summary>
public sealed class CaseNote
{
    private CaseNote()
    {
    }

    internal CaseNote(Guid caseId, DateTime atUtc, string actorId, string text)
    {
        CaseId = caseId;
        AtUtc = atUtc;
        ActorId = actorId;
        Text = text;
    }

    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    public DateTime AtUtc { get; private set; }
    public string ActorId { get; private set; } = "";
    public string Text { get; private set; } = "";

    /// <summary>Retention: the note's text goes; that a note was written, when and by whom, stays.</summary>
    internal void Erase() => Text = "";
}
