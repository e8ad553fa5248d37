using Callback.Domain.Audit;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Persistence;

/// <summary>The PostgreSQL flavour of the database, for several nodes; its migrations live in Persistence/Migrations/Postgres.</summary>
public sealed class PostgresCallbackDbContext(DbContextOptions<PostgresCallbackDbContext> options) : CallbackDbContext(options)
{
    /// <summary>
    /// Several nodes append to one chain: the head row is locked until the transaction ends, so a second writer waits
    /// here, then reads the head the first one left. Only the audited part of a transaction is serialised, and it is short.
    /// </summary>
    public override async Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT 1 FROM \"AuditHeads\" WHERE \"Id\" = {AuditHead.SingletonId} FOR UPDATE", cancellationToken);
}
