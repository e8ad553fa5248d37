namespace Callback.Web.Live;

/// <summary>How live pages hear of changes (section <c>Live</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>
    /// How long a page that heard of a change waits before reading again; changes heard meanwhile are in the same read.
    /// The officer who acted is answered first: her own page reads at once after her action, while the queues of her whole
    /// unit would otherwise read on the same cores at the same instant (with 200 open: 196 ms at p50 for her confirmation
    /// instead of 78, docs/performance.md, issue 20.5). A burst (a sweep firing deadlines one transaction each) becomes one
    /// read per page and per settle. The others see the change this much later. Zero reads at once.
    /// </summary>
    public TimeSpan ChangeSettleDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The tick of every page's first safety-net read (1 to 30), for tests that count a page's reads. Unset, each page
    /// draws its own (<see cref="LivePage.DrawFirstReadTick"/>).
    /// </summary>
    public int? FirstSafetyNetRead { get; set; }

    public void Validate()
    {
        if (FirstSafetyNetRead is < 1 or > 30)
        {
            throw new InvalidOperationException($"Live:FirstSafetyNetRead must be between 1 and 30, got {FirstSafetyNetRead}.");
        }

        if (ChangeSettleDelay < TimeSpan.Zero || ChangeSettleDelay > TimeSpan.FromSeconds(5))
        {
            throw new InvalidOperationException($"Live:ChangeSettleDelay must be between 00:00:00 and 00:00:05, got {ChangeSettleDelay}.");
        }
    }
}
