namespace Callback.Domain.Contact;

/// <summary>The answer to one item of the danger grid.</summary>
public enum GridAnswer
{
    Unanswered = 0,
    Yes = 1,
    No = 2,
}

/// <summary>
/// The answers given to the danger grid, item id to yes or no; an item not set is unanswered. Stored as JSON in a
/// string column (<see cref="ToJson"/>, <see cref="FromJson"/>).
/// </summary>
public sealed class DangerGridAnswers
{
    private const string YesValue = "yes";
    private const string NoValue = "no";

    private readonly Dictionary<string, GridAnswer> _answers = new(StringComparer.Ordinal);

    /// <summary>Answers to the shipped edition of the grid.</summary>
    public DangerGridAnswers()
        : this(DangerGrid.Default.Version)
    {
    }

    /// <summary>Answers to edition <paramref name="gridVersion"/> of the grid.</summary>
    public DangerGridAnswers(int gridVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridVersion, 1);
        GridVersion = gridVersion;
    }

    /// <summary>The edition of the grid the answers were given to.</summary>
    public int GridVersion { get; }

    /// <summary>The items answered yes or no.</summary>
    public IReadOnlyDictionary<string, GridAnswer> Answered => _answers;

    public GridAnswer this[string itemId] => _answers.GetValueOrDefault(itemId);

    /// <summary>Sets an item's answer; <see cref="GridAnswer.Unanswered"/> clears it.</summary>
    public DangerGridAnswers Set(string itemId, GridAnswer answer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemId);
        if (!Enum.IsDefined(answer))
        {
            throw new ArgumentOutOfRangeException(nameof(answer), answer, "Not a grid answer.");
        }

        if (answer == GridAnswer.Unanswered)
        {
            _answers.Remove(itemId);
        }
        else
        {
            _answers[itemId] = answer;
        }

        return this;
    }

    /// <summary>The answers as stored: <c>{"form":"danger-grid","version":1,"answers":{"A1":"yes","V1":"no"}}</c>.</summary>
    public string ToJson() =>
        AnswerSheetJson.Write(DangerGrid.FormName, GridVersion, _answers.Select(a => KeyValuePair.Create(a.Key, a.Value == GridAnswer.Yes ? YesValue : NoValue)));

    /// <summary>Reads answers written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not danger-grid answers, or an answer is neither "yes" nor "no".</exception>
    public static DangerGridAnswers FromJson(string json)
    {
        var (version, stored) = AnswerSheetJson.Read(json, DangerGrid.FormName);
        var answers = new DangerGridAnswers(version);
        foreach (var (id, value) in stored)
        {
            answers.Set(id, value switch
            {
                YesValue => GridAnswer.Yes,
                NoValue => GridAnswer.No,
                _ => throw new FormatException($"The stored danger-grid answer to {id} is neither \"{YesValue}\" nor \"{NoValue}\"."),
            });
        }

        return answers;
    }
}
