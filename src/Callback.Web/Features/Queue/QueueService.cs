using System.Collections.Concurrent;
using System.Linq.Expressions;
using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

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

    /// <summary>Worked out once per read, not at each of the tick's redraws (finding a zone takes a lock shared by the server).</summary>
    public DateTime InterventionLocal { get; } = TimeZoneInfo.ConvertTimeFromUtc(InterventionAtUtc, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));
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
/// <remarks>
/// The default view, the one every officer keeps open all day and every change makes read again, is a query compiled once
/// per shape of scope (<see cref="CaseScope.ForShapeOf"/>): EF Core then neither walks nor hashes the query's tree on each
/// read (a typical unit's page: 0.77 ms -> 0.43 ms, docs/performance.md, issue 20.3). A filtered view composes the same
/// filter, order and columns on the fly.
/// <para>
/// With <c>changes</c>, pages of the default view are shared (<see cref="SharedRead"/>): after a change the pages of a unit's
/// officers all read again at once, and all but the first take its rows.
/// </para>
/// </remarks>
public sealed class QueueService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, CaseChangeBroadcaster? changes = null)
{
    /// <summary>
    /// Rows on one page. The most urgent files always come first; an officer reaches the others page by page or finds one by
    /// search. Every officer keeps the queue open all day, and its rows are most of what a circuit weighs on the server:
    /// 200 rows cost about 2 MB per officer, too much for 500 officers on one node (issue 20).
    /// </summary>
    public const int PageSize = 50;

    /// <summary>
    /// By default the call cell's own work: files to review, victims to call, and check-ins of a follow-up whose window has
    /// opened (a plan's later check-ins wait out of sight). Patrols are the dispatch board's. Written as a list of states,
    /// then the follow-up's window: the database reads the unit's open files through the (unit, state, ...) index. As one OR
    /// of the three it read every file of the unit instead (68 ms against 4.5 ms at a million files, busiest unit).
    /// </summary>
    private static readonly Expression<Func<IQueryable<Case>, DateTime, IQueryable<Case>>> CellWorkOf = (cases, now) =>
        // The states as literals, not an array: the SQL says IN (0, 1, 5) and has no list to bind on each read.
        cases.Where(c => (c.State == CaseState.AwaitingReview || c.State == CaseState.AwaitingContact || c.State == CaseState.FollowUp)
            && (c.State != CaseState.FollowUp || c.ContactWindowOpensAtUtc <= now));

    /// <summary>One page of <c>cases</c> in the queue's order, with the columns a row shows and the length of the whole queue.</summary>
    private static readonly Expression<Func<IQueryable<Case>, IQueryable<Unit>, string, DateTime, int, IQueryable<PageRow>>> PageOf = (cases, units, actorId, now, skip) => units
        // The unit's columns joined before the order, not after the page: through the navigation, EF Core reads the page in
        // a subquery, then joins the units and sorts the page a second time (issue 20.3). The join is written from the
        // unit (u.Id = c.UnitId): the other way round, SQLite's planner read the unit's files through its file-reference
        // index instead of the queue's (a plan test holds this).
        .Join(cases, u => u.Id, c => c.UnitId, (u, c) => new { Case = c, u.Code, u.TimeZoneId })
        // What a supervisor handed to this officer comes first (issue 16.9): a handover is her work for the shift.
        .OrderBy(r => r.Case.CurrentClaim.Holder == actorId && r.Case.CurrentClaim.ExpiresAtUtc == CaseClaim.Indefinite ? 0 : 1)
        .ThenBy(r => r.Case.DueAtUtc <= now ? 0 : r.Case.State == CaseState.AwaitingReview || r.Case.NextAttemptAtUtc <= now ? 1 : 2)
        .ThenBy(r => r.Case.DueAtUtc)
        // Between equals (a campaign's files share their deadline), a perpetrator living with her puts her first (issue
        // 17.2); it has already made her contact due at once with the short deadline.
        .ThenBy(r => r.Case.Perpetrator.Cohabiting == TriState.Yes ? 0 : 1)
        .ThenByDescending(r => r.Case.Danger)
        // The id settles the last ties, so that a file cannot show on two pages, or on none, between two reads.
        .ThenBy(r => r.Case.Id)
        .Skip(skip)
        .Take(PageSize)
        .Select(r => new PageRow(r.Case.Id, r.Case.Version, r.Case.Tier, r.Case.FileReference, r.Code, r.TimeZoneId, r.Case.InterventionAtUtc,
            r.Case.State, r.Case.DueAtUtc, r.Case.NextAttemptAtUtc, r.Case.AttemptCount, r.Case.Danger, r.Case.CurrentClaim.Holder,
            r.Case.CurrentClaim.ExpiresAtUtc, r.Case.Victim.FirstName, r.Case.Victim.LastName, r.Case.Victim.Phone, r.Case.Perpetrator.Cohabiting,
            // The queue's length, counted through the same index in the same statement.
            cases.Count()));

