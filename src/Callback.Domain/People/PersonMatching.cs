using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.People;

/// <summary>A file as a list shows it: enough to choose it, nothing of the identity beyond initials.</summary>
public sealed record FileSummary(
    Guid CaseId, string Reference, string UnitCode, CaseState State, DateTime? DueAtUtc, DangerLevel Danger, ConfidentialityTier Tier, string Initials, DateTime CreatedAtUtc);

/// <summary>Another file of the same victim or perpetrator, what it was matched by, and an officer's word on it (null: none yet).</summary>
public sealed record FileMatch(FileSummary File, PersonRole Role, IReadOnlyList<PersonKeyKind> MatchedBy, bool? Confirmed);

/// <summary>The other files of a case's people: those in the reader's scope, and how many outside it (a count only).</summary>
public sealed record CaseMatches(IReadOnlyList<FileMatch> InScope, int OutsideScope);

/// <summary>
/// One person across files: the victim of one file is the victim of another when they share a phone number, a
/// normalised name with the same birth date, or a normalised address; the perpetrator when name and birth date agree.
/// A name alone matches nobody (too many Martins). Everything here reads the key table by its index.
/// </summary>
public static class PersonMatching
{
    /// <summary>Values per query: well under the parameter limits of SQLite and PostgreSQL.</summary>
    private const int ValuesPerQuery = 500;

    /// <summary>The other cases whose people share a matching key with <paramref name="keys"/> (same role), and by what.</summary>
    public static async Task<Dictionary<(Guid CaseId, PersonRole Role), List<PersonKeyKind>>> OthersAsync(
        CallbackDbContext db, Guid caseId, IEnumerable<PersonKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var mine = keys.Where(k => PersonKey.Matching.Contains(k.Kind)).Select(k => (k.Role, k.Kind, k.Value)).ToHashSet();
        var found = new Dictionary<(Guid, PersonRole), List<PersonKeyKind>>();
        foreach (var values in mine.Select(k => k.Value).Distinct(StringComparer.Ordinal).Chunk(ValuesPerQuery))
        {
            var rows = await db.PersonKeys.AsNoTracking()
                .Where(k => values.Contains(k.Value) && k.CaseId != caseId)
                .Select(k => new { k.CaseId, k.Role, k.Kind, k.Value })
                .ToListAsync(cancellationToken);
            foreach (var row in rows.Where(r => mine.Contains((r.Role, r.Kind, r.Value))))
            {
                if (!found.TryGetValue((row.CaseId, row.Role), out var kinds))
                {
                    found[(row.CaseId, row.Role)] = kinds = [];
                }

                if (!kinds.Contains(row.Kind))
                {
                    kinds.Add(row.Kind);
                }
            }
        }

        return found;
    }

    /// <summary>The summaries of <paramref name="ids"/>, split by <paramref name="actor"/>'s scope.</summary>
    public static async Task<(List<FileSummary> InScope, int OutsideScope)> SummariesAsync(
        CallbackDbContext db, IReadOnlyCollection<Guid> ids, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inScope = new List<FileSummary>();
        var outside = 0;
        foreach (var chunk in ids.Chunk(ValuesPerQuery))
        {
            var rows = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id))
                .Select(c => new
                {
                    c.Id, c.FileReference, c.UnitId, c.Unit!.Code, c.Unit.Departement, c.State, c.DueAtUtc, c.Danger, c.Tier,
                    c.Victim.FirstName, c.Victim.LastName, c.CreatedAtUtc,
                })
                .ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                if (CaseScope.Allows(actor, r.UnitId, r.Departement))
                {
                    inScope.Add(new FileSummary(r.Id, r.FileReference, r.Code, r.State, r.DueAtUtc, r.Danger, r.Tier, Initials(r.FirstName, r.LastName), r.CreatedAtUtc));
                }
                else
                {
                    outside++;
                }
            }
        }

        return (inScope, outside);
    }

    /// <summary>The other files of the victim and the perpetrator of <paramref name="caseId"/>, with officers' decisions on them.</summary>
    public static async Task<CaseMatches> OfCaseAsync(CallbackDbContext db, Guid caseId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var keys = await db.PersonKeys.AsNoTracking().Where(k => k.CaseId == caseId).ToListAsync(cancellationToken);
        var others = await OthersAsync(db, caseId, keys, cancellationToken);
        var decisions = await db.PersonLinks.AsNoTracking()
            .Where(l => l.FirstCaseId == caseId || l.SecondCaseId == caseId).ToListAsync(cancellationToken);
        var decided = decisions.ToDictionary(l => (l.Other(caseId), l.Role), l => l.Confirmed);
        var ids = others.Keys.Select(k => k.CaseId).Distinct().ToList();
        var (inScope, outside) = await SummariesAsync(db, ids, actor, cancellationToken);
        var byId = inScope.ToDictionary(s => s.CaseId);
        var matches = others
            .Where(o => byId.ContainsKey(o.Key.CaseId))
            .Select(o => new FileMatch(byId[o.Key.CaseId], o.Key.Role, o.Value, decided.TryGetValue(o.Key, out var d) ? d : null))
            .OrderBy(m => m.Role).ThenByDescending(m => m.File.CreatedAtUtc)
            .ToList();
        return new CaseMatches(matches, outside);
    }

    /// <summary>Deletes and rewrites the keys of <paramref name="cases"/> in the caller's transaction (their people changed).</summary>
    public static async Task ReplaceKeysAsync(CallbackDbContext db, IReadOnlyCollection<Case> cases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var chunk in cases.Select(c => c.Id).Chunk(ValuesPerQuery))
        {
            await db.PersonKeys.Where(k => chunk.Contains(k.CaseId)).ExecuteDeleteAsync(cancellationToken);
        }

        await BulkInsert.InsertAsync(db, cases.SelectMany(PersonKey.Of).ToList(), cancellationToken);
    }

    /// <summary>What a repeat file was matched by, as its audit entry records it: <c>victim by Phone, Address; perpetrator by NameAndBirthDate</c>.</summary>
    public static string MatchedBy(IEnumerable<(PersonRole Role, IEnumerable<PersonKeyKind> Kinds)> matches) =>
        string.Join("; ", matches.Select(m => $"{m.Role.ToString().ToLowerInvariant()} by {string.Join(", ", m.Kinds)}"));

    internal static string Initials(string firstName, string lastName) =>
        $"{(firstName.Length > 0 ? char.ToUpperInvariant(firstName[0]) : '?')}{(lastName.Length > 0 ? char.ToUpperInvariant(lastName[0]) : '?')}";
}
