using System.Text.RegularExpressions;
using Callback.Domain.Cases;
using Callback.Domain.Content;

namespace Callback.Domain.Contact;

/// <summary>The three parts of the danger grid.</summary>
public enum DangerGridPart
{
    /// <summary>La victime.</summary>
    Victim = 0,

    /// <summary>L'auteur présumé.</summary>
    Author = 1,

    /// <summary>Le contexte.</summary>
    Context = 2,
}

/// <summary>One yes/no item of the danger grid. <see cref="Id"/> is stable: stored answers refer to it.</summary>
public sealed record DangerGridItem(string Id, DangerGridPart Part, bool Red, LocalizedText Text, LocalizedText? Help);

/// <summary>
/// The danger grid ("grille d'évaluation du danger"): 23 yes/no items in three parts, five of them red. The grid is
/// data, embedded in the assembly as <c>Contact/Data/danger-grid.json</c>; this type loads it, checks it and evaluates
/// answers against it.
/// </summary>
public sealed partial class DangerGrid
{
    /// <summary>The number of items the grid must have.</summary>
    public const int ItemCount = 23;

    /// <summary>The number of red items the grid must have.</summary>
    public const int RedItemCount = 5;

    /// <summary>The name under which the grid is embedded and stored answers are labelled.</summary>
    public const string FileName = "danger-grid.json";

    internal const string FormName = "danger-grid";

    private static readonly Lazy<DangerGrid> Shipped = new(() => Parse(EmbeddedData.ReadText(FileName), FileName));

    // The id's letter names the part, so "A4" in a stored answer or an audit line reads without the grid at hand.
    private static readonly Dictionary<DangerGridPart, char> PartLetters = new()
    {
        [DangerGridPart.Victim] = 'V',
        [DangerGridPart.Author] = 'A',
        [DangerGridPart.Context] = 'C',
    };

    private readonly Dictionary<string, DangerGridItem> _byId;

    private DangerGrid(int version, IReadOnlyList<DangerGridItem> items)
    {
        Version = version;
        Items = items;
        _byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    /// <summary>The grid shipped with the application, loaded and checked once.</summary>
    public static DangerGrid Default => Shipped.Value;

    /// <summary>The edition of the grid; stored answers carry it.</summary>
    public int Version { get; }

    /// <summary>Every item, in the order they are asked: victim, author, context.</summary>
    public IReadOnlyList<DangerGridItem> Items { get; }

    public IEnumerable<DangerGridItem> RedItems => Items.Where(i => i.Red);

    public IEnumerable<DangerGridItem> ItemsIn(DangerGridPart part) => Items.Where(i => i.Part == part);

    /// <summary>The item with this id; an unknown id is an <see cref="ArgumentException"/> that names it.</summary>
    public DangerGridItem Item(string id) =>
        _byId.TryGetValue(id, out var item) ? item : throw new ArgumentException($"The danger grid has no item \"{id}\".", nameof(id));

    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>
    /// Reads and checks a grid: 23 items, unique ids whose letter matches the part, 5 red, all three parts, French and
    /// English texts. Every problem is reported at once, each with the item's place and id.
    /// </summary>
    /// <exception cref="DataFileException">The JSON is malformed or the grid breaks one of the rules above.</exception>
    public static DangerGrid Parse(string json, string source)
    {
        var file = EmbeddedData.Deserialize<GridFile>(json, source);
        var problems = new List<string>();
        if (file.Version is not >= 1)
        {
            problems.Add("version: a positive edition number is required");
        }

        if (file.Items is null)
        {
            problems.Add("items: the list of items is missing");
        }

        var raw = file.Items ?? [];
        var items = DataChecks.Each<ItemDto, DangerGridItem>(raw, "items", i => DataChecks.Id(i.Id), (dto, where, _) => CheckItem(dto, where, problems), problems);

        foreach (var duplicate in items.GroupBy(i => i.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"items: the id \"{duplicate.Key}\" is used {duplicate.Count()} times; ids must be unique");
        }

        if (raw.Count != ItemCount)
        {
            problems.Add($"items: the grid has {raw.Count} items; it must have {ItemCount}");
        }

        // Counted on every entry, so an item left out for another problem does not also read as a missing red one.
        var red = raw.Where(i => i?.Red == true).Select(i => i!.Id).ToList();
        if (red.Count != RedItemCount)
        {
            var which = red.Count == 0 ? "" : $" ({string.Join(", ", red)})";
            problems.Add($"items: {red.Count} items are red{which}; exactly {RedItemCount} must be");
        }

        foreach (var part in Enum.GetValues<DangerGridPart>().Where(p => items.All(i => i.Part != p)))
        {
            problems.Add($"items: no item in the part \"{DataNames.Write(part)}\"; the grid needs all three parts");
        }

        if (problems.Count > 0)
        {
            throw new DataFileException(source, problems);
        }

        return new DangerGrid(file.Version!.Value, items);
    }

    /// <summary>
    /// Counts the answers and says whether danger is established, by which threshold, and which level to suggest.
    /// Unanswered items count as not "yes".
    /// </summary>
    /// <exception cref="ArgumentException">An answer names an item this grid does not have.</exception>
    public DangerEvaluation Evaluate(DangerGridAnswers answers, DangerGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(this);
        var unknown = answers.Answered.Keys.Where(id => !Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"The answers name items the danger grid does not have: {string.Join(", ", unknown)}.", nameof(answers));
        }

        var yes = Items.Where(i => answers[i.Id] == GridAnswer.Yes).ToList();
        var redYes = yes.Where(i => i.Red).ToList();
        var met = DangerThresholdsMet.None;
        if (yes.Count >= options.YesThreshold)
        {
            met |= DangerThresholdsMet.YesCount;
        }

        if (redYes.Count >= options.RedThreshold)
        {
            met |= DangerThresholdsMet.RedItems;
        }

        return new DangerEvaluation(yes.Count, redYes, answers.Answered.Count, Items.Count, met, Suggest(met, yes.Count, redYes.Count, answers.Answered.Count, options), options);
    }

