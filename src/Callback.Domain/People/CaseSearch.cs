using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Callback.Domain.Localization;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Callback.Domain.People;

/// <summary>A file found by a search, and what it was found by (the best first: reference, phone, address, name, sound of the name).</summary>
public sealed record SearchHit(FileSummary File, IReadOnlyList<PersonKeyKind> MatchedBy);

/// <summary>What a search found: the files in the reader's scope, and how many more outside it (a count, never the files).</summary>
public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, int OutsideScope, bool Truncated);

/// <summary>
/// Finds a file by what a caller says: its reference, a phone number however written (read to E.164 as intake does), a
/// name without regard to case or accents (each word, or its sound when misspelt), or an address. Every search is a
/// consultation: it writes one audit entry with the purpose the reader gave, the kinds of term and the counts (never
/// the term itself, which is the victim's data). Only files in the reader's scope are returned.
/// </summary>
public sealed class CaseSearch(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, ILogger<CaseSearch> logger)
{
    /// <summary>Files shown at most; more is a sign the terms should be narrower.</summary>
    public const int MaxHits = 50;

    public const int MinQueryLength = 2;
    public const int MaxQueryLength = 200;

    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    public async Task<SearchResults> SearchAsync(string query, string purpose, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.Search))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.Search"));
        }

        var term = query?.Trim() ?? "";
        if (term.Length < MinQueryLength || term.Length > MaxQueryLength)
        {
            throw new CaseRuleException(DomainText.Format("Search.QueryLength", MinQueryLength, MaxQueryLength));
        }

        if (string.IsNullOrWhiteSpace(purpose))
        {
            throw new CaseRuleException(DomainText.Get("Search.PurposeRequired"));
        }

        var wanted = Terms(term);
        var names = PersonNames.Tokens(term).Where(t => t.All(char.IsAsciiLetter)).ToList();
        var values = wanted.Select(w => w.Value).Distinct(StringComparer.Ordinal).ToList();

        SearchResults results;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var rows = await db.PersonKeys.AsNoTracking().Where(k => values.Contains(k.Value))
                .Select(k => new { k.CaseId, k.Kind, k.Value }).ToListAsync(cancellationToken);

            var found = new Dictionary<Guid, SortedSet<PersonKeyKind>>();
            void Found(Guid id, PersonKeyKind kind)
            {
                if (!found.TryGetValue(id, out var kinds))
                {
                    found[id] = kinds = [];
                }

                kinds.Add(kind);
            }

            foreach (var row in rows.Where(r => wanted.Contains((r.Kind, r.Value))))
            {
                Found(row.CaseId, row.Kind);
            }

            if (names.Count > 0)
            {
                foreach (var (caseId, exact) in await NamedAsync(db, names, cancellationToken))
                {
                    Found(caseId, exact ? PersonKeyKind.NameToken : PersonKeyKind.Phonetic);
                }
            }

            var (inScope, outside) = await PersonMatching.SummariesAsync(db, found.Keys, actor, cancellationToken);
            var hits = inScope.Select(s => new SearchHit(s, found[s.CaseId].ToList()))
                .OrderBy(h => h.MatchedBy.Min(Rank)).ThenByDescending(h => h.File.CreatedAtUtc)
                .ToList();
            results = new SearchResults(hits.Take(MaxHits).ToList(), outside, hits.Count > MaxHits);
        }

        var by = wanted.Select(w => w.Kind).Concat(names.Count > 0 ? [PersonKeyKind.NameToken] : []).Distinct();
        await _unitOfWork.AuditAsync(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor.Id, null, AuditActions.Search, null, null,
            AuditReason(purpose, by, results)), cancellationToken);
        return results;
    }

    /// <summary>The reason of a <see cref="AuditActions.Search"/> entry: the purpose as typed, the kinds of term, the counts (never the term).</summary>
    public static string AuditReason(string purpose, IEnumerable<PersonKeyKind> by, SearchResults results)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(results);
        return $"purpose: {purpose.Trim()}; by {string.Join(", ", by)}; {results.Hits.Count + (results.Truncated ? 1 : 0)}{(results.Truncated ? "+" : "")} in scope, {results.OutsideScope} outside";
    }

    /// <summary>Keys counted, at most, to tell which word of a name is the rarest.</summary>
    private const int RarestProbe = 2_000;

    /// <summary>
    /// The files of the people named <paramref name="names"/>: every word is a word of the same person's name, or sounds
    /// like one (a misspelling); <c>Exact</c> when every word was spelled as in the file. The database intersects the
    /// words itself, walking the rarest first, so a common first name costs no more than a rare surname.
    /// </summary>
    private static async Task<List<(Guid CaseId, bool Exact)>> NamedAsync(CallbackDbContext db, List<string> names, CancellationToken cancellationToken)
    {
        // Each word by its sound; a word without one (no letter the key keeps) by its spelling.
        var words = new List<(PersonKeyKind Kind, string Value, int Count)>();
        foreach (var (kind, value) in names.Select(n => PersonNames.Phonetic(n) is { Length: > 0 } sound ? (PersonKeyKind.Phonetic, sound) : (PersonKeyKind.NameToken, n)).Distinct())
        {
            var count = await db.PersonKeys.Where(k => k.Value == value && k.Kind == kind)
                .OrderBy(k => k.Role).ThenBy(k => k.CaseId).Take(RarestProbe).CountAsync(cancellationToken);
            words.Add((kind, value, count));
        }

        words.Sort((a, b) => a.Count.CompareTo(b.Count));
        if (words[0].Count == 0)
        {
            return [];
        }

        var (rarestKind, rarest, _) = words[0];
        var people = db.PersonKeys.AsNoTracking().Where(k => k.Value == rarest && k.Kind == rarestKind);
        foreach (var (kind, value, _) in words.Skip(1))
        {
            people = people.Where(k => db.PersonKeys.Any(o => o.Value == value && o.Kind == kind && o.Role == k.Role && o.CaseId == k.CaseId));
        }

        var found = await people.Select(k => new { k.CaseId, k.Role }).ToListAsync(cancellationToken);
        var spelled = new HashSet<(Guid, PersonRole)>();
        foreach (var ids in found.Select(p => p.CaseId).Distinct().Chunk(500))
        {
            var tokens = await db.PersonKeys.AsNoTracking()
                .Where(k => ids.Contains(k.CaseId) && k.Kind == PersonKeyKind.NameToken && names.Contains(k.Value))
                .Select(k => new { k.CaseId, k.Role, k.Value }).ToListAsync(cancellationToken);
            spelled.UnionWith(tokens.GroupBy(t => (t.CaseId, t.Role)).Where(g => names.All(n => g.Any(t => t.Value == n))).Select(g => g.Key));
        }

        return found.GroupBy(p => p.CaseId).Select(g => (g.Key, g.Any(p => spelled.Contains((p.CaseId, p.Role))))).ToList();
    }

    /// <summary>The exact keys a term may be: a reference, a phone number, an address.</summary>
    private static HashSet<(PersonKeyKind Kind, string Value)> Terms(string term)
    {
        var terms = new HashSet<(PersonKeyKind, string)> { (PersonKeyKind.Reference, PersonKey.ReferenceKey(term)) };
        if (term.Count(char.IsAsciiDigit) >= 6 && FrenchPhoneNumbers.ToE164(term) is { } phone)
        {
            terms.Add((PersonKeyKind.Phone, phone));
        }

        if (PersonNames.AddressKey(term) is { } address && address.Contains(' ', StringComparison.Ordinal) && address.Any(char.IsAsciiLetter))
        {
            terms.Add((PersonKeyKind.Address, address));
        }

        return terms;
    }

    private static int Rank(PersonKeyKind kind) => kind switch
    {
        PersonKeyKind.Reference => 0,
        PersonKeyKind.Phone => 1,
        PersonKeyKind.Address => 2,
        PersonKeyKind.NameToken or PersonKeyKind.NameAndBirthDate => 3,
        _ => 4,
    };
}
