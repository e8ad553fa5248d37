namespace Callback.Domain.Contact;

/// <summary>
/// When the danger grid establishes danger, bound from the <c>DangerGrid</c> configuration section. The defaults are
/// the practice the units are trained on: 12 "yes", or 2 red "yes".
/// </summary>
public sealed class DangerGridOptions
{
    public const string Section = "DangerGrid";

    /// <summary>Danger is established at this many "yes" answers, red or not.</summary>
    public int YesThreshold { get; set; } = 12;

    /// <summary>Danger is established at this many "yes" answers to red items.</summary>
    public int RedThreshold { get; set; } = 2;

    /// <summary>
    /// Refuses thresholds the grid could never reach (or would always reach): a configuration that silently disables
    /// the grid is worse than one that stops the application at start.
    /// </summary>
    public void Validate(DangerGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (YesThreshold < 1 || YesThreshold > grid.Items.Count)
        {
            throw new InvalidOperationException($"{Section}:{nameof(YesThreshold)} must be between 1 and {grid.Items.Count}, got {YesThreshold}.");
        }

        var red = grid.RedItems.Count();
        if (RedThreshold < 1 || RedThreshold > red)
        {
            throw new InvalidOperationException($"{Section}:{nameof(RedThreshold)} must be between 1 and {red}, got {RedThreshold}.");
        }
    }
}
