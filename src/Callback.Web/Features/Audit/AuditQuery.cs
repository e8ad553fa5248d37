using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Audit;

/// <summary>What the audit page asks for. Dates are days in the viewer's zone (their unit's), both inclusive.</summary>
public sealed record AuditFilter(Guid? CaseId = null, string? Actor = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// One entry as the page shows it; <see cref="AtLocal"/> is in the viewer's zone, <see cref="Zone"/>. <see cref="FileReference"/>
/// names the case as people do (null when the case is gone).
/// </summary>
public sealed record AuditRow(long Sequence, DateTime AtUtc, DateTime AtLocal, string Zone, string ActorId, string ActorName, Guid? CaseId, string Action, string? FromState, string? ToState, string? Reason, bool ReasonErased, string? FileReference = null);

/// <summary>
/// Reads the audit log for the <c>/audit</c> page. An Admin reads all of it; a Supervisor reads the entries about the
/// cases of their département (who opened an identity, who was refused, every transition), nothing else.
/// </summary>
public sealed class AuditQuery(IDbContextFactory<CallbackDbContext> databases)
{
    public const int MaxRows = 500;

    public static bool MayRead(Actor actor) => actor?.May(Feature.Audit) == true;

    public async Task<IReadOnlyList<AuditRow>> SearchAsync(Actor actor, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        if (!MayRead(actor))
        {
            throw new ActionForbiddenException("Only supervisors and admins read the audit log.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        // Whoever sees everything also reads the entries about no case (refused paths, users, keys); the others read
        // only the entries about the cases of their scope.
        if (!CaseScope.SeesEverything(actor))
        {
            var scope = db.Cases.InScopeOf(actor).Select(c => (Guid?)c.Id);
            entries = entries.Where(e => e.CaseId != null && scope.Contains(e.CaseId));
        }

        if (filter.CaseId is { } caseId)
        {
            entries = entries.Where(e => e.CaseId == caseId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            // By id, e-mail or display name: a supervisor knows people by name, the log by id.
            var who = filter.Actor.Trim();
            var ids = await db.Users.Where(u => u.Id == who || u.Email == who || u.DisplayName == who).Select(u => u.Id).ToListAsync(cancellationToken);
            ids.Add(who);
            entries = entries.Where(e => ids.Contains(e.Actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            entries = entries.Where(e => e.Action == action);
        }

        // Days and times in the viewer's zone, as everywhere in the app.
        var zoneId = await ViewerTimeZone.IdOfAsync(db, actor, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        if (filter.From is { } from)
        {
            var start = ViewerTimeZone.StartOfDayUtc(from, zone);
            entries = entries.Where(e => e.AtUtc >= start);
        }

        if (filter.To is { } to)
        {
            var end = ViewerTimeZone.StartOfDayUtc(to.AddDays(1), zone);
            entries = entries.Where(e => e.AtUtc < end);
        }

        var rows = await entries.OrderByDescending(e => e.Sequence).Take(MaxRows).ToListAsync(cancellationToken);
        var actorIds = rows.Select(r => r.Actor).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        // The case column names a case by its file reference: eight characters of an id were ambiguous (four cases showed the same).
        var caseIds = rows.Select(r => r.CaseId).OfType<Guid>().Distinct().ToList();
        var references = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.FileReference, cancellationToken);
        return rows.Select(e => new AuditRow(e.Sequence, e.AtUtc, Unit.ToLocal(e.AtUtc, zone), zoneId, e.Actor, names.GetValueOrDefault(e.Actor, e.Actor), e.CaseId, e.Action, e.FromState, e.ToState, e.Reason, e.IsReasonErased,
            e.CaseId is { } id ? references.GetValueOrDefault(id) : null)).ToList();
    }

    /// <summary>Walks the whole chain: on demand only, it reads every entry.</summary>
    public async Task<AuditVerification> VerifyAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!MayRead(actor))
        {
            throw new ActionForbiddenException("Only supervisors and admins read the audit log.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await AuditWriter.VerifyAsync(db, cancellationToken);
    }
}
