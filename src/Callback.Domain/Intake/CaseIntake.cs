using System.Text.Json.Serialization;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Intake;

/// <summary>
/// One file as the records system posts it or an officer types it: the import's columns (docs/import.md), as text,
/// named in JSON by the contract's English column names (<c>victim_phone</c>).
/// </summary>
public sealed class CaseSubmission
{
    private readonly string?[] _values = new string?[ImportColumns.All.Count];

    /// <summary>The value of one column of the contract.</summary>
    public string? this[ImportField field]
    {
        get => _values[(int)field];
        set => _values[(int)field] = value;
    }

    [JsonPropertyName("reference")]
    public string? Reference { get => this[ImportField.Reference]; set => this[ImportField.Reference] = value; }

    [JsonPropertyName("unit")]
    public string? Unit { get => this[ImportField.Unit]; set => this[ImportField.Unit] = value; }

    [JsonPropertyName("intervention_at")]
    public string? InterventionAt { get => this[ImportField.InterventionAt]; set => this[ImportField.InterventionAt] = value; }

    [JsonPropertyName("offence")]
    public string? Offence { get => this[ImportField.Offence]; set => this[ImportField.Offence] = value; }

    [JsonPropertyName("victim_last_name")]
    public string? VictimLastName { get => this[ImportField.VictimLastName]; set => this[ImportField.VictimLastName] = value; }

    [JsonPropertyName("victim_first_name")]
    public string? VictimFirstName { get => this[ImportField.VictimFirstName]; set => this[ImportField.VictimFirstName] = value; }

    [JsonPropertyName("victim_phone")]
    public string? VictimPhone { get => this[ImportField.VictimPhone]; set => this[ImportField.VictimPhone] = value; }

    [JsonPropertyName("victim_address")]
    public string? VictimAddress { get => this[ImportField.VictimAddress]; set => this[ImportField.VictimAddress] = value; }

    [JsonPropertyName("perpetrator_name")]
    public string? PerpetratorName { get => this[ImportField.PerpetratorName]; set => this[ImportField.PerpetratorName] = value; }

    [JsonPropertyName("cohabitation")]
    public string? Cohabitation { get => this[ImportField.Cohabitation]; set => this[ImportField.Cohabitation] = value; }

    [JsonPropertyName("penal_response")]
    public string? PenalResponse { get => this[ImportField.PenalResponse]; set => this[ImportField.PenalResponse] = value; }

    [JsonPropertyName("children")]
    public string? Children { get => this[ImportField.Children]; set => this[ImportField.Children] = value; }

    [JsonPropertyName("notes")]
    public string? Notes { get => this[ImportField.Notes]; set => this[ImportField.Notes] = value; }

    [JsonPropertyName("victim_birth_date")]
    public string? VictimBirthDate { get => this[ImportField.VictimBirthDate]; set => this[ImportField.VictimBirthDate] = value; }

    [JsonPropertyName("perpetrator_birth_date")]
    public string? PerpetratorBirthDate { get => this[ImportField.PerpetratorBirthDate]; set => this[ImportField.PerpetratorBirthDate] = value; }

    internal string?[] Values() => (string?[])_values.Clone();
}

/// <summary>What became of one submission.</summary>
public enum IntakeOutcome
{
    /// <summary>A new case was opened.</summary>
    Created,

    /// <summary>The unit already had a case for this reference: nothing was written, the case is as it was.</summary>
    Existing,

    /// <summary>A check failed; <see cref="IntakeResult.Problems"/> names each field and why.</summary>
    Rejected,
}

/// <summary>
/// The outcome of one submission. <see cref="Problems"/> carry the field by its English contract name and the import's
/// own reason; their <see cref="ImportRejection.Line"/> is the submission's index in its batch. <see cref="Opened"/>, for a
/// created case, names the open files of the same victim or perpetrator it was linked to (repeat victimisation).
/// </summary>
public sealed record IntakeResult(IntakeOutcome Outcome, Guid? CaseId, string? UnitCode, string? Reference, IReadOnlyList<ImportRejection> Problems, OpenedCase? Opened = null);

/// <summary>
/// Opens cases one at a time, for the intake API and the manual entry form, with exactly the checks and messages of the
/// file import (<see cref="ImportRowValidator"/>) and the workflow's own <see cref="CaseWorkflowService.OpenAsync"/> (one
/// audit entry in the same transaction, normal deadlines). A case is identified by unit and reference: submitting the
/// same file again returns the case already open and writes nothing, so a retried call neither duplicates nor rewinds it.
/// </summary>
public sealed class CaseIntake(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, CaseWorkflowService workflow)
{
    /// <summary>Fields named as the contract's English columns, the way an API client writes them.</summary>
    private sealed class EnglishNames : IFieldNames
    {
        public static readonly EnglishNames Instance = new();

