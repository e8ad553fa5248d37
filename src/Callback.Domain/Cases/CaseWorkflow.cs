using Callback.Domain.Contact;
using Callback.Domain.Localization;
using Stateless;
using Stateless.Graph;

namespace Callback.Domain.Cases;

public sealed partial class Case
{
    /// <summary>
    /// The one way a case reaches its machine (Stateless's BugTracker: the machine is private to the entity). A machine
    /// is built for each operation over the case's own state (Stateless is not thread-safe).
    /// </summary>
    private Workflow Lifecycle(int maxAttempts) =>
        new(() => State, s => State = s, () => AttemptCount >= maxAttempts, at => DueAtUtc is not { } due || at < due,
            () => Danger >= DangerLevel.High, () => Patrol.AcknowledgedAtUtc is not null);

    /// <summary>The lifecycle as a Mermaid state diagram, generated from the very configuration the cases use.</summary>
    internal static string LifecycleDiagram()
    {
        var state = CaseState.AwaitingReview;
        var workflow = new Workflow(() => state, s => state = s, () => false, _ => true, () => false, () => false);
        return MermaidGraph.Format(workflow.Info).ReplaceLineEndings("\n").Trim() + "\n";
    }

    /// <summary>The English descriptions of the machine's guards, as the diagram shows them.</summary>
    internal static IReadOnlyList<string> LifecycleGuards()
    {
        var state = CaseState.AwaitingReview;
        return new Workflow(() => state, s => state = s, () => false, _ => true, () => false, () => false).Info.States
            .SelectMany(s => s.Transitions)
            .SelectMany(t => t.GuardConditionsMethodDescriptions.Select(g => g.Description))
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// A guard's description in the UI language. The machine keeps the English descriptions: the Mermaid diagram is
    /// generated from them and must not depend on who builds it.
    /// </summary>
    internal static string GuardText(string description) =>
        Workflow.GuardKeys.TryGetValue(description, out var key) ? DomainText.Get(key) : description;

    /// <summary>
    /// The lifecycle as a Stateless machine. Every guard reads what it names (a trigger's argument, the attempt count,
    /// the deadline), so the generated diagram shows only conditions the machine really checks. No entry or exit action
    /// does any I/O: the case changes its data after the transition, and the workflow service does the side effects
    /// after the commit.
    /// </summary>
    private sealed class Workflow
    {
        internal static readonly Dictionary<string, string> GuardKeys = new(StringComparer.Ordinal)
        {
            [NoImmediateDanger] = "Guard.NoImmediateDanger",
            [ImmediateDangerFound] = "Guard.ImmediateDangerFound",
            [VictimNotReached] = "Guard.VictimNotReached",
            [CallBackBeforeDeadline] = "Guard.CallBackAgreed",
            [VictimSeenSafe] = "Guard.VictimSeenSafe",
            [VictimNotFound] = "Guard.VictimNotFound",
            [InterventionMade] = "Guard.InterventionMade",
            [CheckInsRemain] = "Guard.CheckInsRemain",
            [LastCheckIn] = "Guard.LastCheckIn",
            [HighDanger] = "Guard.HighDanger",
            [NotYetAcknowledged] = "Guard.NotYetAcknowledged",
            [PatrolReleased] = "Guard.PatrolReleased",
            [HeldByGovernor] = "Guard.HeldByGovernor",
            [MaxAttemptsReleased] = "Guard.MaxAttemptsReleased",
            [MaxAttemptsHeld] = "Guard.MaxAttemptsHeld",
        };

        private const string NoImmediateDanger = "no immediate danger";
        private const string ImmediateDangerFound = "immediate danger found";
        private const string VictimNotReached = "victim not reached";
        private const string CallBackBeforeDeadline = "call-back agreed before the deadline";
        private const string VictimSeenSafe = "victim seen safe";
        private const string InterventionMade = "intervention made";
        private const string CheckInsRemain = "check-ins remain";
        private const string LastCheckIn = "last check-in of the plan";
        private const string HighDanger = "high danger";
        private const string NotYetAcknowledged = "not yet acknowledged";
        private const string VictimNotFound = "victim not found";
        private const string PatrolReleased = "not held back by the patrol governor";
        private const string HeldByGovernor = "held back by the patrol governor";
        private const string MaxAttemptsReleased = "maximum attempts reached, not held back";
        private const string MaxAttemptsHeld = "maximum attempts reached, held back by the patrol governor";

        private readonly StateMachine<CaseState, CaseTrigger> _machine;

        public Workflow(
            Func<CaseState> read, Action<CaseState> write, Func<bool> maxAttemptsReached, Func<DateTime, bool> beforeDeadline, Func<bool> highDanger, Func<bool> acknowledged)
        {
            _machine = new StateMachine<CaseState, CaseTrigger>(read, write);
            Review = _machine.SetTriggerParameters<bool>(CaseTrigger.Review);
            RecordAttempt = _machine.SetTriggerParameters<AttemptOutcome>(CaseTrigger.RecordAttempt);
            ScheduleFollowUp = _machine.SetTriggerParameters<DateTime>(CaseTrigger.ScheduleFollowUp);
            ReportOutcome = _machine.SetTriggerParameters<Cases.PatrolOutcome>(CaseTrigger.ReportOutcome);
            RecordCheckIn = _machine.SetTriggerParameters<bool>(CaseTrigger.RecordCheckIn);
            ContactDeadlineElapsed = _machine.SetTriggerParameters<bool>(CaseTrigger.ContactDeadlineElapsed);
            MaxAttemptsReachedTrigger = _machine.SetTriggerParameters<bool>(CaseTrigger.MaxAttemptsReached);

            _machine.Configure(CaseState.AwaitingReview)
                .PermitIf(Review, CaseState.AwaitingContact, immediateDanger => !immediateDanger, NoImmediateDanger)
                .PermitIf(Review, CaseState.PatrolRequested, immediateDanger => immediateDanger, ImmediateDangerFound)
                .Permit(CaseTrigger.RequestPatrol, CaseState.PatrolRequested)
                .Permit(CaseTrigger.Close, CaseState.Closed);

            _machine.Configure(CaseState.AwaitingContact)
                .InternalTransitionIf(RecordAttempt, outcome => outcome != AttemptOutcome.Reached, (_, _) => { }, VictimNotReached)
                .InternalTransitionIf(ScheduleFollowUp, beforeDeadline, (_, _) => { }, CallBackBeforeDeadline)
                .Permit(CaseTrigger.RecordContact, CaseState.Closed)
                .Permit(CaseTrigger.StartFollowUp, CaseState.FollowUp)
                .Permit(CaseTrigger.RequestPatrol, CaseState.PatrolRequested)
                // An automatic request of a campaign case beyond the governor's hourly limit waits for a supervisor.
                .PermitIf(ContactDeadlineElapsed, CaseState.PatrolRequested, held => !held, PatrolReleased)
                .PermitIf(ContactDeadlineElapsed, CaseState.PatrolProposed, held => held, HeldByGovernor)
                .PermitIf(MaxAttemptsReachedTrigger, CaseState.PatrolRequested, held => !held && maxAttemptsReached(), MaxAttemptsReleased)
                .PermitIf(MaxAttemptsReachedTrigger, CaseState.PatrolProposed, held => held && maxAttemptsReached(), MaxAttemptsHeld)
                .Permit(CaseTrigger.Close, CaseState.Closed);

            _machine.Configure(CaseState.PatrolProposed)
                .Permit(CaseTrigger.ConfirmPatrol, CaseState.PatrolRequested)
                .Permit(CaseTrigger.DeclinePatrol, CaseState.AwaitingContact)
                .Permit(CaseTrigger.Close, CaseState.Closed);

            // The follow-up: a contact round per check-in. A missed check-in alerts supervisors without a transition, or
            // sends a patrol when danger is high; the last check-in closes the case.
            _machine.Configure(CaseState.FollowUp)
                .InternalTransitionIf(RecordAttempt, outcome => outcome != AttemptOutcome.Reached, (_, _) => { }, VictimNotReached)
                .InternalTransitionIf(ScheduleFollowUp, beforeDeadline, (_, _) => { }, CallBackBeforeDeadline)
                .InternalTransitionIf(RecordCheckIn, last => !last, (_, _) => { }, CheckInsRemain)
                .PermitIf(RecordCheckIn, CaseState.Closed, last => last, LastCheckIn)
                .PermitIf(CaseTrigger.CheckInDeadlineElapsed, CaseState.PatrolRequested, highDanger, HighDanger)
                .Permit(CaseTrigger.RequestPatrol, CaseState.PatrolRequested)
                .Permit(CaseTrigger.Close, CaseState.Closed);

            _machine.Configure(CaseState.PatrolRequested)
                .InternalTransitionIf(CaseTrigger.Acknowledge, _ => !acknowledged(), () => { }, NotYetAcknowledged)
                .Permit(CaseTrigger.Dispatch, CaseState.PatrolDispatched)
                .Permit(CaseTrigger.CallOffPatrol, CaseState.AwaitingContact);

            _machine.Configure(CaseState.PatrolDispatched)
                .PermitIf(ReportOutcome, CaseState.Closed, outcome => outcome is Cases.PatrolOutcome.VictimSafeAndSeen or Cases.PatrolOutcome.Other, VictimSeenSafe)
                .PermitIf(ReportOutcome, CaseState.FollowUp, outcome => outcome == Cases.PatrolOutcome.InterventionNeeded, InterventionMade)
                .PermitIf(ReportOutcome, CaseState.AwaitingContact, outcome => outcome == Cases.PatrolOutcome.VictimNotFound, VictimNotFound)
                .Permit(CaseTrigger.CallOffPatrol, CaseState.AwaitingContact);

            _machine.Configure(CaseState.Closed)
                .Permit(CaseTrigger.Reopen, CaseState.AwaitingContact);
        }

        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<bool> Review { get; }

        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<AttemptOutcome> RecordAttempt { get; }

        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<DateTime> ScheduleFollowUp { get; }

        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<Cases.PatrolOutcome> ReportOutcome { get; }

        /// <summary>A check-in reached her; the argument says whether it was the plan's last.</summary>
        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<bool> RecordCheckIn { get; }

        /// <summary>The contact deadline elapsed; the argument says whether the governor holds the patrol back.</summary>
        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<bool> ContactDeadlineElapsed { get; }

        /// <summary>The calls ran out; the argument says whether the governor holds the patrol back.</summary>
        public StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<bool> MaxAttemptsReachedTrigger { get; }

        public Stateless.Reflection.StateMachineInfo Info => _machine.GetInfo();

        /// <summary>Whether <paramref name="trigger"/> can fire now, its guards included.</summary>
        public bool CanFire(CaseTrigger trigger) => _machine.CanFire(trigger);

        /// <summary>Whether <paramref name="trigger"/> can fire now with <paramref name="argument"/>, its guards included.</summary>
        public bool CanFireWith<TArg>(StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<TArg> trigger, TArg argument) => _machine.CanFire(trigger, argument);

        /// <summary>Whether <paramref name="trigger"/> can fire for at least one of its arguments.</summary>
        public bool CanFireAny(CaseTrigger trigger) => trigger switch
        {
            CaseTrigger.Review => _machine.CanFire(Review, false) || _machine.CanFire(Review, true),
            CaseTrigger.RecordAttempt => Enum.GetValues<AttemptOutcome>().Any(o => _machine.CanFire(RecordAttempt, o)),
            // The earliest instant stands for "some call-back before the deadline": any deadline is after it.
            CaseTrigger.ScheduleFollowUp => _machine.CanFire(ScheduleFollowUp, DateTime.MinValue),
            CaseTrigger.ReportOutcome => Enum.GetValues<Cases.PatrolOutcome>().Any(o => _machine.CanFire(ReportOutcome, o)),
            CaseTrigger.RecordCheckIn => _machine.CanFire(RecordCheckIn, false) || _machine.CanFire(RecordCheckIn, true),
            CaseTrigger.ContactDeadlineElapsed => _machine.CanFire(ContactDeadlineElapsed, false) || _machine.CanFire(ContactDeadlineElapsed, true),
            CaseTrigger.MaxAttemptsReached => _machine.CanFire(MaxAttemptsReachedTrigger, false) || _machine.CanFire(MaxAttemptsReachedTrigger, true),
            _ => _machine.CanFire(trigger),
        };

        public void Fire(CaseTrigger trigger) =>
            Guarded(trigger, _machine.CanFire(trigger, out var unmet), unmet, refusal: null, () => _machine.Fire(trigger));

        /// <summary>
        /// Fires a trigger with its argument. <paramref name="refusal"/>, when given, explains in the case's own words a
        /// refusal by a guard (the state allowed the trigger, the argument did not pass).
        /// </summary>
        public void Fire<TArg>(StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<TArg> trigger, TArg argument, Func<string>? refusal = null) =>
            Guarded(trigger.Trigger, _machine.CanFire(trigger, argument, out var unmet), unmet, refusal, () => _machine.Fire(trigger, argument));

        private void Guarded(CaseTrigger trigger, bool canFire, ICollection<string>? unmetGuards, Func<string>? refusal, Action fire)
        {
            if (!canFire)
            {
                var (action, state) = (DomainText.Trigger(trigger), DomainText.State(_machine.State));
                throw new CaseRuleException(unmetGuards is { Count: > 0 }
                    ? refusal?.Invoke() ?? DomainText.Format("Lifecycle.NotAllowedUnless", action, state, string.Join(", ", unmetGuards.Select(GuardText)))
                    : DomainText.Format("Lifecycle.NotAllowed", action, state));
            }

            fire();
        }
    }
}
