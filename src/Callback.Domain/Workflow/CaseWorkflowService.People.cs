using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Localization;
using Callback.Domain.People;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Workflow;

/// <summary>
/// A new case, and the open files of the same victim or perpetrator it was linked to: those in the opener's scope by
/// id, the others as a count.
/// </summary>
public sealed record OpenedCase(Guid CaseId, IReadOnlyList<Guid> OpenFilesInScope, int OpenFilesOutsideScope)
{
    /// <summary>Repeat victimisation: the victim or the perpetrator already has an open file.</summary>
    public bool IsRepeat => OpenFilesInScope.Count + OpenFilesOutsideScope > 0;
}

/// <summary>One person across files (issue 19): intake links a new file to the open ones, the victim calls in, officers decide matches.</summary>
public sealed partial class CaseWorkflowService
{
    /// <summary>
    /// Opens a case for a new file and links it to the open files of the same victim or perpetrator (by phone, name with
    /// birth date, or address): each such open file's danger goes up one level, raise-only, with the reason, in the same
    /// transaction as the new case and their audit entries.
    /// </summary>
    public async Task<OpenedCase> OpenAndMatchAsync(string unitCode, NewCase facts, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(CaseAction.Open))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.OpenCases"));
        }

        return await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var db = write.Db;
            var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode, ct)
                ?? throw new CaseRuleException(DomainText.Format("Workflow.UnitUnknown", unitCode));
            if (!actor.CanSee(unit))
            {
                throw new ActionForbiddenException(DomainText.Format("Forbidden.UnitOutOfScope", unitCode));
            }

            var reference = facts.FileReference.Trim();
            if (await db.Cases.AnyAsync(c => c.UnitId == unit.Id && c.FileReference == reference, ct))
            {
                throw new CaseRuleException(DomainText.Format("Workflow.FileAlreadyOpen", reference, unit.Code));
            }

            var now = Now();
            var c = Case.Open(facts, unit, now, _policy);
            db.Cases.Add(c);
            var keys = PersonKey.Of(c);
            db.PersonKeys.AddRange(keys);

            var earlier = await Repeats.FindAsync(db, [(c.Id, keys)], ct);
            var open = await RecordRepeatsAsync(write, [c], earlier, actor, _policy, now, ct);
            Record(write, c, unit, actor, alarmChanged: true, now);
            var inScope = open.Where(o => actor.CanSee(o.Unit!)).Select(o => o.Id).ToList();
            return new OpenedCase(c.Id, inScope, open.Count - inScope.Count);
        }, StaleReads.ReadAgain, cancellationToken);
    }

    /// <summary>
    /// Records each of <paramref name="newCases"/> on the earlier open files of its people (<paramref name="earlier"/>, in
    /// the same order): a file in the database is loaded, raised one level (raise-only) and queued for the chain in
    /// <paramref name="write"/>'s transaction; one among the new cases themselves is raised in memory, before it is
    /// written. Each new case records the open files it was linked to. Returns the files loaded from the database.
    /// </summary>
    internal static async Task<List<Case>> RecordRepeatsAsync(
        AuditedWrite write, IReadOnlyList<Case> newCases, IReadOnlyList<EarlierFiles> earlier, Actor actor, DeadlinePolicy policy, DateTime now, CancellationToken ct)
    {
        var fresh = newCases.ToDictionary(c => c.Id);
        var stored = new Dictionary<Guid, Case>();
        foreach (var ids in earlier.SelectMany(e => e.Keys).Where(id => !fresh.ContainsKey(id)).Distinct().Chunk(500))
        {
            foreach (var c in await write.Db.Cases.Include(x => x.Unit).Where(x => ids.Contains(x.Id)).ToListAsync(ct))
            {
                stored[c.Id] = c;
            }
        }

        var alarmsBefore = stored.Values.ToDictionary(c => c.Id, c => c.AlarmVersion);
        for (var i = 0; i < newCases.Count; i++)
        {
            var linked = new List<Guid>();
            foreach (var id in earlier[i].Keys)
            {
                if ((stored.GetValueOrDefault(id) ?? fresh.GetValueOrDefault(id)) is { } file)
                {
                    file.RecordRepeatFile(newCases[i].Id, earlier[i].MatchedBy(id), now, policy);
                    linked.Add(id);
                }
            }

            newCases[i].RecordEarlierOpenFiles(linked, now);
        }

        foreach (var c in stored.Values)
        {
            write.Db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
            Record(write, c, c.Unit!, actor, c.AlarmVersion != alarmsBefore[c.Id], now);
        }

        return [.. stored.Values];
    }

    /// <summary>
    /// The victim called the cell: with the same questionnaire and grid as a call out. On a case awaiting contact it is
    /// the contact, under follow-up the check-in; on a closed case put under follow-up (or whose answers call for a patrol)
    /// her call reopens it and is its contact (<see cref="Case.RecordInboundCall"/>): an officer's call-cell action, audited
    /// as the call, the reopening and what followed. Otherwise it is kept with its answers and the state stays. Returns
    /// the case after it, and whether the call was its contact.
    /// </summary>
    public async Task<(CaseSnapshot Case, bool WasContact)> RecordInboundCallAsync(Guid caseId, int expectedVersion, ContactReport report, Actor actor, CancellationToken cancellationToken = default)
    {
        var wasContact = false;
        var snapshot = await ActAsync(caseId, expectedVersion, actor, CaseAction.RecordContact, claim: true,
            (c, now) => wasContact = c.RecordInboundCall(report, actor.Id, now, _policy), cancellationToken);
        return (snapshot, wasContact);
    }

    /// <summary>
    /// The file references of <paramref name="caseIds"/> that <paramref name="actor"/> may see: a history names other files by
    /// id (the audit log holds identifiers only), and an officer reads them by reference. A file outside her scope is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, string>> FileReferencesAsync(IReadOnlyCollection<Guid> caseIds, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        ArgumentNullException.ThrowIfNull(actor);
        if (caseIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var (inScope, _) = await PersonMatching.SummariesAsync(db, caseIds, actor, cancellationToken);
        return inScope.ToDictionary(f => f.CaseId, f => f.Reference);
    }

    /// <summary>The other files of this case's victim and perpetrator: in the reader's scope, and a count of the others.</summary>
    public async Task<CaseMatches> MatchesAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        await GetAsync(caseId, actor, cancellationToken);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        return await PersonMatching.OfCaseAsync(db, caseId, actor, cancellationToken);
    }

    /// <summary>
    /// An officer says whether <paramref name="otherCaseId"/> is about the same <paramref name="role"/> as
    /// <paramref name="caseId"/>. Both files must be in her scope. The last word stands; each is audited on both files.
    /// </summary>
    public async Task DecideMatchAsync(Guid caseId, Guid otherCaseId, PersonRole role, bool confirmed, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(CaseAction.DecideMatch))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.CaseAction"));
        }

        var c = await GetAsync(caseId, actor, cancellationToken);
        var other = await GetAsync(otherCaseId, actor, cancellationToken);
        await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var (first, second) = PersonLink.Pair(caseId, otherCaseId);
            var link = await write.Db.PersonLinks.SingleOrDefaultAsync(l => l.FirstCaseId == first && l.SecondCaseId == second && l.Role == role, ct);
            if (link is null)
            {
                link = PersonLink.For(caseId, otherCaseId, role);
                write.Db.PersonLinks.Add(link);
            }

            var now = Now();
            link.Decide(confirmed, actor.Id, now);
            var action = confirmed ? AuditActions.MatchConfirmed : AuditActions.MatchRejected;
            write.Audit(new AuditRecord(now, actor.Id, caseId, action, c.State.ToString(), c.State.ToString(), PersonLink.AuditReason(role, otherCaseId)));
            write.Audit(new AuditRecord(now, actor.Id, otherCaseId, action, other.State.ToString(), other.State.ToString(), PersonLink.AuditReason(role, caseId)));
            return true;
        }, StaleReads.Surface, cancellationToken);
    }
}
