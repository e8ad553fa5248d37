namespace Callback.Domain.Intake;

/// <summary>The limits of a file import, bound from the <c>Import</c> configuration section.</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>A larger file is refused whole before it is parsed.</summary>
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>A file with more data rows is refused whole.</summary>
    public int MaxRows { get; set; } = 200_000;

    public void Validate()
    {
        if (MaxFileBytes < 1 || MaxRows < 1)
        {
            throw new InvalidOperationException("Import:MaxFileBytes and Import:MaxRows must be at least 1.");
        }
    }
}
