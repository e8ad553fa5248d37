using Callback.Domain.Cases;

namespace Callback.Domain.Audit;

/// <summary>
/// Every action the audit log may name, in one place. The values are stable: they are stored in the chain, hashed into
/// it, filtered on by <c>/audit</c> and the statistics, so renaming one rewrites history. Lifecycle actions are the names
/// of <see cref="CaseTrigger"/>, so the log and the generated diagram speak the same words.
/// </summary>
public static class AuditActions
{
    // The lifecycle: one entry per transition, named after the trigger that caused it.
    public const string Open = "Open";
    public const string Review = nameof(CaseTrigger.Review);
    public const string RecordAttempt = nameof(CaseTrigger.RecordAttempt);
    public const string RecordContact = nameof(CaseTrigger.RecordContact);
    public const string ScheduleFollowUp = nameof(CaseTrigger.ScheduleFollowUp);
    public const string RequestPatrol = nameof(CaseTrigger.RequestPatrol);
    public const string ContactDeadlineElapsed = nameof(CaseTrigger.ContactDeadlineElapsed);
    public const string MaxAttemptsReached = nameof(CaseTrigger.MaxAttemptsReached);
    public const string Dispatch = nameof(CaseTrigger.Dispatch);
    public const string ReportOutcome = nameof(CaseTrigger.ReportOutcome);
    public const string Close = nameof(CaseTrigger.Close);
    public const string Reopen = nameof(CaseTrigger.Reopen);
    public const string StartFollowUp = nameof(CaseTrigger.StartFollowUp);
    public const string RecordCheckIn = nameof(CaseTrigger.RecordCheckIn);
    public const string CheckInDeadlineElapsed = nameof(CaseTrigger.CheckInDeadlineElapsed);
    public const string Acknowledge = nameof(CaseTrigger.Acknowledge);
    public const string CallOffPatrol = nameof(CaseTrigger.CallOffPatrol);
    public const string ConfirmPatrol = nameof(CaseTrigger.ConfirmPatrol);
    public const string DeclinePatrol = nameof(CaseTrigger.DeclinePatrol);

    // Changes to a case that keep its state.
    public const string RaiseDanger = "RaiseDanger";
    public const string LowerDanger = "LowerDanger";
    public const string Claim = "Claim";
    public const string Release = "Release";
    public const string Reassign = "Reassign";
    public const string AddNote = "AddNote";
    public const string UpdateFacts = "UpdateFacts";
    public const string Refer = "Refer";
    public const string ReferralStatus = "ReferralStatus";
    public const string Anonymised = "Anonymised";
    public const string UpdateSafeContact = "UpdateSafeContact";
    public const string AddMeasure = "AddMeasure";
    public const string UpdateMeasure = "UpdateMeasure";
    public const string RemoveMeasure = "RemoveMeasure";

    /// <summary>The victim called the cell (a contact on a case awaiting one; kept with its answers on any other).</summary>
    public const string InboundCall = "InboundCall";

    /// <summary>A new file names the victim or perpetrator of an open case (issue 19): written on both files.</summary>
    public const string RepeatVictimisation = "RepeatVictimisation";

    /// <summary>An officer confirmed that two files are about the same person.</summary>
    public const string MatchConfirmed = "MatchConfirmed";

    /// <summary>An officer rejected a match between two files: they are not about the same person.</summary>
    public const string MatchRejected = "MatchRejected";

    // Reading: who opened which personal data.
    public const string OpenIdentity = "OpenIdentity";
    public const string AccessDenied = "AccessDenied";

    /// <summary>An orange identity shown again to a reader whose reason still holds (<c>WorkflowOptions.IdentityReasonValidFor</c>).</summary>
    public const string OpenIdentityAgain = "OpenIdentityAgain";

    /// <summary>A blue case's personal data shown to a reader (at most one per reader and case per <c>WorkflowOptions.ConsultationWindow</c>).</summary>
    public const string Consult = "Consult";

    /// <summary>A print view rendered (briefing or prosecutor's summary); itself a consultation.</summary>
    public const string Print = "Print";

    /// <summary>A search for files (by reference, phone, name or address), with its stated purpose; names no case.</summary>
    public const string Search = "Search";

    // Intake.
    public const string Import = "Import";
    public const string ImportStarted = "ImportStarted";
    public const string ApiKeyCreate = "ApiKeyCreate";
    public const string ApiKeyRevoke = "ApiKeyRevoke";

    // Accounts and sign-in.
    public const string SignIn = "SignIn";
    public const string SignInFailed = "SignInFailed";
    public const string SignInRefused = "SignInRefused";
    public const string SignOut = "SignOut";
    public const string SignOutEverywhere = "SignOutEverywhere";
    public const string LockedOut = "LockedOut";
    public const string PasswordAccepted = "PasswordAccepted";
    public const string TwoFactorEnabled = "TwoFactorEnabled";
    public const string TwoFactorSucceeded = "TwoFactorSucceeded";
    public const string TwoFactorFailed = "TwoFactorFailed";
    public const string UserDisabled = "UserDisabled";
    public const string UserEnabled = "UserEnabled";
    public const string UserCreated = "UserCreated";
    public const string UserRoleChanged = "UserRoleChanged";
    public const string UserUnitChanged = "UserUnitChanged";
    public const string TwoFactorReset = "TwoFactorReset";
    public const string PasswordReset = "PasswordReset";

    // Units.
    public const string UnitCreated = "UnitCreated";
    public const string UnitUpdated = "UnitUpdated";

    /// <summary>Whether <paramref name="action"/> records a reading (consultation, reopening, print) rather than a change.</summary>
    public static bool IsReading(string action) => action is Consult or OpenIdentityAgain or Print or Search;

    /// <summary>The prefix of a supervisor alert: a deadline that alerts instead of moving the case.</summary>
    public const string AlertPrefix = "Alert.";

    /// <summary>The action of an alert raised by a deadline of <paramref name="kind"/> ("Alert.ReviewOverdue", ...).</summary>
    public static string Alert(DeadlineKind kind) => AlertPrefix + kind;

    /// <summary>The action written for <paramref name="trigger"/>: its name.</summary>
    public static string Of(CaseTrigger trigger) => trigger.ToString();
}