    private static readonly Func<IQueryable<Case>, DateTime, IQueryable<Case>> ComposeCellWork = CellWorkOf.Compile();
    private static readonly Func<IQueryable<Case>, IQueryable<Unit>, string, DateTime, int, IQueryable<PageRow>> ComposePage = PageOf.Compile();

    /// <summary>Who holds files handed over to them (issue 16.9) among <c>cases</c>: their queue starts with those.</summary>
    private static readonly Expression<Func<IQueryable<Case>, IQueryable<string>>> HandedOverIn = cases => cases
        .Where(c => c.CurrentClaim.Holder != null && c.CurrentClaim.ExpiresAtUtc == CaseClaim.Indefinite)
        .Select(c => c.CurrentClaim.Holder!)
        .Distinct();

    /// <summary>No user's id: read for no one, the default view's order puts no file first as handed over.</summary>
    private const string NoOne = "";

    /// <summary>How long a shared read serves pages that come to read after it, when no change was heard meanwhile.</summary>
    internal static readonly TimeSpan SharedFor = TimeSpan.FromSeconds(1);

    /// <summary>The default view's queries, compiled for one shape of scope: its page, its length alone for a page asked beyond the end, and who holds handed-over files.</summary>
    private sealed record DefaultView(
        Func<CallbackDbContext, int, string?, DateTime, Task<int>> Count,
        Func<CallbackDbContext, int, string?, DateTime, string, int, IAsyncEnumerable<PageRow>> Page,
        Func<CallbackDbContext, int, string?, DateTime, IAsyncEnumerable<string>> HandedTo);

    /// <summary>
    /// One page of the default view read for no one in particular, for every actor of one scope (<see cref="ScopeGrant"/>:
    /// the same unit, the same département, or all): after a change, the pages of a unit's officers all read again in the
    /// same instant (200 reads of one page; docs/performance.md, issue 20.5), and all but the first take its rows. Their
    /// queues differ only by what was handed over to one of them, who comes first in hers: an actor holding such a file
    /// reads her own page. A read serves others for <see cref="SharedFor"/> at most, and only while no change has been heard
    /// since it started (<see cref="CaseChangeBroadcaster.Generation"/>, noted before it): a page that hears of a change
    /// always reads after it.
    /// </summary>
    private sealed record SharedRead(long Generation, DateTime StartedAtUtc, Lazy<Task<SharedPage>> Page)
    {
        public bool Serves(long generation, DateTime nowUtc) =>
            generation == Generation && nowUtc >= StartedAtUtc && nowUtc - StartedAtUtc <= SharedFor
            && !(Page.IsValueCreated && (Page.Value.IsFaulted || Page.Value.IsCanceled));
    }

    /// <summary>The page as read for no one, and who in the scope holds handed-over files (their page starts with them).</summary>
    private sealed record SharedPage(QueueSlice Slice, IReadOnlySet<string> HandedTo);

    private readonly ConcurrentDictionary<(ScopeGrant Grant, int Page), SharedRead> _shared = new();

    /// <summary>By model (a compiled query serves one: SQLite's or PostgreSQL's) and shape of scope.</summary>
    private static readonly ConcurrentDictionary<(IModel Model, ScopeGrant Shape), DefaultView> DefaultViews = new();

    public Task<QueueSlice> LoadAsync(Actor actor, QueueFilter filter, int page = 0, CancellationToken cancellationToken = default) =>
        changes is not null && filter == new QueueFilter()
            ? SharedAsync(actor, page, changes.Generation, cancellationToken)
            : LoadAsync(actor, filter, page, compileDefaultView: true, cancellationToken);

