namespace Callback.Domain.Cases;

/// <summary>What came of an alarm.</summary>
public enum DeadlineFiring
{
    /// <summary>The case moved on (or the alarm already rang): nothing changed.</summary>
    Stale,

    /// <summary>The job ran early (the job store keeps whole seconds): nothing changed yet.</summary>
    NotDueYet,

    /// <summary>The deadline changed the case's state.</summary>
    Applied,

    /// <summary>The deadline raised an alert for a human; the state did not change.</summary>
    Alerted,
}
