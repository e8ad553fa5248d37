namespace Callback.Domain.Cases;

/// <summary>
/// A call that reached the victim. <see cref="Then"/> is what the officer decided with her: close, follow her under a
/// plan of check-ins, or record that she declines the follow-up. A patrol the answers call for comes first.
/// </summary>
public sealed record ContactReport(bool ToSafeNumber, DangerLevel Danger, bool PatrolNeeded, string? QuestionnaireJson, string? Note = null)
{
    public AfterContact Then { get; init; } = AfterContact.Close;

    /// <summary>The danger grid, when the officer ran it again during a check-in: it replaces the case's.</summary>
    public string? DangerGridJson { get; init; }
}

/// <summary>What follows a call that reached the victim.</summary>
public enum AfterContact
{
    /// <summary>The case closes as contacted. At a check-in it means the same as <see cref="FollowUp"/>: the plan goes on,
    /// and ends the case itself after its last check-in (an early end is the Close action, with its reason).</summary>
    Close = 0,

    /// <summary>The victim is followed under the plan of her danger level and measures ("mise sous suivi").</summary>
    FollowUp = 1,

    /// <summary>She declines the follow-up: closed as declined, unless danger is high, where a supervisor decides.</summary>
    Declined = 2,
}
