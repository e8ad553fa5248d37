using System.Globalization;
using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Campaigns;
using Callback.Domain.Cases;
using Callback.Domain.Localization;
using Callback.Domain.People;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Domain.Intake;

/// <summary>
/// Imports a file of old records as a re-examination campaign (docs/import.md): one method per use case, a dry run
/// that writes nothing and the import itself. Every row is checked on its own, so a bad row never costs a good one;
/// a case is identified by unit and reference, so importing a file again updates its facts and creates no duplicate.
/// New cases open exactly as <see cref="Case.Open"/> opens them, with their deadlines taken from the campaign (counted
/// from the import, never from interventions months old) and one chained audit entry each. They are written through a
/// bulk insert in transactions of a few thousand (docs/decisions/0004), then their alarms are set as the workflow
/// sets them, after the commit.
/// </summary>
public sealed partial class CaseImporter(
    IDbContextFactory<CallbackDbContext> databases,
    TimeProvider clock,
    IOptions<WorkflowOptions> workflowOptions,
    IOptions<ImportOptions> importOptions,
    IDeadlineAlarms alarms,
    ICaseChangeNotifier notifier,
    ILogger<CaseImporter> logger) : IDisposable
{
    /// <summary>
    /// New cases per transaction: large enough that commits cost little, small enough that an officer's transition
    /// waiting for the SQLite write lock waits a fraction of a second, not the whole import.
    /// </summary>
    private const int CasesPerTransaction = 5_000;

    /// <summary>Updates load and track each case, as the workflow does: smaller transactions.</summary>
    private const int UpdatesPerTransaction = 500;

    /// <summary>Rows read, then checked in parallel, between two progress reports.</summary>
    private const int RowsPerCheck = 5_000;
    private const int MaxCampaignNameLength = 200;

    private readonly DeadlinePolicy _policy = new(workflowOptions.Value);
    private readonly IDbContextFactory<CallbackDbContext> _databases = databases;
    private readonly ILogger _logger = logger;
    private readonly UnitOfWork _unitOfWork = new(databases, logger, alarms, notifier);

    // Two imports at once would both find a reference new and both create it; in one process they take turns.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Reads and checks the file and says what an import would create, update, leave and reject; writes nothing.</summary>
    public async Task<ImportReport> DryRunAsync(Stream file, ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(file, request, dryRun: true, progress, cancellationToken);
        if (plan.Refusal is not null)
        {
            return plan.Refusal;
        }

        progress?.Report(new ImportProgress(ImportStage.Done, plan.RowsRead, plan.RowsRead, 0, 0));
        var openFiles = await OpenFilesAsync(plan.ToCreate, cancellationToken);
        return plan.Report(campaignId: null, plan.ToCreate.Select((r, i) => Imported(r, null, []) with { OpenFiles = openFiles[i] }).ToList(),
            plan.ToUpdate.Select(u => Imported(u.Row, u.CaseId, u.Changes)).ToList(),
            plan.Unchanged);
    }

    /// <summary>
    /// Imports the file: opens a campaign and a case per new row, updates the file facts of cases already known,
    /// writes one audit entry per case created or updated and one for the import, then sets the new cases' alarms.
    /// </summary>
    public async Task<ImportReport> ImportAsync(Stream file, ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var plan = await PlanAsync(file, request, dryRun: false, progress, cancellationToken);
            if (plan.Refusal is not null)
            {
                return plan.Refusal;
            }

            await AuditStartAsync(plan, request.Actor, cancellationToken);
            var written = new WriteProgress(progress, plan);
            var (campaignId, created) = await CreateAsync(plan, request.Actor, written, cancellationToken);
            var (updated, unchanged) = await UpdateAsync(plan, request.Actor, written, cancellationToken);
            unchanged.AddRange(plan.Unchanged);
            unchanged.Sort((a, b) => a.Line.CompareTo(b.Line));
            var report = plan.Report(campaignId, created, updated, unchanged);
            await AuditImportAsync(report, request.Actor, cancellationToken);
            progress?.Report(new ImportProgress(ImportStage.Done, plan.RowsRead, plan.RowsRead, written.Rows, written.Rows));
            var campaign = campaignId?.ToString(CultureInfo.InvariantCulture) ?? "none";
            LogImported(_logger, request.Actor.Id, campaign, created.Count, updated.Count, unchanged.Count, report.RejectedRows);
            return report;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<Plan> PlanAsync(Stream file, ImportRequest request, bool dryRun, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(request);
        // A supervisor imports for their département: the row check rejects any row of a unit outside their scope.
        if (!request.Actor.May(Feature.Import))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.Import"));
        }

        var name = request.CampaignName?.Trim() ?? "";
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            if (name.Length is 0 or > MaxCampaignNameLength)
            {
                throw new ImportRefusedException(DomainText.Format("Import.CampaignName", MaxCampaignNameLength));
            }

            var limits = importOptions.Value;
            var bytes = await ReadAllAsync(file, limits.MaxFileBytes, cancellationToken);
            List<Unit> units;
            await using (var db = await _databases.CreateDbContextAsync(cancellationToken))
            {
                units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
            }

            Unit? defaultUnit = null;
            if (!string.IsNullOrWhiteSpace(request.DefaultUnitCode))
            {
                defaultUnit = units.FirstOrDefault(u => string.Equals(u.Code, request.DefaultUnitCode.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw new ImportRefusedException(DomainText.Format("Import.DefaultUnitUnknown", request.DefaultUnitCode.Trim()));
            }

            using var csv = ImportFile.Open(bytes, unitHasDefault: defaultUnit is not null);
            var plan = new Plan(name, dryRun, now, csv.EncodingName, csv.Separator,
                csv.Header.UnknownColumns.Select(c => DomainText.Format("Intake.UnknownColumnIgnored", c)).ToList());
            var validator = new ImportRowValidator(csv.Header, units, defaultUnit, request.Actor.CanSee, now);
            var firstLine = new Dictionary<(int UnitId, string Reference), int>();
            var valid = new List<ValidRow>();
            foreach (var chunk in csv.Records().Chunk(RowsPerCheck))
            {
                plan.RowsRead += chunk.Length;
                if (plan.RowsRead > limits.MaxRows)
                {
                    throw new ImportRefusedException(DomainText.Format("Import.TooManyRows", limits.MaxRows));
                }

                progress?.Report(new ImportProgress(ImportStage.Reading, plan.RowsRead, plan.RowsRead - chunk.Length, 0, 0));
                // Rows are checked independently (the phone and date parsers cost most): both cores share them.
                var checks = chunk.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(validator.Check).ToList();
                foreach (var check in checks)
                {
                    plan.Rejections.AddRange(check.Problems);
                    if (check.Row is not { } row)
                    {
                        continue;
                    }

                    if (firstLine.TryGetValue((row.Unit.Id, row.Reference), out var first))
                    {
                        plan.Rejections.Add(new ImportRejection(row.Line, csv.Header.NameOf(ImportField.Reference),
                            DomainText.Format("Intake.DuplicateRow", first)));
                    }
                    else
                    {
                        firstLine[(row.Unit.Id, row.Reference)] = row.Line;
                        valid.Add(row);
                    }
                }

                progress?.Report(new ImportProgress(ImportStage.Reading, plan.RowsRead, plan.RowsRead, 0, 0));
            }

            plan.RowsRead += csv.Malformed.Count;
            plan.Rejections.AddRange(csv.Malformed.Select(m => new ImportRejection(m.Line, null, m.Reason)));
            await ClassifyAsync(plan, valid, csv.Header, cancellationToken);
            await ScheduleAsync(plan, cancellationToken);
            // Stable, so the problems of one row stay in column order.
            var ordered = plan.Rejections.OrderBy(r => r.Line).ToList();
            plan.Rejections.Clear();
            plan.Rejections.AddRange(ordered);
            progress?.Report(new ImportProgress(ImportStage.Reading, plan.RowsRead, plan.RowsRead, 0, plan.ToCreate.Count + plan.ToUpdate.Count));
            return plan;
        }
        catch (ImportRefusedException refused)
        {
            LogRefused(_logger, request.Actor.Id, refused.Message);
            progress?.Report(new ImportProgress(ImportStage.Done, 0, 0, 0, 0));
            return Plan.Refused(ImportReport.Refused(dryRun, name, refused.Message));
        }
    }

    /// <summary>Sorts valid rows into new cases, updates and unchanged ones, against the cases the database already has.</summary>
    private async Task ClassifyAsync(Plan plan, List<ValidRow> rows, ImportHeader header, CancellationToken cancellationToken)
    {
        var existing = await ExistingAsync(rows, cancellationToken);
        foreach (var row in rows)
        {
            if (!existing.TryGetValue((row.Unit.Id, row.Reference), out var known))
            {
                plan.ToCreate.Add(row);
            }
            else if (known.InterventionAtUtc != row.Facts.InterventionAtUtc)
            {
                plan.Rejections.Add(new ImportRejection(row.Line, header.NameOf(ImportField.InterventionAt),
                    DomainText.Get("Intake.InterventionDiffers")));
            }
            else if (known.Offence != row.Facts.Offence)
            {
                plan.Rejections.Add(new ImportRejection(row.Line, header.NameOf(ImportField.Offence),
                    DomainText.Get("Intake.OffenceDiffers")));
            }
            else if (row.FileFacts.Over(known.Facts, known.State).DifferencesFrom(known.Facts) is { Count: > 0 } changes)
            {
                plan.ToUpdate.Add(new PlannedUpdate(row, known.Id, changes));
            }
            else
            {
                plan.Unchanged.Add(Imported(row, known.Id, []));
            }
        }
    }

    /// <summary>
    /// Paces the new cases to their units' daily call capacity (issue 18.1): each gets its own review and contact
    /// deadline, the most urgent first, no day holding more than the unit can call, the calls already due that day
    /// (other campaigns, ordinary files) counted.
    /// </summary>
    private async Task ScheduleAsync(Plan plan, CancellationToken cancellationToken)
    {
        var candidates = plan.ToCreate
            .Select(r => new CampaignCandidate(r.Unit, r.Facts.Perpetrator.Cohabiting, DangerLevel.NotAssessed, r.Facts.PenalResponse, r.Facts.InterventionAtUtc))
            .ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var units = candidates.Select(c => c.Unit).DistinctBy(u => u.Id).ToList();
        var days = CampaignSchedule.DaysToRead(candidates.Count, units, _policy.Options);
        CallLoad load;
        await using (var db = await _databases.CreateDbContextAsync(cancellationToken))
        {
            load = await CallLoad.PerDayAsync(db, units, plan.NowUtc, days, cancellationToken);
        }

        plan.Slots = CampaignSchedule.Plan(candidates, plan.NowUtc, _policy.Options, load.Due);
        plan.Schedule = CampaignSchedule.Days(candidates, plan.Slots, _policy.Options);
    }

    /// <summary>
    /// For a dry run: how many open files of its victim or perpetrator each new row would be linked to, counting the rows
    /// before it in the file, exactly as the import links them (<see cref="Repeats"/>).
    /// </summary>
    private async Task<int[]> OpenFilesAsync(List<ValidRow> rows, CancellationToken cancellationToken)
    {
        var files = rows.Select(r => (Id: Guid.NewGuid(), Row: r)).ToList();
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var earlier = await Repeats.FindAsync(db, files.Select(f => (f.Id, PersonKey.Of(f.Id, f.Row.Facts))).ToList(), cancellationToken);
        return earlier.Select(e => e.Count).ToArray();
    }

    private sealed record KnownCase(Guid Id, DateTime InterventionAtUtc, OffenceCategory Offence, CaseState State, FileFacts Facts);

    /// <summary>
    /// The cases the file's rows already have, by unit and reference. The references of the file's units are read first
    /// (small rows); only the cases that match are read in full, a few hundred at a time.
    /// </summary>
    private async Task<Dictionary<(int UnitId, string Reference), KnownCase>> ExistingAsync(List<ValidRow> rows, CancellationToken cancellationToken)
    {
        var known = new Dictionary<(int, string), KnownCase>();
        if (rows.Count == 0)
        {
            return known;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var unitIds = rows.Select(r => r.Unit.Id).Distinct().ToList();
        var wanted = rows.Select(r => (r.Unit.Id, r.Reference)).ToHashSet();
        var matches = new List<Guid>();
        await foreach (var c in db.Cases.AsNoTracking().Where(c => unitIds.Contains(c.UnitId))
            .Select(c => new { c.Id, c.UnitId, c.FileReference }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (wanted.Contains((c.UnitId, c.FileReference)))
            {
                matches.Add(c.Id);
            }
        }

        foreach (var ids in matches.Chunk(UpdatesPerTransaction))
        {
            var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new
                {
                    c.Id, c.UnitId, c.FileReference, c.InterventionAtUtc, c.Offence, c.State,
                    Facts = new FileFacts(c.Victim.FirstName, c.Victim.LastName, c.Victim.Phone, c.Victim.Address, c.Perpetrator.Name,
                        c.Perpetrator.Cohabiting, c.PenalResponse, c.ChildrenPresent, c.FileNotes),
                })
                .ToListAsync(cancellationToken);
            foreach (var c in cases)
            {
                known[(c.UnitId, c.FileReference)] = new KnownCase(c.Id, c.InterventionAtUtc, c.Offence, c.State, c.Facts);
            }
        }

        return known;
    }

    private async Task<(int? CampaignId, List<ImportedRow> Created)> CreateAsync(Plan plan, Actor actor, WriteProgress written, CancellationToken cancellationToken)
    {
        var created = new List<ImportedRow>(plan.ToCreate.Count);
        Campaign? campaign = null;
        var offset = 0;
        foreach (var batch in plan.ToCreate.Chunk(CasesPerTransaction))
        {
            var first = offset;
            offset += batch.Length;
            (campaign, var cases, var earlier) = await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var db = write.Db;
                var opening = campaign ?? new Campaign(plan.CampaignName, plan.NowUtc, plan.ReviewDueUtc, plan.ContactDueUtc, actor.Id);
                if (campaign is null)
                {
                    db.Campaigns.Add(opening);
                    await db.SaveChangesAsync(ct);
                }

                var cases = batch.Select((r, i) => Case.Open(r.Facts, r.Unit, plan.NowUtc, _policy, opening, plan.Slots[first + i])).ToList();
                var keys = cases.Select(PersonKey.Of).ToList();
                // Repeat victimisation: the open files of these people, earlier batches' and this one's included, go up a level.
                var earlier = await Repeats.FindAsync(db, cases.Select((c, i) => (c.Id, keys[i])).ToList(), ct);
                await CaseWorkflowService.RecordRepeatsAsync(write, cases, earlier, actor, _policy, plan.NowUtc, ct);
                await BulkInsert.InsertAsync(db, cases, ct);
                await BulkInsert.InsertAsync(db, keys.SelectMany(k => k).ToList(), ct);
                var entries = await write.ChainNowAsync(cases.SelectMany(c => c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, actor.Id))), ct);
                await BulkInsert.InsertAsync(db, entries, ct);
                // Campaign deadlines are days away: most alarms stay in the database until the sweep hands them over.
                foreach (var c in cases)
                {
                    c.ClearPendingEvents();
                    if (c.Alarm is { } alarm)
                    {
                        write.ArmAfterCommit(alarm);
                    }
                }

                return (opening, cases, earlier);
            }, StaleReads.ReadAgain, cancellationToken);

            for (var i = 0; i < cases.Count; i++)
            {
                created.Add(Imported(batch[i], cases[i].Id, []) with { OpenFiles = earlier[i].Count });
            }

            written.Add(cases.Count);
        }

        return (campaign?.Id, created);
    }

    private async Task<(List<ImportedRow> Updated, List<ImportedRow> Unchanged)> UpdateAsync(Plan plan, Actor actor, WriteProgress written, CancellationToken cancellationToken)
    {
        var updated = new List<ImportedRow>();
        var unchanged = new List<ImportedRow>();
        foreach (var batch in plan.ToUpdate.Chunk(UpdatesPerTransaction))
        {
            // Compared again under the lock, and read again if an officer saved one of these cases meanwhile (PostgreSQL).
            var outcomes = await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var db = write.Db;
                var ids = batch.Select(u => u.CaseId).ToList();
                var cases = await db.Cases.Include(c => c.Unit).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                var now = clock.GetUtcNow().UtcDateTime;
                var outcomes = new List<(PlannedUpdate Update, Guid CaseId, IReadOnlyList<string> Changes)>(batch.Length);
                foreach (var update in batch)
                {
                    var c = cases[update.CaseId];
                    var changes = c.UpdateFileFacts(update.Row.FileFacts, now);
                    if (changes.Count > 0)
                    {
                        db.Entry(c).Property(x => x.Version).CurrentValue = c.Version + 1;
                        write.NotifyAfterCommit(new CaseChanged(c.Id, c.UnitId, c.Unit!.Departement, c.State, AuditActions.UpdateFacts, now));
                    }

                    write.Audit(c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, actor.Id)));
                    c.ClearPendingEvents();
                    outcomes.Add((update, c.Id, changes));
                }

                // Names, phone or address may have changed: the keys search and matching read follow them.
                await PersonMatching.ReplaceKeysAsync(db, outcomes.Where(o => o.Changes.Count > 0).Select(o => cases[o.CaseId]).ToList(), ct);

                return outcomes;
            }, StaleReads.ReadAgain, cancellationToken);

            foreach (var (update, caseId, changes) in outcomes)
            {
                (changes.Count > 0 ? updated : unchanged).Add(Imported(update.Row, caseId, changes));
            }

            written.Add(batch.Length);
        }

        return (updated, unchanged);
    }

    /// <summary>
    /// Says in the chain that an import is about to write, before its first transaction: an import killed halfway leaves
    /// this entry without the <see cref="AuditActions.Import"/> entry that ends it, and the cases it committed each have
    /// their own. When the last import of the same campaign name started and never finished, this one says it resumes it
    /// (its rows already written are found unchanged and only the rest is created).
    /// </summary>
    private async Task AuditStartAsync(Plan plan, Actor actor, CancellationToken cancellationToken)
    {
        var quoted = Quoted(plan.CampaignName);
        DateTime? unfinished = null;
        await using (var db = await _databases.CreateDbContextAsync(cancellationToken))
        {
            // Import entries are few (one or two per import): reading their reasons costs nothing.
            var last = await db.AuditEntries.AsNoTracking()
                .Where(e => e.CaseId == null && (e.Action == AuditActions.ImportStarted || e.Action == AuditActions.Import))
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Action, e.AtUtc, e.Reason })
                .ToListAsync(cancellationToken);
            var lastOfCampaign = last.FirstOrDefault(e => e.Reason?.Contains(quoted, StringComparison.Ordinal) == true);
            if (lastOfCampaign is { Action: AuditActions.ImportStarted })
            {
                unfinished = lastOfCampaign.AtUtc;
            }
        }

        var reason = $"import of {quoted} started: {plan.RowsRead} rows read, {plan.ToCreate.Count} to create, {plan.ToUpdate.Count} to update, " +
            $"{plan.Rejections.Select(r => r.Line).Distinct().Count()} rejected";
        if (unfinished is { } at)
        {
            reason += $"; resumes the import of {quoted} started {at.ToString("O", CultureInfo.InvariantCulture)} that did not finish";
        }

        await _unitOfWork.AuditAsync(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor.Id, null, AuditActions.ImportStarted, null, null, reason), cancellationToken);
    }

    private static string Quoted(string campaignName) => $"\"{campaignName}\"";

    private async Task AuditImportAsync(ImportReport report, Actor actor, CancellationToken cancellationToken)
    {
        var campaign = report.CampaignId is { } id ? $"campaign {id} {Quoted(report.CampaignName)}" : $"no campaign opened ({Quoted(report.CampaignName)}: no new case)";
        var reason = $"{campaign}: {report.Created.Count} created, {report.Updated.Count} updated, {report.Unchanged.Count} unchanged, " +
            $"{report.RejectedRows} rejected of {report.RowsRead} rows";
        await _unitOfWork.AuditAsync(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor.Id, null, AuditActions.Import, null, null, reason), cancellationToken);
    }

    private static async Task<byte[]> ReadAllAsync(Stream file, long maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = DomainText.Format("Import.TooLarge", Size(maxBytes));
        if (file.CanSeek && file.Length - file.Position > maxBytes)
        {
            throw new ImportRefusedException(tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await file.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ImportRefusedException(tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? DomainText.Format("Import.Megabytes", bytes / (1024 * 1024)) : DomainText.Format("Import.Bytes", bytes);

    private static ImportedRow Imported(ValidRow row, Guid? caseId, IReadOnlyList<string> changes) =>
        new(row.Line, row.Unit.Code, row.Reference, caseId, changes);

    private sealed record PlannedUpdate(ValidRow Row, Guid CaseId, IReadOnlyList<string> Changes);

    /// <summary>What the file holds once read and checked, and what importing it means for the database.</summary>
    private sealed class Plan
    {
        private Plan(ImportReport refusal)
        {
            Refusal = refusal;
            CampaignName = refusal.CampaignName;
            Warnings = [];
        }

        public Plan(string campaignName, bool dryRun, DateTime nowUtc, string encoding, char separator, List<string> warnings)
        {
            CampaignName = campaignName;
            DryRun = dryRun;
            NowUtc = nowUtc;
            Encoding = encoding;
            Separator = separator;
            Warnings = warnings;
        }

        public ImportReport? Refusal { get; }
        public string CampaignName { get; }
        public bool DryRun { get; }
        public DateTime NowUtc { get; }
        public string? Encoding { get; }
        public char Separator { get; }
        public List<string> Warnings { get; }
        public int RowsRead { get; set; }
        public List<ImportRejection> Rejections { get; } = [];
        public List<ValidRow> ToCreate { get; } = [];
        public List<PlannedUpdate> ToUpdate { get; } = [];
        public List<ImportedRow> Unchanged { get; } = [];
        /// <summary>The campaign's first deadlines: its first paced day (a full day pushes them on).</summary>
        public DateTime ReviewDueUtc => Slots.Min(s => s.ReviewDueUtc);

        public DateTime ContactDueUtc => Slots.Min(s => s.ContactDueUtc);

        /// <summary>Each new case's own deadlines, in the order of <see cref="ToCreate"/>.</summary>
        public IReadOnlyList<CampaignSlot> Slots { get; set; } = [];

        public IReadOnlyList<CampaignDay> Schedule { get; set; } = [];

        public static Plan Refused(ImportReport refusal) => new(refusal);

        public ImportReport Report(int? campaignId, List<ImportedRow> created, List<ImportedRow> updated, List<ImportedRow> unchanged) => new()
        {
            DryRun = DryRun,
            CampaignName = CampaignName,
            CampaignId = campaignId,
            Encoding = Encoding,
            Separator = Separator,
            RowsRead = RowsRead,
            Created = created,
            Updated = updated,
            Unchanged = unchanged,
            Rejections = Rejections,
            Warnings = Warnings,
            ReviewDueUtc = created.Count > 0 ? ReviewDueUtc : null,
            ContactDueUtc = created.Count > 0 ? ContactDueUtc : null,
            LastContactDueUtc = created.Count > 0 ? Slots.Max(s => s.ContactDueUtc) : null,
            Schedule = created.Count > 0 ? Schedule : [],
        };
    }

    /// <summary>Counts written rows and reports them once per transaction.</summary>
    private sealed class WriteProgress(IProgress<ImportProgress>? progress, Plan plan)
    {
        public int Rows { get; private set; }

        public void Add(int rows)
        {
            Rows += rows;
            progress?.Report(new ImportProgress(ImportStage.Writing, plan.RowsRead, plan.RowsRead, Rows, plan.ToCreate.Count + plan.ToUpdate.Count));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import by {ActorId}, campaign {CampaignId}: {Created} created, {Updated} updated, {Unchanged} unchanged, {RejectedRows} rows rejected")]
    private static partial void LogImported(ILogger logger, string actorId, string campaignId, int created, int updated, int unchanged, int rejectedRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import by {ActorId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string actorId, string reason);
}
