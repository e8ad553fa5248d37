using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Queue;

/// <summary>What the queue may filter on.</summary>
public sealed record QueueFilter(bool MineOnly = false, bool UnclaimedOnly = false, CaseState? State = null, ConfidentialityTier? Tier = null);

/// <summary>
/// One line of the queue. The victim's identity is already masked here, on the server: initials and the last two digits of
/// the phone; the full name never reaches the list.
/// </summary>
public sealed record QueueRow(
    Guid Id,
    int Version,
    ConfidentialityTier Tier,
    string FileReference,
    string UnitCode,
    string TimeZoneId,
    DateTime InterventionAtUtc,
    CaseState State,
    DateTime? DueAtUtc,
    DateTime? NextAttemptAtUtc,
    int AttemptCount,
    DangerLevel Danger,
    string? ClaimedBy,
    string? ClaimedByName,
    string Initials,
    string PhoneTail,
    bool Assigned = false,
    TriState Cohabiting = TriState.Unknown)
{
    public bool IsOverdue(DateTime nowUtc) => DueAtUtc is { } due && due <= nowUtc;

    /// <summary>Workable now: a file to review (a review can be done at once), or a call whose window is open.</summary>
    public bool IsDueNow(DateTime nowUtc) =>
        !IsOverdue(nowUtc) && (State == CaseState.AwaitingReview || NextAttemptAtUtc is { } next && next <= nowUtc);

    /// <summary>
    /// Overdue first, then due now, then by deadline, the higher danger first between equals, whatever the state
    /// (PRODUCT.md): the query's order, which this mirrors for the marks.
    /// </summary>
    public int Urgency(DateTime nowUtc) => IsOverdue(nowUtc) ? 0 : IsDueNow(nowUtc) ? 1 : 2;

    public DateTime InterventionLocal => TimeZoneInfo.ConvertTimeFromUtc(InterventionAtUtc, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));
}

/// <summary>
/// One page of the queue: its rows, in the queue's order, and how many files the whole queue holds under the same filter.
/// <paramref name="Page"/> counts from 0 and is the page actually read: a page asked beyond the end (the queue shrank while
/// the officer was on it) reads the last one.
/// </summary>
public sealed record QueueSlice(IReadOnlyList<QueueRow> Rows, int Total, int Page)
{
    public static readonly QueueSlice Empty = new([], 0, 0);

    public int PageCount => Math.Max(1, (Total + QueueService.PageSize - 1) / QueueService.PageSize);

    /// <summary>The position of the first row shown, from 1 (0 when the queue is empty).</summary>
    public int First => Rows.Count == 0 ? 0 : Page * QueueService.PageSize + 1;

    public int Last => Page * QueueService.PageSize + Rows.Count;

    public bool HasPrevious => Page > 0;

    public bool HasNext => Page + 1 < PageCount;
}

/// <summary>Reads the daily queue within the user's scope: unit for an officer, département for a supervisor, all for an admin.</summary>
public sealed class QueueService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock)
{
    /// <summary>
    /// Rows on one page. The most urgent files always come first; an officer reaches the others page by page or finds one by
    /// search. Every officer keeps the queue open all day, and its rows are most of what a circuit weighs on the server:
    /// 200 rows cost about 2 MB per officer, too much for 500 officers on one node (issue 20).
    /// </summary>
    public const int PageSize = 50;

    private static readonly CaseState[] CellWork = [CaseState.AwaitingReview, CaseState.AwaitingContact, CaseState.FollowUp];

