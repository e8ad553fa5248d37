using Callback.Domain.Audit;
using Callback.Domain.Contact;

namespace Callback.Domain.Cases;

/// <summary>What the victim herself brings to a case: her call in, and her other files (issue 19).</summary>
public sealed partial class Case
{
    /// <summary>
    /// The victim called the cell. On a case awaiting contact her call is the contact (<see cref="RecordContact"/>), under
    /// follow-up it is the plan's check-in (<see cref="RecordCheckIn"/>), each after an <see cref="AuditActions.InboundCall"/>
    /// entry saying she called. On a closed case, when the officer puts her under follow-up or her answers call for a
    /// patrol, her call reopens the file (<see cref="Reopen"/>, "victim called in") and is its contact: the follow-up or the
    /// patrol is this file's. In any other case the call is kept with its questionnaire and grid, danger is raised if the
    /// call found more (never lowered), and the state stays. Returns whether the call was the case's contact.
    /// </summary>
    public bool RecordInboundCall(ContactReport report, string actorId, DateTime nowUtc, DeadlinePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(policy);
        if (AnonymisedAtUtc is not null)
        {
            throw new CaseRuleException(Localization.DomainText.Get("Case.Anonymised"));
        }

        if (State == CaseState.AwaitingContact)
        {
            _events.Add(new CaseEvent(AuditActions.InboundCall, State, State, "victim called in", nowUtc));
            RecordContact(report, actorId, nowUtc, policy);
            return true;
        }

        if (State == CaseState.FollowUp)
        {
            _events.Add(new CaseEvent(AuditActions.InboundCall, State, State, "victim called in", nowUtc));
            RecordCheckIn(report, actorId, nowUtc, policy);
            return true;
        }

        if (State == CaseState.Closed && (report.PatrolNeeded || report.Then == AfterContact.FollowUp))
        {
            _events.Add(new CaseEvent(AuditActions.InboundCall, State, State, "victim called in, case closed: reopened", nowUtc));
            Reopen("victim called in", nowUtc, policy);
            RecordContact(report, actorId, nowUtc, policy);
            return true;
        }

        _attempts.Add(new CallAttempt(Id, nowUtc, actorId, AttemptOutcome.Reached, report.ToSafeNumber, report.Note, report.QuestionnaireJson));
        _events.Add(new CaseEvent(AuditActions.InboundCall, State, State,
            State == CaseState.Closed ? "victim called in, case closed" : "victim called in", nowUtc));
        if (report.Danger > Danger)
        {
            RaiseDanger(report.Danger, "inbound call", nowUtc, policy);
        }

        return false;
    }

    /// <summary>
    /// A new file names this case's victim or perpetrator while this case is open: its danger goes up one level (the
    /// raise-only rule: <see cref="RaiseDanger"/>), and the entry says which file and why. A closed case, or one at the
    /// highest level already, keeps its level; the link is recorded all the same.
    /// </summary>
    public void RecordRepeatFile(Guid newCaseId, string matchedBy, DateTime nowUtc, DeadlinePolicy policy)
    {
        _events.Add(new CaseEvent(AuditActions.RepeatVictimisation, State, State, $"new file {newCaseId}: {matchedBy}", nowUtc));
        if (State != CaseState.Closed && Danger < DangerLevel.Severe)
        {
            RaiseDanger(Danger + 1, "repeat victimisation", nowUtc, policy);
        }
    }

    /// <summary>On the new file: the open files of the same victim or perpetrator it was linked to at intake.</summary>
    public void RecordEarlierOpenFiles(IReadOnlyCollection<Guid> openCaseIds, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(openCaseIds);
        if (openCaseIds.Count > 0)
        {
            _events.Add(new CaseEvent(AuditActions.RepeatVictimisation, State, State, $"open files {string.Join(", ", openCaseIds)}", nowUtc));
        }
    }

    /// <summary>Retention: what <see cref="Anonymise"/> leaves of the people beyond their names (their birth dates) goes too.</summary>
    internal void EraseBirthDates()
    {
        Victim.EraseBirthDate();
        Perpetrator.EraseBirthDate();
    }
}
