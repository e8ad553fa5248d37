using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Notifications;

/// <summary>
/// An e-mail waiting to be sent, written in the transaction of the alert (or digest) that causes it, so that the alert
/// and its message commit or roll back together. It holds no personal data by construction: a kind, a file reference,
/// a unit, a deadline, recipients (staff and unit addresses) and, for a digest, lines of the same. The sender renders
/// the text from these fields, so every attempt at one row sends the same message under the same Message-Id.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxErrorLength = 500;

    private OutboxMessage()
    {
    }

    public OutboxMessage(string kind, string recipients, int? unitId, Guid? caseId, string? reference, DateTime? deadlineUtc, string? details, DateTime nowUtc, string? dedupKey = null)
    {
        Id = Guid.NewGuid();
        Kind = kind;
        Recipients = recipients;
        UnitId = unitId;
        CaseId = caseId;
        Reference = reference;
        DeadlineUtc = deadlineUtc;
        Details = details;
        CreatedUtc = nowUtc;
        NextAttemptUtc = nowUtc;
        DedupKey = dedupKey;
        Lease = Guid.NewGuid();
    }

    public Guid Id { get; private set; }

    /// <summary>"Alert.ReviewOverdue", "Alert.JobStoreDown", "Digest": what the message says.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The addresses, comma-separated, as resolved when the alert was raised.</summary>
    public string Recipients { get; private set; } = "";

    public int? UnitId { get; private set; }
    public Guid? CaseId { get; private set; }

    /// <summary>The file reference (never a name, a phone number or an address).</summary>
    public string? Reference { get; private set; }

    public DateTime? DeadlineUtc { get; private set; }

    /// <summary>A digest's lines, one per case: "kind|reference|deadline (ISO 8601)|case id".</summary>
    public string? Details { get; private set; }

    /// <summary>Unique when set: a digest is queued once per unit and local day, whichever node gets there first.</summary>
    public string? DedupKey { get; private set; }

    public DateTime CreatedUtc { get; private set; }
    public DateTime NextAttemptUtc { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTime? SentUtc { get; private set; }

    /// <summary>A sender holds the row until this instant; another node (or this one after a crash) takes it after.</summary>
    public DateTime? ClaimedUntilUtc { get; private set; }

    /// <summary>Renewed on every change: two senders claiming the same row, one of them gets a concurrency conflict.</summary>
    public Guid Lease { get; private set; }

    /// <summary>The Message-Id header: the same on every attempt, so a repeat after a crash can be recognised downstream.</summary>
    public string MessageId => $"{Id:N}@callback.outbox";

    public void Claim(DateTime nowUtc, TimeSpan holdFor)
    {
        ClaimedUntilUtc = nowUtc + holdFor;
        Lease = Guid.NewGuid();
    }

    public void MarkSent(DateTime nowUtc)
    {
        SentUtc = nowUtc;
        ClaimedUntilUtc = null;
        LastError = null;
        Lease = Guid.NewGuid();
    }

    /// <summary>Records a failed attempt and when to try again: 5 s, 10 s, 20 s, ... at most <paramref name="maxDelay"/>.</summary>
    public void MarkFailed(string error, DateTime nowUtc, TimeSpan maxDelay)
    {
        Attempts++;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        var delay = TimeSpan.FromSeconds(5 * Math.Pow(2, Math.Min(Attempts - 1, 20)));
        NextAttemptUtc = nowUtc + (delay < maxDelay ? delay : maxDelay);
        ClaimedUntilUtc = null;
        Lease = Guid.NewGuid();
    }

    internal static void Configure(ModelBuilder builder) => builder.Entity<OutboxMessage>(m =>
    {
        m.HasKey(x => x.Id);
        m.Property(x => x.Id).ValueGeneratedNever();
        m.Property(x => x.Kind).HasMaxLength(64);
        m.Property(x => x.Recipients).HasMaxLength(4000);
        m.Property(x => x.Reference).HasMaxLength(64);
        m.Property(x => x.DedupKey).HasMaxLength(128);
        m.HasIndex(x => x.DedupKey).IsUnique();
        m.Property(x => x.LastError).HasMaxLength(MaxErrorLength);
        m.Property(x => x.Lease).IsConcurrencyToken();
        m.HasIndex(x => new { x.SentUtc, x.NextAttemptUtc });
        m.Ignore(x => x.MessageId);
    });
}
