namespace Callback.Domain.Cases;

/// <summary>The Le Mans two-colour board: orange cases need a stated reason before the victim's identity is shown.</summary>
public enum ConfidentialityTier
{
    Blue = 0,
    Orange = 1,
}
