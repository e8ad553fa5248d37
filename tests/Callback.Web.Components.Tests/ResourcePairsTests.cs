using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Every page resource is French (the neutral file) and English (<c>.en.resx</c>): the two hold the same keys with the
/// same placeholders, so no label falls back to its key or to the other language, and no format loses an argument.
/// </summary>
public partial class ResourcePairsTests
{
    public static TheoryData<string> Pairs()
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Callback.Web", "Localization");
        var pairs = new TheoryData<string>();
        foreach (var french in Directory.GetFiles(folder, "*.resx").Where(f => !f.EndsWith(".en.resx", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            pairs.Add(Path.GetFileNameWithoutExtension(french));
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void FrenchAndEnglish_HoldTheSameKeys_WithTheSamePlaceholders(string resource)
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Callback.Web", "Localization");
        var french = Entries(Path.Combine(folder, $"{resource}.resx"));
        var english = Entries(Path.Combine(folder, $"{resource}.en.resx"));

        Assert.Empty(french.Keys.Except(english.Keys).Select(k => $"{resource}: {k} has no English"));
        Assert.Empty(english.Keys.Except(french.Keys).Select(k => $"{resource}: {k} has no French"));
        Assert.Empty(french.Keys.Intersect(english.Keys)
            .Where(k => !Placeholders(french[k]).SetEquals(Placeholders(english[k])))
            .Select(k => $"{resource}: {k} has placeholders {string.Join(",", Placeholders(french[k]))} in French, {string.Join(",", Placeholders(english[k]))} in English"));
    }

    private static Dictionary<string, string> Entries(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static HashSet<string> Placeholders(string value) => [.. Placeholder().Matches(value).Select(m => m.Groups[1].Value)];

    /// <summary>The repository's root (where Callback.sln is), for the tests that read the sources.</summary>
    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Callback.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Callback.sln not found above the test's folder");
    }

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();
}
