using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Callback.Domain.Audit;

/// <summary>
/// One line of the append-only audit log: what happened (trigger or action, from and to state, reason), to which
/// case, by whom, when. Each entry is chained to the previous one by a SHA-256 hash, so an edited, deleted,
/// inserted or reordered row breaks the chain at its sequence number.
/// </summary>
public sealed class AuditEntry
{
    public const string SystemActor = "system";

    private AuditEntry()
    {
    }

    public long Sequence { get; private set; }
    public DateTime AtUtc { get; private set; }
    public string Actor { get; private set; } = "";
    public Guid? CaseId { get; private set; }
    public string Action { get; private set; } = "";
    public string? FromState { get; private set; }
    public string? ToState { get; private set; }
    public string? Reason { get; private set; }
    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    /// <summary>Builds the entry that follows <paramref name="previous"/> in the chain.</summary>
    public static AuditEntry Next(AuditHead previous, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(record);
        var entry = new AuditEntry
        {
            Sequence = previous.LastSequence + 1,
            // PostgreSQL keeps microseconds, SQLite text keeps ticks: hash what both store alike.
            AtUtc = TruncateToMicroseconds(record.AtUtc),
            Actor = record.Actor,
            CaseId = record.CaseId,
            Action = record.Action,
            FromState = record.FromState,
            ToState = record.ToState,
            Reason = record.Reason,
            PreviousHash = previous.LastHash,
        };
        entry.Hash = entry.ComputeHash();
        return entry;
    }

    /// <summary>SHA-256 over a length-prefixed canonical form of every field and the previous hash.</summary>
    public string ComputeHash()
    {
        var canonical = new StringBuilder();
        void Field(string? value)
        {
            if (value is null)
            {
                canonical.Append("-;");
                return;
            }

            canonical.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
        }

        Field(Sequence.ToString(CultureInfo.InvariantCulture));
        Field(DateTime.SpecifyKind(AtUtc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        Field(Actor);
        Field(CaseId?.ToString("D"));
        Field(Action);
        Field(FromState);
        Field(ToState);
        Field(Reason);
        Field(PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);
}

/// <summary>What to write: the workflow fills it in, the chain numbers and hashes it.</summary>
public sealed record AuditRecord(DateTime AtUtc, string Actor, Guid? CaseId, string Action, string? FromState, string? ToState, string? Reason);

/// <summary>
/// The head of the chain (one row): the last sequence and hash. Writers update it in the same transaction as the entry,
/// which serialises them into a single chain, and verification compares the table's tail with it, so deleting the last
/// rows is detected too.
/// </summary>
public sealed class AuditHead
{
    public const int SingletonId = 1;
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public int Id { get; private set; } = SingletonId;
    public long LastSequence { get; private set; }
    public string LastHash { get; private set; } = GenesisHash;

    public static AuditHead Genesis() => new();

    public void Advance(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence != LastSequence + 1 || entry.PreviousHash != LastHash)
        {
            throw new InvalidOperationException($"Audit entry {entry.Sequence} does not follow the head at {LastSequence}.");
        }

        LastSequence = entry.Sequence;
        LastHash = entry.Hash;
    }
}