    /// <summary>The default view through a <see cref="SharedRead"/>, noted at <paramref name="generation"/>.</summary>
    private async Task<QueueSlice> SharedAsync(Actor actor, int page, long generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        var now = clock.GetUtcNow().UtcDateTime;
        var key = (ScopeGrant.Of(actor), page);
        if (!_shared.TryGetValue(key, out var read) || !read.Serves(generation, now))
        {
            // The first to ask reads, on her own thread as an unshared read would (on SQLite the read completes at once and
            // her page draws its rows in its first render); the others who come meanwhile wait for that read's task.
            var fresh = new SharedRead(generation, now, new(() => ReadForAllAsync(actor, page, now)));
            read = _shared.AddOrUpdate(key, fresh, (_, current) => current.Serves(generation, now) ? current : fresh);
        }

        var shared = await read.Page.Value.WaitAsync(cancellationToken);
        return shared.HandedTo.Contains(actor.Id)
            ? await LoadAsync(actor, new QueueFilter(), page, compileDefaultView: true, cancellationToken)
            : shared.Slice;
    }

    /// <summary>
    /// The page for no one in <paramref name="actor"/>'s scope, and who there holds handed-over files. Not cancelled with the
    /// page that started it: others wait for it.
    /// </summary>
    private async Task<SharedPage> ReadForAllAsync(Actor actor, int page, DateTime now)
    {
        await using var db = await databases.CreateDbContextAsync();
        await using var opening = await OneOpening.OpenAsync(db, CancellationToken.None);
        var (view, unitId, departement) = DefaultViewOf(db, actor);
        var handedTo = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var holder in view.HandedTo(db, unitId, departement, now))
        {
            handedTo.Add(holder);
        }

