namespace Callback.Domain.Cases;

/// <summary>
/// The facts of a case that come from the records file and that a newer copy of the file may change: who the victim
/// is and how to reach her, the perpetrator's name, cohabitation, penal response, children and the file's notes. The
/// intervention date and the offence are not among them: they identify what happened and set the confidentiality tier.
/// </summary>
public sealed record FileFacts(
    string VictimFirstName,
    string VictimLastName,
    string? VictimPhone,
    string? VictimAddress,
    string? PerpetratorName,
    TriState Cohabiting,
    bool? PenalResponse,
    TriState ChildrenPresent,
    string? Notes)
{
    public const int MaxNotesLength = 4000;

    /// <summary>
    /// These facts laid over <paramref name="current"/>, those of a case in <paramref name="state"/>: a blank text, an
    /// unknown answer or a missing penal response keeps the current value. Once the case is reviewed, cohabitation and
    /// children are the review's findings, fresher than any copy of the file: the file no longer changes them.
    /// </summary>
    public FileFacts Over(FileFacts current, CaseState state)
    {
        ArgumentNullException.ThrowIfNull(current);
        var reviewed = state != CaseState.AwaitingReview;
        return new(
            Text(VictimFirstName) ?? current.VictimFirstName,
            Text(VictimLastName) ?? current.VictimLastName,
            Text(VictimPhone) ?? current.VictimPhone,
            Text(VictimAddress) ?? current.VictimAddress,
            Text(PerpetratorName) ?? current.PerpetratorName,
            Cohabiting == TriState.Unknown || reviewed ? current.Cohabiting : Cohabiting,
            PenalResponse ?? current.PenalResponse,
            ChildrenPresent == TriState.Unknown || reviewed ? current.ChildrenPresent : ChildrenPresent,
            Text(Notes) ?? current.Notes);
    }

    /// <summary>The names of the facts that differ from <paramref name="other"/>, in a fixed order; empty when none does.</summary>
    public IReadOnlyList<string> DifferencesFrom(FileFacts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var changed = new List<string>();
        void Compare<T>(T mine, T theirs, string name)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
            {
                changed.Add(name);
            }
        }

        Compare(VictimFirstName, other.VictimFirstName, "victim first name");
        Compare(VictimLastName, other.VictimLastName, "victim last name");
        Compare(VictimPhone, other.VictimPhone, "victim phone");
        Compare(VictimAddress, other.VictimAddress, "victim address");
        Compare(PerpetratorName, other.PerpetratorName, "perpetrator name");
        Compare(Cohabiting, other.Cohabiting, "cohabitation");
        Compare(PenalResponse, other.PenalResponse, "penal response");
        Compare(ChildrenPresent, other.ChildrenPresent, "children");
        Compare(Notes, other.Notes, "notes");
        return changed;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
