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

    /// <summary>The holder of a live claim, or null when the case is in the pool (a stale claim counts as none).</summary>
    public string? ActiveHolder(DateTime nowUtc) => ExpiresAtUtc > nowUtc ? Holder : null;

    internal static CaseClaim By(string holder, DateTime expiresAtUtc) => new() { Holder = holder, ExpiresAtUtc = expiresAtUtc };
}
