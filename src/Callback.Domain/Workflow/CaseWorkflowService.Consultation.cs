using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Workflow;

/// <summary>The print views of a case: what the page is for, named in the audit entry.</summary>
public enum PrintView
{
    /// <summary>The patrol briefing, one A4 page for the crew.</summary>
    Briefing,

    /// <summary>The chronology of the case for the prosecutor, with the audit chain's hash.</summary>
    ProsecutorSummary,
}

/// <summary>A print view's content: the case, whether its identity may be printed, and its history.</summary>
public sealed record PrintCopy(Case Case, bool IdentityShown, IReadOnlyList<AuditEntry> Timeline);

/// <summary>
/// Reading is traced too (CNIL journalisation): who saw which personal data, when. The rule that keeps it readable:
/// <list type="bullet">
/// <item>an orange identity opens with a stated reason (<see cref="AuditActions.OpenIdentity"/>, always written); that
/// reason holds for the same reader and case for <see cref="WorkflowOptions.IdentityReasonValidFor"/>, and each later
/// opening within it is written as <see cref="AuditActions.OpenIdentityAgain"/>, pointing at the entry with the reason;</item>
/// <item>opening a blue case writes <see cref="AuditActions.Consult"/>;</item>
/// <item>neither is written twice for the same reader and case within <see cref="WorkflowOptions.ConsultationWindow"/>:
/// a page that renders twice (pre-render, then live) or reloads on every change is one consultation;</item>
/// <item>every print is written (<see cref="AuditActions.Print"/>), whether it shows the identity or not.</item>
/// </list>
/// </summary>
public sealed partial class CaseWorkflowService
{
    private static readonly string[] Consultations = [AuditActions.Consult, AuditActions.OpenIdentity, AuditActions.OpenIdentityAgain];

    /// <summary>
    /// Called once when a reader opens a case view that can show the victim's identity. Returns whether the identity may
    /// be shown: always for blue; for orange only while a reason this reader gave for this case holds. Writes the
    /// consultation entry the rule asks for, in scope only (a refusal is audited and thrown).
    /// </summary>
    public async Task<bool> ConsultAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var shown = await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var (tier, state) = await InScopeAsync(write, caseId, actor, ct);
            if (tier is null)
            {
                return (bool?)null;
            }

            var now = Now();
            long? reasonEntry = null;
            if (tier == ConfidentialityTier.Orange)
            {
                reasonEntry = await LastEntryAsync(write.Db, caseId, actor, [AuditActions.OpenIdentity], now - options.Value.IdentityReasonValidFor, ct);
                if (reasonEntry is null)
                {
                    // Nothing personal is shown, so nothing was read.
                    return false;
                }
            }

            if (await LastEntryAsync(write.Db, caseId, actor, Consultations, now - options.Value.ConsultationWindow, ct) is null)
            {
                write.Audit(reasonEntry is { } entry
                    ? new AuditRecord(now, actor.Id, caseId, AuditActions.OpenIdentityAgain, state, state, $"reason of entry {entry}")
                    : new AuditRecord(now, actor.Id, caseId, AuditActions.Consult, state, state, "identity, contact, address"));
            }

            return true;
        }, StaleReads.Surface, cancellationToken);

        if (shown is null)
        {
            LogDenied(_logger, actor.Id, caseId);
            throw new CaseAccessDeniedException(caseId);
        }

        return shown.Value;
    }

    /// <summary>
    /// Reads a case for a print view and writes the print to the audit log. An orange identity is printed only while the
    /// reader's reason holds, as on screen; the entry says which view and whether the identity was on it.
    /// </summary>
    public async Task<PrintCopy> PrintAsync(Guid caseId, PrintView view, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await GetAsync(caseId, actor, cancellationToken);
        var timeline = await TimelineAsync(caseId, actor, cancellationToken);
        var shown = await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var now = Now();
            var identity = c.Tier == ConfidentialityTier.Blue
                || await LastEntryAsync(write.Db, caseId, actor, [AuditActions.OpenIdentity], now - options.Value.IdentityReasonValidFor, ct) is not null;
            var state = c.State.ToString();
            write.Audit(new AuditRecord(now, actor.Id, caseId, AuditActions.Print, state, state, $"{view}, identity {(identity ? "shown" : "masked")}"));
            return identity;
        }, StaleReads.Surface, cancellationToken);
        return new PrintCopy(c, shown, timeline);
    }

    /// <summary>Corrects the victim's safe contact (often during a call); audited with the names of the fields changed.</summary>
    public Task<CaseSnapshot> UpdateSafeContactAsync(Guid caseId, int expectedVersion, SafeContact safeContact, Actor actor, CancellationToken cancellationToken = default) =>
        ActAsync(caseId, expectedVersion, actor, CaseAction.UpdateSafeContact, claim: false, (c, now) => c.CorrectSafeContact(safeContact, now), cancellationToken);

    /// <summary>The case's tier and state if <paramref name="actor"/> may see it; otherwise the refusal is queued in this write and the tier is null.</summary>
    private async Task<(ConfidentialityTier? Tier, string State)> InScopeAsync(AuditedWrite write, Guid caseId, Actor actor, CancellationToken ct)
    {
        var row = await write.Db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.Tier, c.State, c.Unit }).SingleOrDefaultAsync(ct)
            ?? throw new CaseNotFoundException(caseId);
        if (!actor.CanSee(row.Unit!))
        {
            write.Audit(Denial(caseId, actor, "read"));
            return (null, "");
        }

        return (row.Tier, row.State.ToString());
    }

    private static Task<long?> LastEntryAsync(CallbackDbContext db, Guid caseId, Actor actor, string[] actions, DateTime sinceUtc, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.CaseId == caseId && e.Actor == actor.Id && actions.Contains(e.Action) && e.AtUtc >= sinceUtc)
            .OrderByDescending(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
}
