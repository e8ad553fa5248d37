using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Content;

namespace Callback.Domain.Contact;

/// <summary>Which of the grid's thresholds a set of answers reached.</summary>
[Flags]
public enum DangerThresholdsMet
{
    None = 0,

    /// <summary>At least <see cref="DangerGridOptions.YesThreshold"/> "yes".</summary>
    YesCount = 1,

    /// <summary>At least <see cref="DangerGridOptions.RedThreshold"/> red "yes".</summary>
    RedItems = 2,
}

/// <summary>What a filled-in danger grid says: the counts, whether danger is established and why, and a suggested level.</summary>
public sealed class DangerEvaluation
{
    internal DangerEvaluation(int yesCount, IReadOnlyList<DangerGridItem> redItemsAnsweredYes, int answeredCount, int itemCount,
        DangerThresholdsMet establishedBy, DangerLevel suggestedLevel, DangerGridOptions options)
    {
        YesCount = yesCount;
        RedItemsAnsweredYes = redItemsAnsweredYes;
        AnsweredCount = answeredCount;
        ItemCount = itemCount;
        EstablishedBy = establishedBy;
        SuggestedLevel = suggestedLevel;
        YesThreshold = options.YesThreshold;
        RedThreshold = options.RedThreshold;
    }

    public int YesCount { get; }

    public int RedYesCount => RedItemsAnsweredYes.Count;

    /// <summary>The red items answered "yes", in grid order: what a briefing should name.</summary>
    public IReadOnlyList<DangerGridItem> RedItemsAnsweredYes { get; }

    public int AnsweredCount { get; }

    public int ItemCount { get; }

    public int UnansweredCount => ItemCount - AnsweredCount;

    /// <summary>The thresholds reached; <see cref="DangerThresholdsMet.None"/> when danger is not established.</summary>
    public DangerThresholdsMet EstablishedBy { get; }

    public bool IsDangerEstablished => EstablishedBy != DangerThresholdsMet.None;

    /// <summary>The level the grid suggests (see <see cref="DangerGrid.Evaluate"/>); the officer decides.</summary>
    public DangerLevel SuggestedLevel { get; }

    /// <summary>The thresholds in force when the grid was evaluated.</summary>
    public int YesThreshold { get; }

    public int RedThreshold { get; }

    /// <summary>Why, in one sentence: counts against thresholds, the red items answered yes, the items left unanswered.</summary>
    public LocalizedText Explanation
    {
        get
        {
            var reds = RedYesCount == 0 ? "" : $" ({string.Join(", ", RedItemsAnsweredYes.Select(i => i.Id))})";
            var yes = new LocalizedText(
                Invariant($"{YesCount} « oui » (seuil {YesThreshold})"),
                Invariant($"{YesCount} \"yes\" (threshold {YesThreshold})"));
            var red = new LocalizedText(
                Invariant($"{RedYesCount} item(s) rouge(s){reds} (seuil {RedThreshold})"),
                Invariant($"{RedYesCount} red item(s){reds} (threshold {RedThreshold})"));
            var head = IsDangerEstablished
                ? new LocalizedText("Danger avéré", "Danger established")
                : new LocalizedText("Danger non avéré", "Danger not established");
            var reached = EstablishedBy switch
            {
                DangerThresholdsMet.YesCount => yes,
                DangerThresholdsMet.RedItems => red,
                _ => LocalizedText.Join([yes, red], ", "),
            };
            var unanswered = UnansweredCount == 0
                ? new LocalizedText("", "")
                : new LocalizedText(Invariant($" ; {UnansweredCount} item(s) sans réponse"), Invariant($"; {UnansweredCount} item(s) unanswered"));
            return new LocalizedText($"{head.Fr} : {reached.Fr}{unanswered.Fr}.", $"{head.En}: {reached.En}{unanswered.En}.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
