using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Web.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Callback.Domain.Tests.Persistence;

public class BulkInsertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every column of every row, as SQLite stores it: its value quoted and its storage class.</summary>
    /// <summary>
    /// Every column of every row, value and storage type. Columns named in <paramref name="salted"/> are compared by
    /// length and type only: a reason's digest carries a random salt, so the hashes of two writes of the same history
    /// differ by design (both chains are verified instead).
    /// </summary>
    private static async Task<List<string>> RowsAsync(Harness h, string table, string orderBy, params string[] salted)
    {
        if (h.Provider == DatabaseProvider.Postgres)
        {
            return await PostgresRowsAsync(h, table, orderBy, salted);
        }

        await using var connection = new SqliteConnection(h.ConnectionString);
        await connection.OpenAsync(Ct);
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            await using var reader = await info.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                columns.Add(reader.GetString(0));
            }
        }

        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {string.Join(" || ' | ' || ", columns.Select(c => salted.Contains(c)
            ? $"'{c}=#' || coalesce(length(\"{c}\"), 'null') || ':' || typeof(\"{c}\")"
            : $"'{c}=' || quote(\"{c}\") || ':' || typeof(\"{c}\")"))} FROM \"{table}\" ORDER BY \"{orderBy}\"";
        var rows = new List<string>();
        await using (var reader = await select.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    /// <summary>The same on PostgreSQL: each row as JSON (every column, typed), salted columns by the length of their text.</summary>
    private static async Task<List<string>> PostgresRowsAsync(Harness h, string table, string orderBy, string[] salted)
    {
        await using var connection = new NpgsqlConnection(h.ConnectionString);
        await connection.OpenAsync(Ct);
        var lengths = string.Concat(salted.Select(c => $" || jsonb_build_object('{c}', length(to_jsonb(t) ->> '{c}'))"));
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT ((to_jsonb(t) - ARRAY[{string.Join(", ", salted.Select(c => $"'{c}'"))}]::text[]){lengths})::text
            FROM "{table}" AS t ORDER BY t."{orderBy}"
            """;
        var rows = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>
    /// On SQLite the rows go through one prepared <c>INSERT</c>; on PostgreSQL through binary <c>COPY</c>, each value
    /// written as its column's type: either way the rows are those EF Core writes, value for value.
    /// </summary>
    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task BulkInsert_WritesExactlyTheRowsEfCoreWrites_WhetherAValueIsBoundOrWrittenAsALiteral(DatabaseProvider provider)
    {
        await using var viaEf = await Harness.CreateAsync(provider);
        await using var viaBulk = await Harness.CreateAsync(provider);
        var now = viaEf.Now;
        var policy = viaEf.Workflow.Policy;
        Unit unit;
        await using (var db = await viaEf.Databases.CreateDbContextAsync(Ct))
        {
            unit = await db.Units.AsNoTracking().SingleAsync(u => u.Code == "CTC-62", Ct);
        }

        var campaign = new Campaign("Réexamen 2020", now, now.AddDays(7), now.AddDays(14), "admin-1");
        foreach (var h in new[] { viaEf, viaBulk })
        {
            // The same campaign row in both databases (id 1), before the cases that refer to it are opened.
            await using var db = await h.Databases.CreateDbContextAsync(Ct);
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(Ct);
        }

        var plain = Case.Open(new NewCase("62-1", new DateTime(2020, 1, 4, 21, 40, 0, DateTimeKind.Utc), OffenceCategory.Rape,
            new Victim("Hélène", "Lefèvre", "+33612345678", null), new Perpetrator(null, TriState.Unknown), FileNotes: "=HYPERLINK(\"x\";'l''appel')"), unit, now, policy, campaign);
        var reviewed = Case.Open(new NewCase("62-2", new DateTime(2020, 7, 14, 1, 10, 0, DateTimeKind.Utc), OffenceCategory.Threats,
            new Victim("Zoé", "Caron", null, "2 rue Basse\n62000 Arras"), new Perpetrator("Marc", TriState.Yes), TriState.Yes, true, ProtectionMeasures.AntiApproachBracelet), unit, now, policy, campaign);
        reviewed.Review(new ReviewFindings(TriState.Yes, true, false, true, false, TriState.No, ProtectionMeasures.ProtectionOrder, DangerLevel.High, false,
            new SafeContact("+33699999999", new TimeOnly(9, 0), new TimeOnly(18, 30), "Europe/Paris", ContactChannel.Sms, true, "lilas")), now.AddMinutes(5), policy);
        var alone = Case.Open(new NewCase("62-3", new DateTime(2021, 3, 28, 0, 30, 0, DateTimeKind.Utc), OffenceCategory.SexualAssault,
            new Victim("Inès", "Roussel", "+262692123456", null), new Perpetrator(null, TriState.No), TriState.Unknown, false), unit, now.AddSeconds(1), policy);
        Case[] cases = [plain, reviewed, alone];
        AuditRecord[] records = [.. cases.SelectMany(c => c.PendingEvents.Select(e => e.ToAuditRecord(c.Id, "admin-1")))];

        await using (var db = await viaEf.Databases.CreateDbContextAsync(Ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            db.Cases.AddRange(cases);
            await AuditWriter.AppendAsync(db, records, Ct);
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        await using (var db = await viaBulk.Databases.CreateDbContextAsync(Ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            // Two rows share most values (written as literals); a row alone has every non-text value as a literal.
            await BulkInsert.InsertAsync(db, cases[..2], Ct);
            await BulkInsert.InsertAsync(db, cases[2..], Ct);
            var entries = await AuditWriter.ChainAsync(db, records, Ct);
            await BulkInsert.InsertAsync(db, entries, Ct);
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        Assert.Equal(await RowsAsync(viaEf, "Cases", "FileReference"), await RowsAsync(viaBulk, "Cases", "FileReference"));
        string[] salted = ["ReasonSalt", "ReasonDigest", "Hash", "PreviousHash", "LastHash"];
        Assert.Equal(await RowsAsync(viaEf, "AuditEntries", "Sequence", salted), await RowsAsync(viaBulk, "AuditEntries", "Sequence", salted));
        Assert.Equal(await RowsAsync(viaEf, "AuditHeads", "Id", salted), await RowsAsync(viaBulk, "AuditHeads", "Id", salted));
        await using (var efRead = await viaEf.Databases.CreateDbContextAsync(Ct))
        {
            Assert.True((await AuditWriter.VerifyAsync(efRead, Ct)).IsIntact);
        }

        await using var read = await viaBulk.Databases.CreateDbContextAsync(Ct);
        Assert.True((await AuditWriter.VerifyAsync(read, Ct)).IsIntact);
        Assert.Contains(await read.AuditEntries.AsNoTracking().ToListAsync(Ct), e => e.ReasonDigest is not null && e.Reason is not null);
        var back = await read.Cases.AsNoTracking().SingleAsync(c => c.Id == reviewed.Id, Ct);
        Assert.Equal((CaseState.AwaitingContact, new TimeOnly(18, 30), ContactChannel.Sms), (back.State, back.Victim.SafeContact.SafeUntil, back.Victim.SafeContact.Channel));
    }
}
