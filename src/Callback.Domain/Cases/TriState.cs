namespace Callback.Domain.Cases;

/// <summary>Yes, no, or not known: cohabitation and children are often unknown when a file arrives.</summary>
public enum TriState
{
    Unknown = 0,
    Yes = 1,
    No = 2,
}
