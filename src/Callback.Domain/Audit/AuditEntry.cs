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
    /// <summary>The text given for the action; erased by retention once the case is anonymised (it may name people).</summary>
    public string? Reason { get; private set; }

    /// <summary>
    /// SHA-256 of the reason with a salt of its own. The chain covers this digest, not the text, so retention can erase
    /// the text and the chain still verifies; while the text is there, it must match the digest. The salt goes with the
    /// text, so an erased reason cannot be guessed back from its digest. Entries written before digests have none: their
    /// hash covers the text itself, and their text cannot be erased.
    /// </summary>
    public string? ReasonDigest { get; private set; }

    public string? ReasonSalt { get; private set; }

    /// <summary>The reason was erased (retention); its digest remains in the chain.</summary>
    public bool IsReasonErased => ReasonDigest is not null && Reason is null;
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
        if (record.Reason is not null)
        {
            entry.ReasonSalt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            entry.ReasonDigest = Digest(entry.ReasonSalt, record.Reason);
        }

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
        if (ReasonDigest is null)
        {
            Field(Reason);
        }
        else
        {
            // "#" never starts what Field writes (a length or "-"): a digest cannot pass for a reason, nor the reverse.
            canonical.Append("#:").Append(ReasonDigest).Append(';');
        }

        Field(PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>The reason is either erased (text and salt gone) or matches its digest; entries without digests always do.</summary>
    public bool ReasonMatchesDigest() =>
        ReasonDigest is null
        || (Reason is null && ReasonSalt is null)
        || (Reason is not null && ReasonSalt is not null && Digest(ReasonSalt, Reason) == ReasonDigest);

    /// <summary>Erases the reason's text and salt, keeping its digest: the chain still verifies.</summary>
    public void EraseReason()
    {
        if (ReasonDigest is null && Reason is not null)
        {
            throw new InvalidOperationException($"Audit entry {Sequence} predates erasable reasons: its hash covers its text.");
        }

        Reason = null;
        ReasonSalt = null;
    }

    private static string Digest(string salt, string reason) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}:{reason}")));

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
