namespace Callback.Domain.Access;

/// <summary>
/// A part of the application a role opens or not: a page, its link in the menu, an endpoint, or a service behind them.
/// Each becomes one named authorization policy in the web host (the policy's name is the member's name).
/// </summary>
public enum Feature
{
    /// <summary>The daily queue of the call cell.</summary>
    Queue,

    /// <summary>Opening a case by hand.</summary>
    NewCase,

    /// <summary>The printable neutral card with the unit's QR code.</summary>
    NeutralCard,

    /// <summary>The live dispatch board.</summary>
    Dispatch,

    /// <summary>The supervision dashboard and its statistics exports.</summary>
    Supervision,

    /// <summary>Bulk import of files (re-examination campaigns).</summary>
    Import,

    /// <summary>Intake API keys.</summary>
    ApiKeys,

    /// <summary>Reading and verifying the audit log.</summary>
    Audit,

    /// <summary>User accounts.</summary>
    Users,

    /// <summary>The partner directory.</summary>
    Partners,

    /// <summary>Hangfire's job dashboard, which shows every unit's jobs and can delete or re-run them.</summary>
    JobDashboard,

    /// <summary>Finding a file by reference, phone, name or address (issue 19); every search is audited.</summary>
    Search,

    /// <summary>Units: their codes, départements, zones and contacts.</summary>
    Units,
}
