namespace Callback.Domain.Partners;

/// <summary>
/// Where a referral stands, as the partner reports it to the officer. The values are stored and counted on the
/// supervision dashboard: append new ones, never renumber.
/// </summary>
public enum ReferralStatus
{
    /// <summary>The referral went to the partner; nothing heard back yet.</summary>
    Sent = 0,

    /// <summary>The partner reached the victim.</summary>
    VictimContacted = 1,

    /// <summary>An appointment with the partner is set.</summary>
    Appointment = 2,

    /// <summary>The partner did what was asked.</summary>
    Done = 3,

    /// <summary>The victim or the partner declined.</summary>
    Declined = 4,
}
