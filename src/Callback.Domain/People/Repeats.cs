using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.People;

/// <summary>The earlier open files of a new file's people: by file, whose match it is and by what.</summary>
public sealed class EarlierFiles : Dictionary<Guid, List<(PersonRole Role, PersonKeyKind Kind)>>
{
    /// <summary>What <paramref name="earlier"/> was matched by, as its <see cref="Audit.AuditActions.RepeatVictimisation"/> entry records it.</summary>
    public string MatchedBy(Guid earlier) =>
        PersonMatching.MatchedBy(this[earlier].GroupBy(m => m.Role).Select(g => (g.Key, g.Select(m => m.Kind))));
}

/// <summary>
/// Repeat victimisation at intake (issue 19.4): for new files taken in order, the open files of the same victim or
/// perpetrator. Open files in the database (not closed, personal data still held) and the new files before it in the
/// same list both count, so a form, an API call and an import of a thousand rows flag the same files. Reads the key
/// table by its index, a few hundred values a query. A new file is linked to <see cref="MaxLinked"/> open files at
/// most (the newest of the list first): a number or an address many files share (a switchboard, a shelter) would
/// otherwise link every file to every other and raise them all.
/// </summary>
public static class Repeats
{
    public const int MaxLinked = 10;

    private const int ValuesPerQuery = 500;

    /// <summary>For each of <paramref name="files"/> (its id and its keys, in intake order): its earlier open files.</summary>
    public static async Task<List<EarlierFiles>> FindAsync(
        CallbackDbContext db, IReadOnlyList<(Guid Id, IReadOnlyList<PersonKey> Keys)> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(files);
        var wanted = files.SelectMany(f => Matching(f.Keys)).ToHashSet();
        var newIds = files.Select(f => f.Id).ToHashSet();
        var inDatabase = new Dictionary<(PersonRole, PersonKeyKind, string), List<Guid>>();
        foreach (var values in wanted.Select(k => k.Value).Distinct(StringComparer.Ordinal).Chunk(ValuesPerQuery))
        {
            var rows = await db.PersonKeys.AsNoTracking().Where(k => values.Contains(k.Value))
                .Select(k => new { k.CaseId, k.Role, k.Kind, k.Value }).ToListAsync(cancellationToken);
            foreach (var row in rows.Where(r => !newIds.Contains(r.CaseId) && wanted.Contains((r.Role, r.Kind, r.Value))))
            {
                Add(inDatabase, (row.Role, row.Kind, row.Value), row.CaseId);
            }
        }

        var open = new HashSet<Guid>();
        foreach (var ids in inDatabase.Values.SelectMany(v => v).Distinct().Chunk(ValuesPerQuery))
        {
            open.UnionWith(await db.Cases.AsNoTracking()
                .Where(c => ids.Contains(c.Id) && c.State != CaseState.Closed && c.AnonymisedAtUtc == null)
                .Select(c => c.Id).ToListAsync(cancellationToken));
        }

        var seen = new Dictionary<(PersonRole, PersonKeyKind, string), List<Guid>>();
        var found = new List<EarlierFiles>(files.Count);
        foreach (var (id, keys) in files)
        {
            var earlier = new EarlierFiles();
            foreach (var key in Matching(keys))
            {
                var before = Enumerable.Reverse(seen.GetValueOrDefault(key) ?? []).Concat((inDatabase.GetValueOrDefault(key) ?? []).Where(open.Contains));
                foreach (var other in before.Where(o => o != id && (earlier.Count < MaxLinked || earlier.ContainsKey(o))))
                {
                    if (!earlier.TryGetValue(other, out var by))
                    {
                        earlier[other] = by = [];
                    }

                    if (!by.Contains((key.Role, key.Kind)))
                    {
                        by.Add((key.Role, key.Kind));
                    }
                }
            }

            found.Add(earlier);
            foreach (var key in Matching(keys))
            {
                Add(seen, key, id);
                // Only the newest can be linked: a key thousands of new files share keeps a short list.
                if (seen[key] is { Count: > 4 * MaxLinked } list)
                {
                    list.RemoveRange(0, list.Count - MaxLinked);
                }
            }
        }

        return found;
    }

    private static IEnumerable<(PersonRole Role, PersonKeyKind Kind, string Value)> Matching(IEnumerable<PersonKey> keys) =>
        keys.Where(k => PersonKey.Matching.Contains(k.Kind)).Select(k => (k.Role, k.Kind, k.Value)).Distinct();

    private static void Add(Dictionary<(PersonRole, PersonKeyKind, string), List<Guid>> index, (PersonRole, PersonKeyKind, string) key, Guid id)
    {
        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = [];
        }

        if (ids.Count == 0 || ids[^1] != id)
        {
            ids.Add(id);
        }

    }
}
