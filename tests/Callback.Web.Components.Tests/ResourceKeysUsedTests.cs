using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Callback.Web.Components.Tests;

/// <summary>
/// A page that asks its localizer for a key the resources do not hold shows the key itself: "Unit" on a French page.
/// Every literal key a component asks for (<c>L["…"]</c>, through the localizer it injects) must be in that resource.
/// </summary>
public sealed partial class ResourceKeysUsedTests
{
    [Fact]
    public void EveryLiteralKeyAComponentAsksFor_IsInItsResource()
    {
        var root = ResourcePairsTests.RepositoryRoot();
        var web = Path.Combine(root, "src", "Callback.Web");
        var keys = Directory.GetFiles(Path.Combine(web, "Localization"), "*.resx")
            .Where(f => !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f),
                f => XDocument.Load(f).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal));
        var missing = new List<string>();
        var checkedKeys = 0;
        foreach (var file in Directory.GetFiles(web, "*.razor", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            foreach (Match inject in InjectPattern().Matches(source))
            {
                var (resource, name) = (inject.Groups[1].Value, inject.Groups[2].Value);
                if (!keys.TryGetValue(resource, out var known))
                {
                    continue;
                }

                foreach (Match use in new Regex($@"\b{Regex.Escape(name)}\[""([^""{{}}]+)""\]").Matches(source))
                {
                    checkedKeys++;
                    if (!known.Contains(use.Groups[1].Value))
                    {
                        missing.Add($"{Path.GetRelativePath(root, file)}: {name}[\"{use.Groups[1].Value}\"] is not in {resource}.resx");
                    }
                }
            }
        }

        Assert.True(checkedKeys > 500, $"only {checkedKeys} keys found: the pattern no longer reads the components");
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing.Distinct()));
    }

    [GeneratedRegex(@"@inject\s+(?:Microsoft\.Extensions\.Localization\.)?IStringLocalizer<(?:[\w.]+\.)?(\w+)>\s+(\w+)")]
    private static partial Regex InjectPattern();
}
