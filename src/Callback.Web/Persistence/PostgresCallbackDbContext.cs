using Callback.Domain.Audit;
using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Callback.Web.Persistence;

/// <summary>The PostgreSQL flavour of the database, for several nodes; its migrations live in Persistence/Migrations/Postgres.</summary>
public sealed class PostgresCallbackDbContext(DbContextOptions<PostgresCallbackDbContext> options) : CallbackDbContext(options)
{
    /// <summary>
    /// Several nodes append to one chain: the head row is read and locked in one statement, until the transaction
    /// ends, so a second writer waits here, then reads the head the first one left. Only the audited part of a
    /// transaction is serialised, and it is short: one round trip less under the lock than a lock, then a read.
    /// </summary>
    public override async Task<AuditHead> LockAuditHeadAsync(CancellationToken cancellationToken) =>
        // Not composed upon (no Single in SQL): the statement stays the locking read as written.
        (await AuditHeads.FromSql($"SELECT * FROM \"AuditHeads\" WHERE \"Id\" = {AuditHead.SingletonId} FOR UPDATE").ToListAsync(cancellationToken)).Single();

    /// <summary>
    /// Binary <c>COPY</c>: the rows stream to the server in one command of the current transaction instead of a round
    /// trip each. Each value is written as its column's type (a facet such as a length is the column's to check).
    /// </summary>
    public override async Task<bool> CopyAsync(BulkRows rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var types = rows.StoreTypes.Select(t => t.Split('(')[0].Trim()).ToArray();
        var connection = (NpgsqlConnection)Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {rows.Table} ({string.Join(", ", rows.Columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows.Values)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] is DBNull)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(row[c], types[c], cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return true;
    }
}