        var (readPage, count) = Compiled(db, view, unitId, departement, NoOne, now, CancellationToken.None);
        return new(await SliceAsync(db, readPage, count, page, now, CancellationToken.None), handedTo);
    }

    /// <summary>With <paramref name="compileDefaultView"/> false the default view is composed on the fly too: a test compares both.</summary>
    internal async Task<QueueSlice> LoadAsync(Actor actor, QueueFilter filter, int page, bool compileDefaultView, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // The page and the claimants' names on one opening of the connection.
        await using var opening = await OneOpening.OpenAsync(db, cancellationToken);
        Func<int, Task<List<PageRow>>> readPage;
        Func<Task<int>> count;
        if (compileDefaultView && filter == new QueueFilter())
        {
            var (view, unitId, departement) = DefaultViewOf(db, actor);
            (readPage, count) = Compiled(db, view, unitId, departement, actor.Id, now, cancellationToken);
        }
        else
        {
            var cases = db.Cases.AsNoTracking().InScopeOf(actor);
            cases = filter.State is { } state ? cases.Where(c => c.State == state) : ComposeCellWork(cases, now);
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

            readPage = p => ComposePage(cases, db.Units.AsNoTracking(), actor.Id, now, p * PageSize).ToListAsync(cancellationToken);
            count = () => cases.CountAsync(cancellationToken);
        }

        return await SliceAsync(db, readPage, count, page, now, cancellationToken);
    }

    /// <summary>The default view compiled for <paramref name="actor"/>'s shape of scope, and the values of her scope.</summary>
    private static (DefaultView View, int UnitId, string? Departement) DefaultViewOf(CallbackDbContext db, Actor actor)
    {
        var grant = ScopeGrant.Of(actor);
        return (DefaultViews.GetOrAdd((db.Model, grant.Shape()), static (_, a) => Compile(a), actor), grant.UnitId ?? 0, grant.Departement);
    }

    /// <summary>The default view's page and length as <see cref="SliceAsync"/> reads them, the order's handovers those of <paramref name="actorId"/>.</summary>
    private static (Func<int, Task<List<PageRow>>> ReadPage, Func<Task<int>> Count) Compiled(
        CallbackDbContext db, DefaultView view, int unitId, string? departement, string actorId, DateTime now, CancellationToken cancellationToken) =>
        (async p =>
        {
            var read = new List<PageRow>(PageSize);
            await foreach (var row in view.Page(db, unitId, departement, now, actorId, p * PageSize).WithCancellation(cancellationToken))
            {
                read.Add(row);
            }

            return read;
        },
        () => view.Count(db, unitId, departement, now));

    /// <summary>One page through <paramref name="readPage"/>, with its claimants' names and its identities masked.</summary>
    private static async Task<QueueSlice> SliceAsync(
        CallbackDbContext db, Func<int, Task<List<PageRow>>> readPage, Func<Task<int>> count, int page, DateTime now, CancellationToken cancellationToken)
    {
        // The page carries the queue's length (one statement, not two). Only a page beyond the end comes back empty with
        // files before it: the queue shrank while the officer was on it, and she reads its last page.
        var rows = await readPage(page);
        var total = rows.Count > 0 ? rows[0].Total : 0;
        if (rows.Count == 0 && page > 0)
        {
            total = await count();
            page = LastPageIfBeyond(page, total);
            rows = total == 0 ? [] : await readPage(page);
            total = rows.Count > 0 ? rows[0].Total : total;
        }

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

    /// <summary>A page asked beyond the end (the queue shrank while the officer was on it) reads the last one.</summary>
    private static int LastPageIfBeyond(int page, int total) => Math.Min(page, Math.Max(0, (total - 1) / PageSize));

    /// <summary>
    /// The default view for every actor of <paramref name="actor"/>'s shape of scope, written from the same pieces as the
    /// composed one: the scope rule, <see cref="CellWorkOf"/> and <see cref="PageOf"/>, their parameters bound to the
    /// compiled query's.
    /// </summary>
    private static DefaultView Compile(Actor actor)
    {
        var db = Expression.Parameter(typeof(CallbackDbContext), "db");
        var unitId = Expression.Parameter(typeof(int), "unitId");
        var departement = Expression.Parameter(typeof(string), "departement");
        var now = Expression.Parameter(typeof(DateTime), "now");
        var actorId = Expression.Parameter(typeof(string), "actorId");
        var skip = Expression.Parameter(typeof(int), "skip");
        var scope = CaseScope.ForShapeOf(actor);
        var inScope = Expression.Lambda<Func<Case, bool>>(Bind(scope, scope.Parameters[0], unitId, departement), scope.Parameters[0]);
        Expression cases = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Case)],
            Expression.Property(db, nameof(CallbackDbContext.Cases)), Expression.Quote(inScope));
        cases = Bind(CellWorkOf, cases, now);
        var count = Expression.Lambda<Func<CallbackDbContext, int, string?, DateTime, int>>(
            Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(Case)], cases), db, unitId, departement, now);
        var page = Expression.Lambda<Func<CallbackDbContext, int, string?, DateTime, string, int, IQueryable<PageRow>>>(
            Bind(PageOf, cases, Expression.Property(db, nameof(CallbackDbContext.Units)), actorId, now, skip),
            db, unitId, departement, now, actorId, skip);
        var handedTo = Expression.Lambda<Func<CallbackDbContext, int, string?, DateTime, IQueryable<string>>>(
            Bind(HandedOverIn, cases), db, unitId, departement, now);
        return new DefaultView(EF.CompileAsyncQuery(count), EF.CompileAsyncQuery(page), EF.CompileAsyncQuery(handedTo));
    }

    /// <summary>The lambda's body with its parameters bound to other expressions (EF Core's own replacing visitor).</summary>
    private static Expression Bind(LambdaExpression lambda, params Expression[] values) =>
        new ReplacingExpressionVisitor(lambda.Parameters, values).Visit(lambda.Body);

    /// <summary>What the page reads of one file, before its identity is masked.</summary>
    internal sealed record PageRow(Guid Id, int Version, ConfidentialityTier Tier, string FileReference, string UnitCode, string TimeZoneId,
        DateTime InterventionAtUtc, CaseState State, DateTime? DueAtUtc, DateTime? NextAttemptAtUtc, int AttemptCount, DangerLevel Danger,
        string? ClaimedBy, DateTime? ClaimExpiresAtUtc, string FirstName, string LastName, string? Phone, TriState Cohabiting, int Total);
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
