namespace Callback.Domain.Cases;

/// <summary>Danger levels, ordered: a higher value is more dangerous.</summary>
public enum DangerLevel
{
    NotAssessed = 0,
    Low = 1,
    Moderate = 2,
    High = 3,
    Severe = 4,
}
