namespace Callback.Domain.Cases;

/// <summary>
/// The patrol side of a case: why and when one was requested, which crew went and what it found. A value of the case
/// (an EF complex type, columns of the case row); before any request every member is null.
/// </summary>
public sealed class PatrolRequest
{
    private PatrolRequest()
    {
    }

    /// <summary>No patrol requested.</summary>
    public static PatrolRequest None => new();

    public DateTime? RequestedAtUtc { get; private set; }

    public PatrolReason? Reason { get; private set; }

    /// <summary>What a person said about the request (the review's note, the officer's reason), in their words; never a sentence of ours.</summary>
    public string? ReasonNote { get; private set; }

    public string? Crew { get; private set; }

    public DateTime? DispatchedAtUtc { get; private set; }

    public PatrolOutcome? Outcome { get; private set; }

    /// <summary>When a dispatcher acknowledged the request (its acknowledgement alert stops); a crew may be sent later.</summary>
    public DateTime? AcknowledgedAtUtc { get; private set; }

    /// <summary>When the request was called off, and why; null while it stands.</summary>
    public DateTime? CalledOffAtUtc { get; private set; }

    public PatrolCallOff? CallOffReason { get; private set; }

    /// <summary>The words of whoever called it off (required for <see cref="PatrolCallOff.Other"/>).</summary>
    public string? CallOffNote { get; private set; }

    /// <summary>When the patrol governor held the request back as a proposal (null: it went straight to dispatch).</summary>
    public DateTime? ProposedAtUtc { get; private set; }

    public bool IsRequested => RequestedAtUtc is not null;

    /// <summary>An automatic request held back by the governor: not requested until a supervisor confirms it.</summary>
    internal static PatrolRequest Proposed(PatrolReason reason, DateTime nowUtc) => new()
    {
        Reason = reason,
        ProposedAtUtc = nowUtc,
    };

    /// <summary>A confirmed request remembers that it was first proposed, and when.</summary>
    internal void KeepProposal(PatrolRequest proposal) => ProposedAtUtc = proposal.ProposedAtUtc;

    /// <summary>A fresh request: the crew and outcome of an earlier one are gone.</summary>
    internal static PatrolRequest Requested(PatrolReason reason, string? note, DateTime nowUtc) => new()
    {
        RequestedAtUtc = nowUtc,
        Reason = reason,
        ReasonNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
    };

    internal void Dispatch(string crew, DateTime nowUtc)
    {
        Crew = crew;
        DispatchedAtUtc = nowUtc;
    }

    internal void Report(PatrolOutcome outcome) => Outcome = outcome;

    internal void Acknowledge(DateTime nowUtc) => AcknowledgedAtUtc ??= nowUtc;

    internal void CallOff(PatrolCallOff reason, string? note, DateTime nowUtc)
    {
        CalledOffAtUtc = nowUtc;
        CallOffReason = reason;
        CallOffNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }

    /// <summary>Retention: the notes may name people; the codes, dates, crew and outcome are statistics.</summary>
    internal void Erase()
    {
        ReasonNote = null;
        CallOffNote = null;
    }

    /// <summary>The reason as the audit log records it (English, ADR 9), the same words as before reasons became codes.</summary>
    internal string AuditReason(int attempts) => Reason switch
    {
        PatrolReason.DangerAtReview => ReasonNote is { } n ? $"immediate danger at review: {n}" : "immediate danger at review",
        PatrolReason.DangerDuringCall => "danger during the call",
        PatrolReason.MaxAttemptsReached => $"{attempts} attempts without contact",
        PatrolReason.ContactDeadlineElapsed => "contact deadline elapsed",
        PatrolReason.CheckInDeadlineElapsed => "follow-up check-in deadline elapsed",
        _ => ReasonNote ?? "",
    };
}
