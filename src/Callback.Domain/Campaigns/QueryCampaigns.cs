using Callback.Domain.Access;
using Callback.Domain.Cases;
using Callback.Domain.Localization;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callback.Domain.Campaigns;

/// <summary>Which existing files a campaign from a query takes (issue 18.4).</summary>
/// <param name="InterventionSinceUtc">Interventions at or after this instant.</param>
/// <param name="CohabitationUnknownToo">Cohabitation "yes" always; "unknown" too when set.</param>
/// <param name="PenalResponse">Any penal response when null; otherwise only files with this answer.</param>
public sealed record CaseQuery(DateTime InterventionSinceUtc, bool CohabitationUnknownToo = true, bool? PenalResponse = null);

/// <summary>What a campaign from a query found and did (or, for a dry run, would do).</summary>
public sealed record QueryCampaignReport(
    bool DryRun, int Matching, int ToReopen, int AlreadyOpen, int Anonymised, IReadOnlyList<CampaignDay> Schedule,
    DateTime? FirstContactDueUtc, DateTime? LastContactDueUtc, int? CampaignId = null, int Reopened = 0, IReadOnlyList<string>? Changed = null);

/// <summary>
/// "Crisis mode" (issue 18.4), the Pas-de-Calais lockdown practice made reusable: a supervisor selects the existing files
/// of their scope by a query (interventions since a date, cohabitation yes or unknown, penal response any or one), sees
/// the count in a dry run, and opens them as a campaign: each closed file is reopened into it with its history kept and
/// a contact deadline paced to its unit's daily call capacity like an import's (<see cref="CampaignSchedule"/>). Files
/// still open are counted and left on their own deadlines (they are already being worked); anonymised ones cannot be
/// reopened. Each reopening is one audited transition through the workflow.
/// </summary>
public sealed partial class QueryCampaigns(
    IDbContextFactory<CallbackDbContext> databases,
    CaseWorkflowService workflow,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    ILogger<QueryCampaigns> logger)
{
    private const int MaxCampaignNameLength = 200;

    /// <summary>What the query selects and how its files would be paced; writes nothing.</summary>
    public async Task<QueryCampaignReport> DryRunAsync(CaseQuery query, Actor actor, CancellationToken cancellationToken = default) =>
        (await PlanAsync(query, actor, cancellationToken)).Report(dryRun: true);

    /// <summary>Opens the campaign and reopens its files; a file someone changed since the plan was read is named and left as it is.</summary>
    public async Task<QueryCampaignReport> OpenAsync(string campaignName, CaseQuery query, Actor actor, CancellationToken cancellationToken = default)
    {
        var name = campaignName?.Trim() ?? "";
        if (name.Length is 0 or > MaxCampaignNameLength)
        {
            throw new CaseRuleException(DomainText.Format("Import.CampaignName", MaxCampaignNameLength));
        }

        var plan = await PlanAsync(query, actor, cancellationToken);
        if (plan.Files.Count == 0)
        {
            return plan.Report(dryRun: false);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var campaign = new Campaign(name, now, plan.Slots.Min(s => s.ReviewDueUtc), plan.Slots.Min(s => s.ContactDueUtc), actor.Id);
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(cancellationToken);
        }

        var reopened = 0;
        var changed = new List<string>();
        for (var i = 0; i < plan.Files.Count; i++)
        {
            var file = plan.Files[i];
            try
            {
                await workflow.ReopenIntoCampaignAsync(file.Id, file.Version, campaign, plan.Slots[i], actor, cancellationToken);
                reopened++;
            }
            catch (Exception e) when (e is CaseConflictException or CaseRuleException)
            {
                changed.Add(file.Reference);
            }
        }

        LogOpened(logger, actor.Id, campaign.Id, reopened, changed.Count);
        return plan.Report(dryRun: false) with { CampaignId = campaign.Id, Reopened = reopened, Changed = changed };
    }

    private sealed record File(Guid Id, int Version, string Reference, CampaignCandidate Candidate);

    private sealed record Plan(IReadOnlyList<File> Files, IReadOnlyList<CampaignSlot> Slots, IReadOnlyList<CampaignDay> Days, int Matching, int AlreadyOpen, int Anonymised)
    {
        public QueryCampaignReport Report(bool dryRun) => new(
            dryRun, Matching, Files.Count, AlreadyOpen, Anonymised, Days,
            Slots.Count == 0 ? null : Slots.Min(s => s.ContactDueUtc), Slots.Count == 0 ? null : Slots.Max(s => s.ContactDueUtc));
    }

    private async Task<Plan> PlanAsync(CaseQuery query, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.Import) || !actor.May(CaseAction.Reopen))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.Import"));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (query.InterventionSinceUtc > now)
        {
            throw new CaseRuleException(DomainText.Get("Campaign.SinceInFuture"));
        }

        var since = DateTime.SpecifyKind(query.InterventionSinceUtc, DateTimeKind.Utc);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cases = db.Cases.AsNoTracking().InScopeOf(actor)
            .Where(c => c.InterventionAtUtc >= since)
            .Where(c => c.Perpetrator.Cohabiting == TriState.Yes || (query.CohabitationUnknownToo && c.Perpetrator.Cohabiting == TriState.Unknown));
        if (query.PenalResponse is { } penal)
        {
            cases = cases.Where(c => c.PenalResponse == penal);
        }

        var rows = await cases
            .OrderBy(c => c.InterventionAtUtc).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Version, c.FileReference, c.UnitId, c.State, c.AnonymisedAtUtc, c.Perpetrator.Cohabiting, c.Danger, c.PenalResponse, c.InterventionAtUtc })
            .ToListAsync(cancellationToken);
        var unitIds = rows.Select(r => r.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var files = rows.Where(r => r.State == CaseState.Closed && r.AnonymisedAtUtc is null)
            .Select(r => new File(r.Id, r.Version, r.FileReference, new CampaignCandidate(units[r.UnitId], r.Cohabiting, r.Danger, r.PenalResponse, r.InterventionAtUtc)))
            .ToList();
        var candidates = files.Select(f => f.Candidate).ToList();
        IReadOnlyList<CampaignSlot> slots = [];
        IReadOnlyList<CampaignDay> days = [];
        if (candidates.Count > 0)
        {
            var load = await CallLoad.PerDayAsync(db, units.Values, now, CampaignSchedule.DaysToRead(candidates.Count, units.Values, options.Value), cancellationToken);
            slots = CampaignSchedule.Plan(candidates, now, options.Value, load.Due);
            days = CampaignSchedule.Days(candidates, slots, options.Value);
        }

        return new Plan(files, slots, days, rows.Count, rows.Count(r => r.State != CaseState.Closed), rows.Count(r => r.AnonymisedAtUtc is not null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} opened from a query by {ActorId}: {Reopened} files reopened, {Changed} changed meanwhile")]
    private static partial void LogOpened(ILogger logger, string actorId, int campaignId, int reopened, int changed);
}
