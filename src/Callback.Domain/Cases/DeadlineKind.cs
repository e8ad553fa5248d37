namespace Callback.Domain.Cases;

/// <summary>What a case's alarm wakes up for. Names are stable: they travel in job arguments and the audit log.</summary>
public enum DeadlineKind
{
    /// <summary>The file was not reviewed in time: supervisors are alerted.</summary>
    ReviewOverdue = 0,

    /// <summary>The victim was not reached in time: a patrol is requested.</summary>
    ContactDeadline = 1,

    /// <summary>No dispatcher acknowledged the patrol request in time: supervisors are alerted.</summary>
    DispatchAcknowledgementOverdue = 2,

    /// <summary>The patrol did not report in time: supervisors are alerted.</summary>
    PatrolReportOverdue = 3,

    /// <summary>A follow-up check-in was not made in time: a patrol for high danger, an alert for supervisors otherwise.</summary>
    CheckInDeadline = 4,

    /// <summary>A patrol held back by the governor waited too long for a supervisor's decision: supervisors are alerted.</summary>
    PatrolProposalOverdue = 5,
}
