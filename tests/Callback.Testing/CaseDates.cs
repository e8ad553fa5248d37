using Callback.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace Callback.Testing;

/// <summary>
/// Cases put straight into a state with given deadlines, for tests that read deadlines (the call load, the forecast)
/// rather than walk the lifecycle: a row written by SQL, as the benchmark does, on either provider.
/// </summary>
public static class CaseDates
{
    /// <summary>Opens a file in <paramref name="unitCode"/> and sets its state, deadline and campaign contact deadline.</summary>
    public static async Task<Guid> CaseDueAsync(
        this Harness h, string unitCode, string reference, CaseState state, DateTime? dueUtc, DateTime? campaignContactDueUtc = null)
    {
        ArgumentNullException.ThrowIfNull(h);
        var id = await h.Workflow.OpenAsync(unitCode, h.Facts(reference), Harness.Admin);
        await using var db = await h.Databases.CreateDbContextAsync();
        await db.Cases.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.State, state)
            .SetProperty(c => c.DueAtUtc, dueUtc)
            .SetProperty(c => c.CampaignContactDueUtc, campaignContactDueUtc));
        return id;
    }
}
