using Callback.Domain.Workflow;

namespace Callback.Domain.Intake;

/// <summary>An import to run: the campaign it opens, who runs it, and the unit of rows that name none.</summary>
public sealed record ImportRequest(string CampaignName, Actor Actor, string? DefaultUnitCode = null);

/// <summary>Where an import stands.</summary>
public enum ImportStage
{
    /// <summary>Rows are read from the file and checked.</summary>
    Reading,

    /// <summary>Checked rows are written to the database.</summary>
    Writing,

    /// <summary>Finished (or refused).</summary>
    Done,
}

/// <summary>How far an import got, for a progress bar. <see cref="RowsToWrite"/> is known once reading is done.</summary>
public sealed record ImportProgress(ImportStage Stage, int RowsRead, int RowsValidated, int RowsWritten, int RowsToWrite);

/// <summary>
/// A row that opens, updates or leaves a case as it is; <see cref="ChangedFacts"/> names what an update changes. A new
/// file's <see cref="OpenFiles"/> counts the open files of its victim or perpetrator it is (or, in a dry run, would be)
/// linked to: repeat victimisation, each of them raised one level (issue 19.4).
/// </summary>
public sealed record ImportedRow(int Line, string UnitCode, string Reference, Guid? CaseId, IReadOnlyList<string> ChangedFacts)
{
    public int OpenFiles { get; init; }

    public bool IsRepeat => OpenFiles > 0;
}

/// <summary>
/// What an import did (or, for a dry run, would do): the cases created, updated and left unchanged, the rows rejected
/// with their line, field and reason, and when the created cases fall due. A refused file carries only the reason.
/// </summary>
public sealed class ImportReport
{
    public required bool DryRun { get; init; }
    public required string CampaignName { get; init; }

    /// <summary>Why the whole file was refused; null when it was read.</summary>
    public string? Refusal { get; init; }

    public bool IsRefused => Refusal is not null;

    /// <summary>The campaign the import opened; null for a dry run, a refusal, or an import that created no case.</summary>
    public int? CampaignId { get; init; }

    public string? Encoding { get; init; }
    public char? Separator { get; init; }

    /// <summary>Data rows in the file (the header and blank lines not counted).</summary>
    public int RowsRead { get; init; }

    public IReadOnlyList<ImportedRow> Created { get; init; } = [];
    public IReadOnlyList<ImportedRow> Updated { get; init; } = [];
    public IReadOnlyList<ImportedRow> Unchanged { get; init; } = [];

    /// <summary>Every problem found, in file order; a row with several problems appears once per problem.</summary>
    public IReadOnlyList<ImportRejection> Rejections { get; init; } = [];

    /// <summary>Rows not imported.</summary>
    public int RejectedRows => Rejections.Select(r => r.Line).Distinct().Count();

    /// <summary>What was ignored without costing a row, such as columns the contract does not know.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>When the first created cases must be reviewed: counted from the import (the others are paced after them).</summary>
    public DateTime? ReviewDueUtc { get; init; }

    /// <summary>When the first created cases' victims must be reached: the campaign's contact deadline, counted from the import.</summary>
    public DateTime? ContactDueUtc { get; init; }

    /// <summary>The last contact deadline of the created cases, once paced to the units' daily call capacity (issue 18.1).</summary>
    public DateTime? LastContactDueUtc { get; init; }

    /// <summary>How many created cases fall due per unit and day, against the unit's capacity.</summary>
    public IReadOnlyList<Campaigns.CampaignDay> Schedule { get; init; } = [];

    public static ImportReport Refused(bool dryRun, string campaignName, string reason) =>
        new() { DryRun = dryRun, CampaignName = campaignName, Refusal = reason };
}
