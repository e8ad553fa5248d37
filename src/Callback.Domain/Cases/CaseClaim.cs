namespace Callback.Domain.Cases;

/// <summary>
/// Who holds the case for a lease, and until when. A value of the case (an EF complex type, columns of the case row);
/// a lease past its expiry counts as no claim: the case is back in the pool without anyone writing to it.
/// </summary>
public sealed class CaseClaim
{
    private CaseClaim()
    {
    }

    /// <summary>In the pool.</summary>
    public static CaseClaim None => new();

    public string? Holder { get; private set; }

    public DateTime? ExpiresAtUtc { get; private set; }

    /// <summary>
    /// The expiry of an assignment: a supervisor's hand-over lasts until the officer finishes the case or hands it back,
    /// not for a lease (issue 16.9). Stored like any expiry, so every query that asks "claimed and not expired" counts it.
    /// </summary>
    public static readonly DateTime Indefinite = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The holder of a live claim, or null when the case is in the pool (a stale claim counts as none).</summary>
    public string? ActiveHolder(DateTime nowUtc) => ExpiresAtUtc > nowUtc ? Holder : null;

    /// <summary>Handed to <see cref="Holder"/> by a supervisor, until done or handed back.</summary>
    public bool IsAssignment => Holder is not null && ExpiresAtUtc == Indefinite;

    internal static CaseClaim By(string holder, DateTime expiresAtUtc) => new() { Holder = holder, ExpiresAtUtc = expiresAtUtc };

    internal static CaseClaim AssignedTo(string holder) => By(holder, Indefinite);
}
