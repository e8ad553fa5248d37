using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Features.Cases;

/// <summary>Display names of users, for timelines and claims (ids are what the audit log keeps).</summary>
public sealed class CaseDirectory(IDbContextFactory<CallbackDbContext> databases)
{
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var ids = userIds.Distinct().ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }
}
