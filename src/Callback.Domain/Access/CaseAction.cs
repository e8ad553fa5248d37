namespace Callback.Domain.Access;

/// <summary>
/// Everything a person may do to one case. The lifecycle's triggers keep their names here (see
/// <see cref="Permissions.ActionOf"/>); the others are actions that leave the state where it is.
/// </summary>
public enum CaseAction
{
    /// <summary>Open a case for a new file (form, import row, API).</summary>
    Open,
    Review,
    RecordAttempt,
    RecordContact,
    ScheduleFollowUp,
    RequestPatrol,

    /// <summary>Fired by the clock only: no person may.</summary>
    ContactDeadlineElapsed,

    /// <summary>Fired by the workflow when the calls run out: no person may.</summary>
    MaxAttemptsReached,
    Dispatch,
    ReportOutcome,
    Close,
    Reopen,
    RaiseDanger,
    LowerDanger,
    Claim,

    /// <summary>Give back one's own claim.</summary>
    Release,

    /// <summary>Free a claim held by someone else (a stale one, or to redistribute work).</summary>
    ReleaseOthersClaim,
    Reassign,
    AddNote,
    Refer,

    /// <summary>Correct the victim's safe contact (number, channel, hours, zone, voicemail, code word).</summary>
    UpdateSafeContact,

    /// <summary>Record what a partner reported about a referral (contacted, appointment, done, declined).</summary>
    UpdateReferralStatus,

    /// <summary>Put a victim reached under a follow-up plan (a call that reached her, like <see cref="RecordContact"/>).</summary>
    StartFollowUp,

    /// <summary>Record a follow-up check-in that reached her.</summary>
    RecordCheckIn,

    /// <summary>Fired by the clock when a follow-up check-in was not made in time: no person may.</summary>
    CheckInDeadlineElapsed,

    /// <summary>A dispatcher has seen a patrol request (its acknowledgement alert stops).</summary>
    Acknowledge,

    /// <summary>Call off a patrol request, or recall a crew, with a reason: either desk may.</summary>
    CallOffPatrol,

    /// <summary>Confirm a patrol the governor held back (it goes to dispatch): a supervisor's decision.</summary>
    ConfirmPatrol,

    /// <summary>Decline a patrol the governor held back, with a reason: a supervisor's decision.</summary>
    DeclinePatrol,

    /// <summary>Record, change or remove a dated protection measure, and the facts of her protection learnt during the call (cohabitation).</summary>
    UpdateMeasures,

    /// <summary>Close a high-danger case because she declines the follow-up: a supervisor's decision.</summary>
    CloseDeclinedHighDanger,

    /// <summary>Confirm or reject that another file is about the same victim or perpetrator.</summary>
    DecideMatch,
}