    public async Task<QueueSlice> LoadAsync(Actor actor, QueueFilter filter, int page = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cases = db.Cases.AsNoTracking().InScopeOf(actor);
        // By default the call cell's own work: files to review, victims to call, and check-ins of a follow-up whose window
        // has opened (a plan's later check-ins wait out of sight). Patrols are the dispatch board's.
        // Written as a list of states, then the follow-up's window: the database reads the unit's open files through the
        // (unit, state, ...) index. As one OR of the three it read every file of the unit instead (68 ms against 4.5 ms
        // at a million files, busiest unit).
        cases = filter.State is { } state
            ? cases.Where(c => c.State == state)
            : cases.Where(c => CellWork.Contains(c.State) && (c.State != CaseState.FollowUp || c.ContactWindowOpensAtUtc <= now));
        if (filter.Tier is { } tier)
        {
            cases = cases.Where(c => c.Tier == tier);
        }

        if (filter.MineOnly)
        {
            cases = cases.Where(c => c.CurrentClaim.Holder == actor.Id && c.CurrentClaim.ExpiresAtUtc > now);
        }

        if (filter.UnclaimedOnly)
        {
            cases = cases.Where(c => c.CurrentClaim.Holder == null || c.CurrentClaim.ExpiresAtUtc <= now);
        }

        // Counted through the same index as the page is read.
        var total = await cases.CountAsync(cancellationToken);
        page = Math.Min(page, Math.Max(0, (total - 1) / PageSize));
        var rows = await cases
            // What a supervisor handed to this officer comes first (issue 16.9): a handover is her work for the shift.
            .OrderBy(c => c.CurrentClaim.Holder == actor.Id && c.CurrentClaim.ExpiresAtUtc == CaseClaim.Indefinite ? 0 : 1)
            .ThenBy(c => c.DueAtUtc <= now ? 0 : c.State == CaseState.AwaitingReview || c.NextAttemptAtUtc <= now ? 1 : 2)
            .ThenBy(c => c.DueAtUtc)
            // Between equals (a campaign's files share their deadline), a perpetrator living with her puts her first (issue
            // 17.2); it has already made her contact due at once with the short deadline.
            .ThenBy(c => c.Perpetrator.Cohabiting == TriState.Yes ? 0 : 1)
            .ThenByDescending(c => c.Danger)
            // The id settles the last ties, so that a file cannot show on two pages, or on none, between two reads.
            .ThenBy(c => c.Id)
            .Skip(page * PageSize)
            .Take(PageSize)
            .Select(c => new
            {
                c.Id, c.Version, c.Tier, c.FileReference, UnitCode = c.Unit!.Code, c.Unit.TimeZoneId, c.InterventionAtUtc, c.State, c.DueAtUtc,
                c.NextAttemptAtUtc, c.AttemptCount, c.Danger, ClaimedBy = c.CurrentClaim.Holder, ClaimExpiresAtUtc = c.CurrentClaim.ExpiresAtUtc,
                c.Victim.FirstName, c.Victim.LastName, c.Victim.Phone, c.Perpetrator.Cohabiting,
            })
            .ToListAsync(cancellationToken);

        var claimants = rows.Where(r => r.ClaimedBy != null && r.ClaimExpiresAtUtc > now).Select(r => r.ClaimedBy!).Distinct().ToList();
        var names = claimants.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => claimants.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return new QueueSlice(rows.Select(r =>
        {
            var claimed = r.ClaimExpiresAtUtc > now ? r.ClaimedBy : null;
            return new QueueRow(r.Id, r.Version, r.Tier, r.FileReference, r.UnitCode, r.TimeZoneId, r.InterventionAtUtc, r.State, r.DueAtUtc,
                r.NextAttemptAtUtc, r.AttemptCount, r.Danger, claimed, claimed is null ? null : names.GetValueOrDefault(claimed, "?"),
                Mask.Initials(r.FirstName, r.LastName), Mask.PhoneTail(r.Phone), claimed is not null && r.ClaimExpiresAtUtc == CaseClaim.Indefinite, r.Cohabiting);
        }).ToList(), total, page);
    }

}

/// <summary>How identities are masked in lists.</summary>
public static class Mask
{
    public static string Initials(string firstName, string lastName) =>
        $"{Initial(firstName)}. {Initial(lastName)}.";

    public static string PhoneTail(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsDigit).ToArray());
        return digits.Length >= 2 ? $"•• {digits[^2..]}" : "—";
    }

    private static char Initial(string s) => s.Length > 0 ? char.ToUpperInvariant(s.Trim()[0]) : '?';
}