    /// <summary>
    /// Established danger is High: it is the grid's own definition of danger, and High is the level at which the
    /// deadline policy calls at once with the short deadline. Severe is never suggested: the grid measures risk, not
    /// imminence, which stays the officer's judgement. Two thirds of the yes threshold (8 of 12), or a single red item,
    /// is Moderate: one red item is a strong predictor by itself, and a grid that close to the threshold must not be
    /// filed as low. A grid with no answer at all is NotAssessed: silence must not read as low danger.
    /// </summary>
    private static DangerLevel Suggest(DangerThresholdsMet met, int yes, int redYes, int answered, DangerGridOptions options)
    {
        if (met != DangerThresholdsMet.None)
        {
            return DangerLevel.High;
        }

        if (answered == 0)
        {
            return DangerLevel.NotAssessed;
        }

        // yes >= 2/3 of the threshold, in whole numbers: 8 of 12, 7 of 10.
        return yes * 3 >= options.YesThreshold * 2 || redYes >= 1 ? DangerLevel.Moderate : DangerLevel.Low;
    }

    private static DangerGridItem? CheckItem(ItemDto dto, string where, List<string> problems)
    {
        var part = DataNames.Parse<DangerGridPart>(dto.Part, $"{where}.part", problems);
        if (string.IsNullOrWhiteSpace(dto.Id) || !IdPattern().IsMatch(dto.Id))
        {
            problems.Add($"{where}.id: \"{dto.Id}\" is not an item id (a letter V, A or C and a number, e.g. \"V1\")");
        }
        else if (part is { } known && dto.Id[0] != PartLetters[known])
        {
            problems.Add($"{where}.id: an item of the part \"{DataNames.Write(known)}\" must have an id starting with {PartLetters[known]}");
        }

        if (dto.Red is null)
        {
            problems.Add($"{where}.red: say true or false");
        }

        var text = TextDto.Check(dto.Text, $"{where}.text", problems);
        var help = TextDto.Check(dto.Help, $"{where}.help", problems, required: false);
        return part is { } p && dto.Red is { } red && text is not null ? new DangerGridItem(dto.Id!, p, red, text, help) : null;
    }

    [GeneratedRegex("^[VAC][1-9][0-9]?$")]
    private static partial Regex IdPattern();

    private sealed class GridFile
    {
        public int? Version { get; set; }
        public List<ItemDto?>? Items { get; set; }
    }

    private sealed class ItemDto
    {
        public string? Id { get; set; }
        public string? Part { get; set; }
        public bool? Red { get; set; }
        public TextDto? Text { get; set; }
        public TextDto? Help { get; set; }
    }
}
