namespace Callback.Domain.Content;

/// <summary>
/// A data file shipped in the assembly (danger grid, questionnaire, partner seed) is malformed. The message names the
/// file and, for each problem, where it is (a JSON path and the item's id), so whoever edited it can fix it at once.
/// </summary>
public sealed class DataFileException : Exception
{
    public DataFileException(string file, IReadOnlyList<string> problems)
        : base(Describe(file, problems))
    {
        File = file;
        Problems = problems;
    }

    public DataFileException(string file, string problem, Exception inner)
        : base(Describe(file, [problem]), inner)
    {
        File = file;
        Problems = [problem];
    }

    /// <summary>The file's name, as embedded or as given to the parser.</summary>
    public string File { get; }

    /// <summary>Every problem found, each starting with where it is.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string file, IReadOnlyList<string> problems) =>
        $"{file} is not valid:{string.Concat(problems.Select(p => $"{Environment.NewLine}- {p}"))}";
}
