using System.Net;
using System.Text.RegularExpressions;

namespace Callback.Web.Tests.Security;

/// <summary>
/// Every page a role may open, as the server renders it for a French reader (no Accept-Language: French is the
/// default), carries no English sentence: in its text or in what a screen reader says (title, aria-label,
/// placeholder, alt).
/// </summary>
public sealed partial class FrenchThroughoutTests
{
    /// <summary>Words that are English and never French. "a", "on", "or", "as", "an", "case", "due", "queue" are left out: French uses them too.</summary>
    private static readonly HashSet<string> EnglishWords = new(StringComparer.Ordinal)
    {
        "the", "and", "you", "your", "please", "with", "this", "that", "cannot", "can't", "is", "are", "was", "were",
        "of", "to", "for", "from", "has", "have", "will", "not", "no", "yes", "be", "been", "by", "it", "its",
        "which", "when", "who", "what", "there", "their", "should", "must", "would", "could", "here", "sign", "signed",
        "cases", "victim", "officer", "call", "calls", "overdue", "open", "close", "closed", "save", "cancel",
        "search", "loading", "error", "unknown", "none", "empty", "patrol", "review", "reviewed", "unit", "units",
        "back", "next", "previous", "show", "hide", "details", "all", "new", "add", "remove", "delete", "edit", "send",
        "reason", "reasons", "deadline", "deadlines", "reached", "unreachable", "attempt", "attempts", "dashboard",
    };

    /// <summary>Tokens a French page may carry that the list above would flag: product and standard names. Words in capitals (codes, keys) are skipped too.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "Callback", "CSV", "XLSX", "API", "OpenAPI", "QR" };

    public static TheoryData<string> Roles() => new() { "officer62", "supervisor62", "dispatcher62", "admin" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryPageTheRoleMayOpen_ReadsInFrench(string account)
    {
        await using var site = await SecuredSite.StartAsync();
        var client = await site.SignedInAsync(account);
        var column = Array.IndexOf(AuthorizationMatrixTests.Columns, account);
        var pages = AuthorizationMatrixTests.Matrix()
            .Where(r => r.Key.StartsWith("GET /", StringComparison.Ordinal) && r.Value[column] == "yes")
            .Select(r => r.Key[4..])
            .Where(p => !p.Contains("export", StringComparison.Ordinal) && !p.StartsWith("/api/", StringComparison.Ordinal)
                && !p.StartsWith("/openapi", StringComparison.Ordinal) && !p.StartsWith("/hangfire", StringComparison.Ordinal)
                && !p.StartsWith("/health", StringComparison.Ordinal) && !p.Contains("{reference}", StringComparison.Ordinal))
            .ToList();
        Assert.True(pages.Count >= 4, $"{account} may open too few pages for this test to be trusted: {string.Join(", ", pages)}");

        var failures = new List<string>();
        foreach (var template in pages)
        {
            var path = template.Replace("{Id:guid}", site.CaseId.ToString(), StringComparison.Ordinal)
                .Replace("{unit}", "CTC-62", StringComparison.Ordinal);
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("lang=\"fr", html, StringComparison.Ordinal);
            failures.AddRange(EnglishIn(html).Select(sentence => $"{path}: \"{sentence}\""));
        }

        Assert.True(failures.Count == 0, $"English on French pages for {account}:\n" + string.Join("\n", failures.Distinct()));
    }

    [Fact]
    public void TheDetector_FindsAnEnglishSentence_AndPassesAFrenchOne()
    {
        Assert.NotEmpty(EnglishIn("<main><p>The victim could not be reached.</p></main>"));
        Assert.NotEmpty(EnglishIn("<main><button aria-label=\"Close the case\">×</button></main>"));
        Assert.Empty(EnglishIn("<main><p>La victime n'a pas pu être jointe.</p><script>var the = 1;</script></main>"));
        Assert.Empty(EnglishIn("<main><code>63f4dd5e7668de9786bb5378a917d6f434a6be0a15c27e36460a0d449c0c7e41</code></main>"));
    }

    /// <summary>The stretches of visible or spoken text holding an English word.</summary>
    private static IEnumerable<string> EnglishIn(string html)
    {
        var body = NotRead().Replace(html, " ");
        var spoken = SpokenAttribute().Matches(body).Select(m => WebUtility.HtmlDecode(m.Groups[2].Value) ?? "");
        var text = Tag().Split(body).Select(t => WebUtility.HtmlDecode(t) ?? "");
        foreach (var stretch in spoken.Concat(text).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            var words = Word().Matches(PathOrAddress().Replace(stretch, " ")).Select(m => m.Value).Where(w => !Allowed.Contains(w) && !(w.Length > 1 && w.All(char.IsUpper))).ToList();
            if (words.Any(w => EnglishWords.Contains(w.ToLowerInvariant())) && !LooksLikeData(stretch))
            {
                yield return stretch.Length > 120 ? stretch[..120] : stretch;
            }
        }
    }

    /// <summary>A lone identifier (a reference, a code, a hash printed on a copy) is data, not a sentence.</summary>
    private static bool LooksLikeData(string stretch) =>
        !stretch.Contains(' ', StringComparison.Ordinal) && (stretch.Contains('-', StringComparison.Ordinal) || (stretch.Length >= 16 && stretch.All(char.IsAsciiHexDigit)));

    [GeneratedRegex(@"<(script|style|template|svg)\b.*?</\1>|<!--.*?-->|<head\b.*?</head>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex NotRead();

    [GeneratedRegex("\\b(title|aria-label|placeholder|alt)=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex SpokenAttribute();

    [GeneratedRegex(@"(?<!\w)/[\w/{}.:-]+|\S+@\S+")]
    private static partial Regex PathOrAddress();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\p{L}[\p{L}']*")]
    private static partial Regex Word();
}
