using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Workflow;

namespace Callback.Web.Features.Cases;

/// <summary>
/// What every panel of the case page needs: the case as last read, who is looking, what the lifecycle and the role allow
/// now, and the one way to act (which handles conflicts and reloads). Panels render from it and never query on their own.
/// </summary>
public sealed class CaseContext(Case subject, Actor actor, WorkflowOptions options, DateTime nowUtc, Func<Func<Actor, int, Task>, Task> act)
{
    public Case Case { get; } = subject;
    public Actor Actor { get; } = actor;
    public WorkflowOptions Options { get; } = options;
    public DateTime NowUtc { get; } = nowUtc;
    public IReadOnlyList<AuditEntry> Timeline { get; init; } = [];
    public IReadOnlyDictionary<string, string> UserNames { get; init; } = new Dictionary<string, string>();
    public bool IdentityRevealed { get; init; }

    /// <summary>
    /// The references of the other files the history names by id, those in the reader's scope; null when not looked up,
    /// and the history then shows the ids as recorded.
    /// </summary>
    public IReadOnlyDictionary<Guid, string>? FileReferences { get; init; }

    /// <summary>The case's referrals with their partner, newest first.</summary>
    public IReadOnlyList<Domain.Partners.ReferralEntry> Referrals { get; init; } = [];

    private IReadOnlySet<CaseTrigger> Lifecycle { get; } = subject.PermittedTriggers(options.MaxAttempts);

    /// <summary>Whether the lifecycle permits <paramref name="trigger"/> now and the actor's role may fire it: buttons exist only then.</summary>
    public bool Can(CaseTrigger trigger) => Lifecycle.Contains(trigger) && Actor.May(Permissions.ActionOf(trigger));

    public bool CanRaiseDanger => Case.State is not CaseState.Closed && Actor.May(CaseAction.RaiseDanger);

    public bool CanLowerDanger => Case.State is not CaseState.Closed && Case.Danger > DangerLevel.NotAssessed && Actor.May(CaseAction.LowerDanger);

    /// <summary>Whether the referral panel shows: the file has been reviewed and the actor's role may refer.</summary>
    public bool CanRefer => Case.State != CaseState.AwaitingReview && Actor.May(CaseAction.Refer);

    /// <summary>Whether the dated measures can be changed: the call cell's, on a case still open.</summary>
    public bool CanEditMeasures => Case.State != CaseState.Closed && Case.AnonymisedAtUtc is null && Actor.May(CaseAction.UpdateMeasures);

    /// <summary>Whether the notes panel offers a field: the role may add notes and retention has not erased the case.</summary>

    public bool CanAddNote => Case.AnonymisedAtUtc is null && Actor.May(CaseAction.AddNote);

    /// <summary>Whether the referrals show a status to update as the partner reports it.</summary>
    public bool CanUpdateReferrals => Case.AnonymisedAtUtc is null && Actor.May(CaseAction.UpdateReferralStatus);

    /// <summary>Orange identities stay hidden until a reason is given; blue ones show.</summary>
    public bool ShowsIdentity => Case.Tier == ConfidentialityTier.Blue || IdentityRevealed;

    public TimeZoneInfo UnitZone => TimeZoneInfo.FindSystemTimeZoneById(Case.Unit?.TimeZoneId ?? "Europe/Paris");

    public DateTime Local(DateTime utc) => Domain.Units.Unit.ToLocal(utc, UnitZone);

    public string NameOf(string? userId) => userId is null ? "—" : UserNames.GetValueOrDefault(userId, userId == AuditEntry.SystemActor ? "Callback" : userId);

    public Task ActAsync(Func<Actor, int, Task> action) => act(action);
}
