namespace Callback.Domain.Cases;

/// <summary>
/// The deadline rules, free of any clock or storage: given the facts and the present instant, when is what due.
/// </summary>
public sealed class DeadlinePolicy(WorkflowOptions options)
{
    public WorkflowOptions Options { get; } = options;

    public DateTime ReviewDue(DateTime intakeUtc, DateTime? campaignReviewDueUtc) =>
        campaignReviewDueUtc ?? intakeUtc + Options.ReviewDeadline;

    /// <summary>
    /// The contact window and deadline when a case enters AwaitingContact. High danger is due at once with a short
    /// deadline. A campaign case runs from its import, never from an intervention months old. However late the review,
    /// the officer keeps at least the short deadline to call before a patrol goes out.
    /// </summary>
    public (DateTime WindowOpensUtc, DateTime DueUtc) Contact(DateTime nowUtc, DateTime interventionUtc, DangerLevel danger, DateTime? campaignContactDueUtc)
    {
        var floor = nowUtc + Options.HighDangerContactDeadline;
        if (danger >= DangerLevel.High)
        {
            return (nowUtc, floor);
        }

        if (campaignContactDueUtc is { } campaignDue)
        {
            return (nowUtc, Max(campaignDue, floor));
        }

        return (interventionUtc + Options.ContactWindowOpensAfter, Max(interventionUtc + Options.ContactDeadlineAfter, floor));
    }

    /// <summary>
    /// The contact window and deadline of a reopened case: a fresh window of the usual length, counted from now (the
    /// intervention or the campaign is long past). High danger keeps the short deadline of <see cref="Contact"/>.
    /// </summary>
    public (DateTime WindowOpensUtc, DateTime DueUtc) ContactAfterReopen(DateTime nowUtc, DateTime interventionUtc, DangerLevel danger, DateTime? campaignContactDueUtc) =>
        danger >= DangerLevel.High
            ? Contact(nowUtc, interventionUtc, danger, campaignContactDueUtc)
            : (nowUtc, nowUtc + (Options.ContactDeadlineAfter - Options.ContactWindowOpensAfter));

    /// <summary>When danger is raised during contact, the deadline only ever comes closer.</summary>
    public DateTime ContactDueAfterDangerRaised(DateTime nowUtc, DateTime currentDueUtc, DangerLevel danger) =>
        danger >= DangerLevel.High ? Min(currentDueUtc, nowUtc + Options.HighDangerContactDeadline) : currentDueUtc;

    public DateTime NextAttempt(DateTime nowUtc) => nowUtc + Options.RetryDelay;

    public DateTime DispatchAcknowledgementDue(DateTime requestedUtc) => requestedUtc + Options.DispatchAcknowledgementDeadline;

    public DateTime PatrolReportDue(DateTime dispatchedUtc) => dispatchedUtc + Options.PatrolReportDeadline;

    public DateTime ClaimExpiry(DateTime nowUtc) => nowUtc + Options.StaleClaimAfter;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
