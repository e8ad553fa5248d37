using System.Globalization;
using Callback.Domain.Cases;

namespace Callback.Web.Features.Supervision;

/// <summary>A case the supervisor may have to act on: its deadline and who holds it. No victim data.</summary>
public sealed record DeadlineRow(
    Guid Id, int Version, string FileReference, string UnitCode, CaseState State, DangerLevel Danger, DateTime? DueAtUtc, string? HolderId, string? HolderName);

/// <summary>Active claims of one officer, and how many of them are overdue.</summary>
public sealed record OfficerLoad(string OfficerId, string Name, int Claimed, int Overdue);

/// <summary>One re-examination campaign (import batch), counted over the cases in scope.</summary>
public sealed record CampaignProgress(int Id, string Name, DateTime ImportedAtUtc, int Total, int Reviewed, int Reached, int PatrolSent, int Closed)
{
    public static double Share(int part, int total) => total == 0 ? 0 : 100.0 * part / total;
}

/// <summary>Open and overdue cases of one département, for the map.</summary>
public sealed record DepartementCount(string Departement, int Open, int Overdue);

/// <summary>
/// Compliance over one period: victims reached within the contact deadline against those whose deadline elapsed or whose
/// calls ran out. <see cref="Rate"/> is null when nothing was decided in the period (no figure rather than a false 0 %).
/// </summary>
public sealed record CompliancePoint(DateOnly PeriodStart, int Reached, int Missed)
{
    public double? Rate => Reached + Missed == 0 ? null : (double)Reached / (Reached + Missed);

    public string Label(bool weekly) => weekly
        ? string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(PeriodStart.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(PeriodStart.ToDateTime(TimeOnly.MinValue)):00}")
        : PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Everything the dashboard shows, read at <see cref="NowUtc"/>; the panels render from it and never query.</summary>
public sealed record SupervisionModel(
    DateTime NowUtc,
    TimeSpan DueSoonWithin,
    IReadOnlyList<DeadlineRow> Overdue,
    IReadOnlyList<DeadlineRow> DueSoon,
    IReadOnlyList<OfficerLoad> Workload,
    IReadOnlyList<DeadlineRow> StaleClaims,
    IReadOnlyList<DeadlineRow> PatrolAlerts,
    IReadOnlyList<DeadlineRow> RecentlyClosed,
    IReadOnlyList<CampaignProgress> Campaigns,
    IReadOnlyList<DepartementCount> Map,
    IReadOnlyList<CompliancePoint> Daily,
    IReadOnlyList<CompliancePoint> Weekly)
{
    public static SupervisionModel Empty { get; } = new(DateTime.MinValue, TimeSpan.Zero, [], [], [], [], [], [], [], [], [], []);

    /// <summary>Referrals of the cases in scope per status, every status listed (zero included), in the status order.</summary>
    public IReadOnlyList<ReferralStatusCount> Referrals { get; init; } = [];
}

/// <summary>How many referrals of the cases in scope stand at <see cref="Status"/>, as the partners last reported.</summary>
public sealed record ReferralStatusCount(Callback.Domain.Partners.ReferralStatus Status, int Count);

/// <summary>What the supervisor decided on <see cref="Row"/>: the reason always, the officer or the level when relevant.</summary>
public sealed record SupervisorAction(DeadlineRow Row, string Reason, string? ToOfficerId, DangerLevel? Danger);

/// <summary>One compliance decision: a victim reached in time (or not) on a calendar day of her case's unit.</summary>
public sealed record ComplianceDecision(int UnitId, DateOnly Day, bool Reached);