        public int ColumnCount => ImportColumns.All.Count;

        public string NameOf(ImportField field) => ImportColumns.Of(field).English;
    }

    /// <summary>Checks and opens each submission; a bad one never costs a good one. <paramref name="defaultUnitCode"/> is the unit of those that name none.</summary>
    public async Task<IReadOnlyList<IntakeResult>> SubmitAsync(IReadOnlyList<CaseSubmission> submissions, string? defaultUnitCode, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(actor);
        var validator = await ValidatorAsync(defaultUnitCode, actor, cancellationToken);
        var results = new List<IntakeResult>(submissions.Count);
        var seen = new Dictionary<(int UnitId, string Reference), int>();
        for (var i = 0; i < submissions.Count; i++)
        {
            var check = validator.Check(new ImportRecord(i, submissions[i].Values(), ImportColumns.All.Count, false));
            if (check.Row is not { } row)
            {
                results.Add(new IntakeResult(IntakeOutcome.Rejected, null, null, null, check.Problems));
            }
            else if (seen.TryGetValue((row.Unit.Id, row.Reference), out var first))
            {
                // The same file twice in one batch is the same call retried: the second answers as a re-post would.
                results.Add(results[first] with { Outcome = IntakeOutcome.Existing });
            }
            else
            {
                seen[(row.Unit.Id, row.Reference)] = i;
                results.Add(await OpenAsync(row, actor, cancellationToken));
            }
        }

        return results;
    }

    /// <summary>Checks one submission and opens its case, or finds the case its unit already has for the reference.</summary>
    public async Task<IntakeResult> SubmitAsync(CaseSubmission submission, string? defaultUnitCode, Actor actor, CancellationToken cancellationToken = default) =>
        (await SubmitAsync([submission], defaultUnitCode, actor, cancellationToken))[0];

    /// <summary>The offence codes a submission may give, as the import contract names them.</summary>
    public static IReadOnlyDictionary<string, OffenceCategory> OffenceCodes => ImportRowValidator.OffenceCodes;

    /// <summary>
    /// The checks alone, without a database: what <see cref="SubmitAsync(CaseSubmission, string?, Actor, CancellationToken)"/>
    /// would reject the submission for, fields named by their English column names. A form checks as the user types with it.
    /// </summary>
    public static IReadOnlyList<ImportRejection> Check(CaseSubmission submission, IReadOnlyList<Unit> units, string? defaultUnitCode, Actor actor, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return Validator(units, defaultUnitCode, actor, nowUtc).Check(new ImportRecord(0, submission.Values(), ImportColumns.All.Count, false)).Problems;
    }

    private async Task<ImportRowValidator> ValidatorAsync(string? defaultUnitCode, Actor actor, CancellationToken cancellationToken)
    {
        List<Unit> units;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        }

        return Validator(units, defaultUnitCode, actor, clock.GetUtcNow().UtcDateTime);
    }

    private static ImportRowValidator Validator(IReadOnlyList<Unit> units, string? defaultUnitCode, Actor actor, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var defaultUnit = defaultUnitCode is null ? null : units.FirstOrDefault(u => string.Equals(u.Code, defaultUnitCode, StringComparison.OrdinalIgnoreCase));
        return new ImportRowValidator(EnglishNames.Instance, units, defaultUnit, actor.CanSee, nowUtc);
    }

    private async Task<IntakeResult> OpenAsync(ValidRow row, Actor actor, CancellationToken cancellationToken)
    {
        if (await ExistingAsync(row, cancellationToken) is { } known)
        {
            return new IntakeResult(IntakeOutcome.Existing, known, row.Unit.Code, row.Reference, []);
        }

        try
        {
            var opened = await workflow.OpenAndMatchAsync(row.Unit.Code, row.Facts, actor, cancellationToken);
            return new IntakeResult(IntakeOutcome.Created, opened.CaseId, row.Unit.Code, row.Reference, [], opened);
        }
        catch (Exception ex) when (ex is CaseRuleException or DbUpdateException)
        {
            // Another call opened the same file between the look-up and the write (the unique index or the workflow's own check).
            var raced = await ExistingAsync(row, cancellationToken);
            if (raced is null)
            {
                throw;
            }

            return new IntakeResult(IntakeOutcome.Existing, raced, row.Unit.Code, row.Reference, []);
        }
    }

    private async Task<Guid?> ExistingAsync(ValidRow row, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // (unit, reference) is unique: at most one row, and no order to ask for.
        return await db.Cases.AsNoTracking().Where(c => c.UnitId == row.Unit.Id && c.FileReference == row.Reference)
            .Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
