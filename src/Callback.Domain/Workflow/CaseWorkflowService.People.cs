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

            var matched = await PersonMatching.OthersAsync(db, c.Id, keys, ct);
            var byCase = matched.GroupBy(m => m.Key.CaseId)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(m => $"{m.Key.Role.ToString().ToLowerInvariant()} by {string.Join(", ", m.Value)}")));
            var ids = byCase.Keys.ToList();
            var open = ids.Count == 0 ? [] : await db.Cases.Include(x => x.Unit)
                .Where(x => ids.Contains(x.Id) && x.State != CaseState.Closed && x.AnonymisedAtUtc == null).ToListAsync(ct);
            foreach (var earlier in open)
            {
                var alarmBefore = earlier.AlarmVersion;
                earlier.RecordRepeatFile(c.Id, byCase[earlier.Id], now, _policy);
                db.Entry(earlier).Property(x => x.Version).CurrentValue = earlier.Version + 1;
                Record(write, earlier, earlier.Unit!, actor, earlier.AlarmVersion != alarmBefore, now);
            }

            c.RecordEarlierOpenFiles(open.Select(o => o.Id).ToList(), now);
            Record(write, c, unit, actor, alarmChanged: true, now);
            var inScope = open.Where(o => actor.CanSee(o.Unit!)).Select(o => o.Id).ToList();
            return new OpenedCase(c.Id, inScope, open.Count - inScope.Count);
        }, StaleReads.Surface, cancellationToken);
    }

    /// <summary>
    /// The victim called the cell: with the same questionnaire and grid as a call out. On a case awaiting contact it is
    /// the contact; on any other it is kept with its answers and the state stays (on a closed case, the officer opens a
    /// new linked file for the follow-up). Returns the case after it, and whether the call was its contact.
    /// </summary>
    public async Task<(CaseSnapshot Case, bool WasContact)> RecordInboundCallAsync(Guid caseId, int expectedVersion, ContactReport report, Actor actor, CancellationToken cancellationToken = default)
    {
        var wasContact = false;
        var snapshot = await ActAsync(caseId, expectedVersion, actor, CaseAction.RecordContact, claim: true,
            (c, now) => wasContact = c.RecordInboundCall(report, actor.Id, now, _policy), cancellationToken);
        return (snapshot, wasContact);
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
            var what = role.ToString().ToLowerInvariant();
            write.Audit(new AuditRecord(now, actor.Id, caseId, action, c.State.ToString(), c.State.ToString(), $"{what}, file {otherCaseId}"));
            write.Audit(new AuditRecord(now, actor.Id, otherCaseId, action, other.State.ToString(), other.State.ToString(), $"{what}, file {caseId}"));
            return true;
        }, StaleReads.Surface, cancellationToken);
    }
}
