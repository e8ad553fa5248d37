using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Callback.Domain.Workflow;

/// <summary>Configuration of the patrol governor (section <c>PatrolGovernor</c>).</summary>
public sealed class PatrolGovernorOptions
{
    public const string Section = "PatrolGovernor";

    /// <summary>
    /// Automatic patrol requests of campaign cases (contact deadline elapsed, calls run out) a unit sends to dispatch in
    /// one clock hour; beyond it they are proposed to a supervisor. High-danger and non-campaign cases never count.
    /// </summary>
    public int MaxAutomaticPerUnitPerHour { get; set; } = 5;

    public void Validate()
    {
        if (MaxAutomaticPerUnitPerHour < 0)
        {
            throw new InvalidOperationException($"PatrolGovernor:MaxAutomaticPerUnitPerHour must be zero or more, got {MaxAutomaticPerUnitPerHour}.");
        }
    }
}

/// <summary>How many automatic patrols of campaign cases a unit sent to dispatch in one clock hour (UTC).</summary>
public sealed class PatrolBudget
{
    private PatrolBudget()
    {
    }

    public int UnitId { get; private set; }

    /// <summary>The hour, counted in whole hours since 1970-01-01 UTC: an integer binds alike on every provider.</summary>
    public int Hour { get; private set; }

    public int Raised { get; private set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<PatrolBudget>(b =>
    {
        b.HasKey(x => new { x.UnitId, x.Hour });
        b.HasOne<Units.Unit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Cascade);
    });
}

/// <summary>
/// The patrol governor (issue 18): each unit may send at most <see cref="PatrolGovernorOptions.MaxAutomaticPerUnitPerHour"/>
/// automatic patrols of campaign cases to dispatch per clock hour; the rest are proposed to a supervisor. The count is a
/// row per unit and hour, taken inside the caller's transaction with one conditional <c>UPDATE</c>: on PostgreSQL two
/// nodes firing at once queue on the row and the second sees the first's count; on SQLite the write lock already
/// serialises them. A transaction that rolls back gives its place back, so a deadline retried later is counted once.
/// </summary>
public sealed class PatrolGovernor(PatrolGovernorOptions options)
{
    private readonly int _limit = options.MaxAutomaticPerUnitPerHour;

    /// <summary>Takes one place in the unit's current hour; false when the hour's places are spent (the patrol is proposed).</summary>
    public async Task<bool> TryTakeAsync(CallbackDbContext db, int unitId, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_limit == 0)
        {
            return false;
        }

        var hour = HourOf(nowUtc);
        await EnsureRowAsync(db, unitId, hour, cancellationToken);
        var taken = await db.Set<PatrolBudget>()
            .Where(b => b.UnitId == unitId && b.Hour == hour && b.Raised < _limit)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Raised, b => b.Raised + 1), cancellationToken);
        return taken == 1;
    }

    public static int HourOf(DateTime utc) => (int)((DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerHour);

    /// <summary>
    /// Creates the hour's row if no one has: <c>INSERT ... ON CONFLICT DO NOTHING</c>, which SQLite and PostgreSQL both
    /// speak, so two nodes creating it at once never fail a transaction on the key.
    /// </summary>
    private static Task<int> EnsureRowAsync(CallbackDbContext db, int unitId, int hour, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(PatrolBudget))!;
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName());
        var statement = $"INSERT INTO {sql.DelimitIdentifier(entity.GetTableName()!)} ({Column(nameof(PatrolBudget.UnitId))}, {Column(nameof(PatrolBudget.Hour))}, " +
            $"{Column(nameof(PatrolBudget.Raised))}) VALUES ({{0}}, {{1}}, 0) ON CONFLICT DO NOTHING";
        return db.Database.ExecuteSqlRawAsync(statement, [unitId, hour], cancellationToken);
    }
}
