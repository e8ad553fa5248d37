namespace Callback.Domain.People;

/// <summary>
/// An officer's word on a match between two files: the same person (confirmed) or not (rejected). Matches themselves are
/// computed from the keys, so they follow the files' facts; a decision is kept once per pair of files and role, the last
/// word standing, so a wrong match is undone by rejecting it and a wrong rejection by confirming.
/// </summary>
public sealed class PersonLink
{
    private PersonLink()
    {
    }

    private PersonLink(Guid first, Guid second, PersonRole role)
    {
        FirstCaseId = first;
        SecondCaseId = second;
        Role = role;
    }

    public long Id { get; private set; }

    /// <summary>The lower of the two case ids (ordered as <see cref="Guid.CompareTo(Guid)"/>), so a pair has one row.</summary>
    public Guid FirstCaseId { get; private set; }
    public Guid SecondCaseId { get; private set; }
    public PersonRole Role { get; private set; }
    public bool Confirmed { get; private set; }
    public string ActorId { get; private set; } = "";
    public DateTime DecidedAtUtc { get; private set; }

    /// <summary>The pair's ids in the order they are stored.</summary>
    public static (Guid First, Guid Second) Pair(Guid a, Guid b) => a.CompareTo(b) <= 0 ? (a, b) : (b, a);

    public static PersonLink For(Guid a, Guid b, PersonRole role)
    {
        var (first, second) = Pair(a, b);
        return new PersonLink(first, second, role);
    }

    public void Decide(bool confirmed, string actorId, DateTime nowUtc)
    {
        Confirmed = confirmed;
        ActorId = actorId;
        DecidedAtUtc = nowUtc;
    }

    /// <summary>The reason of a <see cref="Audit.AuditActions.MatchConfirmed"/> or <see cref="Audit.AuditActions.MatchRejected"/> entry: whose match, with which file.</summary>
    public static string AuditReason(PersonRole role, Guid otherCaseId) => $"{role.ToString().ToLowerInvariant()}, file {otherCaseId}";

    /// <summary>The other file of the pair, seen from <paramref name="caseId"/>.</summary>
    public Guid Other(Guid caseId) => caseId == FirstCaseId ? SecondCaseId : FirstCaseId;
}
