using Callback.Domain.Contact;
using Callback.Domain.Localization;
using Stateless;
using Stateless.Graph;

namespace Callback.Domain.Cases;

/// <summary>
/// The lifecycle of a case as a Stateless machine. A machine is built for each operation over the case's own state
/// property (Stateless is not thread-safe), and no entry or exit action does any I/O: the case changes its data after
/// the transition, and the workflow service does the side effects after the commit.
/// </summary>
internal sealed class CaseWorkflow
{
    private CaseWorkflow(Func<CaseState> read, Action<CaseState> write, Func<bool> maxAttemptsReached)
    {
        Machine = new StateMachine<CaseState, CaseTrigger>(read, write);
        Review = Machine.SetTriggerParameters<bool>(CaseTrigger.Review);
        RecordAttempt = Machine.SetTriggerParameters<AttemptOutcome>(CaseTrigger.RecordAttempt);
        ReportOutcome = Machine.SetTriggerParameters<PatrolOutcome>(CaseTrigger.ReportOutcome);

        Machine.Configure(CaseState.AwaitingReview)
            .PermitIf(Review, CaseState.AwaitingContact, immediateDanger => !immediateDanger, "no immediate danger")
            .PermitIf(Review, CaseState.PatrolRequested, immediateDanger => immediateDanger, "immediate danger found")
            .Permit(CaseTrigger.RequestPatrol, CaseState.PatrolRequested)
            .Permit(CaseTrigger.Close, CaseState.Closed);

        Machine.Configure(CaseState.AwaitingContact)
            .InternalTransitionIf(RecordAttempt, outcome => outcome != AttemptOutcome.Reached, (_, _) => { }, "victim not reached")
            .InternalTransitionIf(CaseTrigger.ScheduleFollowUp, _ => true, () => { }, "call-back agreed before the deadline")
            .Permit(CaseTrigger.RecordContact, CaseState.Closed)
            .Permit(CaseTrigger.RequestPatrol, CaseState.PatrolRequested)
            .Permit(CaseTrigger.ContactDeadlineElapsed, CaseState.PatrolRequested)
            .PermitIf(CaseTrigger.MaxAttemptsReached, CaseState.PatrolRequested, maxAttemptsReached, "maximum attempts reached")
            .Permit(CaseTrigger.Close, CaseState.Closed);

        Machine.Configure(CaseState.PatrolRequested)
            .Permit(CaseTrigger.Dispatch, CaseState.PatrolDispatched);

        Machine.Configure(CaseState.PatrolDispatched)
            .PermitIf(ReportOutcome, CaseState.Closed, outcome => outcome != PatrolOutcome.VictimNotFound, "victim seen or intervention made")
            .PermitIf(ReportOutcome, CaseState.AwaitingContact, outcome => outcome == PatrolOutcome.VictimNotFound, "victim not found");

        Machine.Configure(CaseState.Closed)
            .Permit(CaseTrigger.Reopen, CaseState.AwaitingContact);
    }

    public StateMachine<CaseState, CaseTrigger> Machine { get; }

    public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<bool> Review { get; }

    public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<AttemptOutcome> RecordAttempt { get; }

    public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<PatrolOutcome> ReportOutcome { get; }

    public static CaseWorkflow For(Case subject, int maxAttempts) =>
        new(() => subject.State, s => subject.State = s, () => subject.AttemptCount >= maxAttempts);

    /// <summary>The lifecycle as a Mermaid state diagram, generated from the very configuration the cases use.</summary>
    public static string MermaidDiagram()
    {
        var state = CaseState.AwaitingReview;
        var workflow = new CaseWorkflow(() => state, s => state = s, () => false);
        return MermaidGraph.Format(workflow.Machine.GetInfo()).ReplaceLineEndings("\n").Trim() + "\n";
    }

    /// <summary>Whether <paramref name="trigger"/> can fire for at least one of its arguments.</summary>
    public bool CanFireAny(CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.Review => Machine.CanFire(Review, false) || Machine.CanFire(Review, true),
        CaseTrigger.RecordAttempt => Enum.GetValues<AttemptOutcome>().Any(o => Machine.CanFire(RecordAttempt, o)),
        CaseTrigger.ReportOutcome => Enum.GetValues<PatrolOutcome>().Any(o => Machine.CanFire(ReportOutcome, o)),
        _ => Machine.CanFire(trigger),
    };

    public void Fire(CaseTrigger trigger) => Guarded(trigger, Machine.CanFire(trigger, out var unmet), unmet, () => Machine.Fire(trigger));

    public void Fire<TArg>(StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<TArg> trigger, TArg argument) =>
        Guarded(trigger.Trigger, Machine.CanFire(trigger, argument, out var unmet), unmet, () => Machine.Fire(trigger, argument));

    private void Guarded(CaseTrigger trigger, bool canFire, ICollection<string>? unmetGuards, Action fire)
    {
        if (!canFire)
        {
            var (action, state) = (DomainText.Trigger(trigger), DomainText.State(Machine.State));
            throw new CaseRuleException(unmetGuards is { Count: > 0 }
                ? DomainText.Format("Lifecycle.NotAllowedUnless", action, state, string.Join(", ", unmetGuards.Select(Guard)))
                : DomainText.Format("Lifecycle.NotAllowed", action, state));
        }

        fire();
    }

    /// <summary>
    /// A guard's description in the UI language. The machine keeps the English descriptions: the Mermaid diagram is
    /// generated from them and must not depend on who builds it.
    /// </summary>
    internal static string Guard(string description) =>
        GuardKeys.TryGetValue(description, out var key) ? DomainText.Get(key) : description;

    private static readonly Dictionary<string, string> GuardKeys = new(StringComparer.Ordinal)
    {
        ["no immediate danger"] = "Guard.NoImmediateDanger",
        ["immediate danger found"] = "Guard.ImmediateDangerFound",
        ["victim not reached"] = "Guard.VictimNotReached",
        ["call-back agreed before the deadline"] = "Guard.CallBackAgreed",
        ["maximum attempts reached"] = "Guard.MaxAttemptsReached",
        ["victim seen or intervention made"] = "Guard.VictimSeenOrIntervention",
        ["victim not found"] = "Guard.VictimNotFound",
    };
}

/// <summary>The lifecycle, as the rest of the application may see it.</summary>
public static class CaseLifecycle
{
    /// <summary>The state diagram in Mermaid, generated from the machine every case uses.</summary>
    public static string MermaidDiagram() => CaseWorkflow.MermaidDiagram();
}
