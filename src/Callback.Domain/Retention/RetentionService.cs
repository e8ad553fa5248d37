using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Domain.Retention;

/// <summary>How long personal data outlive the closing of a case.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>A closed case is anonymised this long after it closed.</summary>
    public TimeSpan AnonymiseClosedAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Cases anonymised per transaction: a long backlog never holds the database for long.</summary>
    public int BatchSize { get; set; } = 200;

    public void Validate()
    {
        if (AnonymiseClosedAfter <= TimeSpan.Zero || BatchSize < 1)
        {
            throw new OptionsValidationException(Section, typeof(RetentionOptions), ["Retention:AnonymiseClosedAfter must be positive and Retention:BatchSize at least 1."]);
        }
    }
}

/// <summary>
/// Anonymises the cases closed longer ago than the retention period. Each case gets one "Anonymised" audit entry by the
/// system, naming the case by its id only, in the same transaction as the erasure. The case's earlier audit entries lose
/// the text of their reasons and keep everything else, their reasons' digests included, so the chain still verifies.
/// </summary>
public sealed partial class RetentionService(
    IDbContextFactory<CallbackDbContext> databases,
    TimeProvider clock,
    IOptions<RetentionOptions> options,
    Questionnaire questionnaire,
    ILogger<RetentionService> logger)
{
    /// <summary>The action of the entry written for each anonymised case.</summary>
    public const string AuditAction = AuditActions.Anonymised;

    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    /// <summary>Anonymises every case due; returns how many. Safe to run twice or on two nodes: a case is done once.</summary>
    public async Task<int> AnonymiseDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var total = 0;
        while (true)
        {
            // Decided from the database alone: if another node anonymised or an officer reopened a case meanwhile, read again.
            var (due, anonymised) = await _unitOfWork.RunAsync(
                (write, ct) => AnonymiseBatchAsync(write, settings, ct), StaleReads.ReadAgain, cancellationToken);
            if (due == 0)
            {
                return total;
            }

            total += anonymised;
            LogBatch(logger, anonymised);
        }
    }

    private async Task<(int Due, int Anonymised)> AnonymiseBatchAsync(AuditedWrite write, RetentionOptions settings, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - settings.AnonymiseClosedAfter;
        var cases = await db.Cases.Include(c => c.Attempts).Include(c => c.Notes).AsSplitQuery()
            .Where(c => c.State == CaseState.Closed && c.ClosedAtUtc < cutoff && c.AnonymisedAtUtc == null)
            .OrderBy(c => c.ClosedAtUtc).Take(settings.BatchSize).ToListAsync(cancellationToken);
        if (cases.Count == 0)
        {
            return (0, 0);
        }

        var ids = cases.Select(c => c.Id).ToList();
        foreach (var referral in await db.Referrals.Where(r => ids.Contains(r.CaseId)).ToListAsync(cancellationToken))
        {
            referral.EraseNote();
        }

        var anonymised = new List<Guid?>();
        var reason = $"retention: closed more than {settings.AnonymiseClosedAfter.TotalDays:0} days";
        foreach (var c in cases.Where(c => c.Anonymise(cutoff, now, questionnaire)))
        {
            c.EraseBirthDates();
            db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
            write.Audit(new AuditRecord(now, AuditEntry.SystemActor, c.Id, AuditAction, nameof(CaseState.Closed), nameof(CaseState.Closed), reason));
            anonymised.Add(c.Id);
        }

        // The search keys are the people's data too, normalised: they go with it.
        await db.PersonKeys.Where(k => anonymised.Contains(k.CaseId)).ExecuteDeleteAsync(cancellationToken);

        // Reasons typed by users (a patrol request's, a closing note, why an identity was opened) may name people:
        // their text goes with the case's personal data; their digests keep the chain whole.
        foreach (var entry in await db.AuditEntries.Where(e => anonymised.Contains(e.CaseId) && e.Reason != null && e.ReasonDigest != null).ToListAsync(cancellationToken))
        {
            entry.EraseReason();
        }

        return (cases.Count, anonymised.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention anonymised {Count} closed cases")]
    private static partial void LogBatch(ILogger logger, int count);
}
