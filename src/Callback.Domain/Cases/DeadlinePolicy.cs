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
    /// The contact window and deadline when a case enters AwaitingContact. High danger, and a perpetrator living with
    /// the victim, are due at once with a short deadline. A campaign case runs from its import, never from an intervention months old. However late the review,
    /// the officer keeps at least the short deadline to call before a patrol goes out.
    /// </summary>
    public (DateTime WindowOpensUtc, DateTime DueUtc) Contact(
        DateTime nowUtc, DateTime interventionUtc, DangerLevel danger, DateTime? campaignContactDueUtc, TriState cohabiting = TriState.Unknown)
    {
        var floor = nowUtc + Options.HighDangerContactDeadline;
        // A perpetrator living with her is a trigger of its own: the call is due at once, with the short deadline.
        if (danger >= DangerLevel.High || cohabiting == TriState.Yes)
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
        danger >= DangerLevel.High ? ContactDueWhenUrgent(nowUtc, currentDueUtc) : currentDueUtc;

    /// <summary>A contact that became urgent (high danger, a perpetrator living with her): due within the short deadline, never later than it was.</summary>
    public DateTime ContactDueWhenUrgent(DateTime nowUtc, DateTime currentDueUtc) =>
        Min(currentDueUtc, nowUtc + Options.HighDangerContactDeadline);

    public DateTime NextAttempt(DateTime nowUtc) => nowUtc + Options.RetryDelay;

    /// <summary>
    /// The next call after no answer: the retry delay on, then the next moment inside her safe hours, in her time zone
    /// (never 3 a.m. because the delay said two hours), and never after <paramref name="dueUtc"/>. When no safe moment
    /// comes before the deadline, the deadline is what comes next, and the retry is not planned past it.
    /// </summary>
    public DateTime NextAttempt(DateTime nowUtc, SafeContact safeContact, string fallbackTimeZoneId, DateTime? dueUtc)
    {
        ArgumentNullException.ThrowIfNull(safeContact);
        var earliest = NextAttempt(nowUtc);
        if (dueUtc is { } due && earliest >= due)
        {
            return due;
        }

        var safe = SafeHours.NextMomentWithin(earliest, safeContact, fallbackTimeZoneId);
        return dueUtc is { } deadline && safe >= deadline ? deadline : safe;
    }

    /// <summary>
    /// The next check-in of a follow-up plan: the earliest of the plan's check-ins for <paramref name="danger"/> (counted
    /// from <paramref name="startedUtc"/>) and of the check-ins the measures call for, among those not yet covered by a
    /// check-in made (<paramref name="coveredUntilUtc"/>). One that should already have opened opens now. Null when
    /// nothing is left: the plan is complete.
    /// </summary>
    public (DateTime WindowOpensUtc, DateTime DueUtc)? NextCheckIn(
        DateTime startedUtc, DateTime coveredUntilUtc, DangerLevel danger, IEnumerable<DatedMeasure> measures, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var moments = Options.CheckInsFor(danger).Select(after => startedUtc + after)
            .Concat(measures.Select(m => m.CheckInMomentUtc(nowUtc, Options.MeasureCheckInLead)).OfType<DateTime>())
            .Where(at => at > coveredUntilUtc)
            .ToList();
        if (moments.Count == 0)
        {
            return null;
        }

        var opens = Max(moments.Min(), nowUtc);
        return (opens, opens + (danger >= DangerLevel.High ? Options.HighDangerCheckInDeadline : Options.CheckInDeadline));
    }

    public DateTime DispatchAcknowledgementDue(DateTime requestedUtc) => requestedUtc + Options.DispatchAcknowledgementDeadline;

    public DateTime PatrolReportDue(DateTime dispatchedUtc) => dispatchedUtc + Options.PatrolReportDeadline;

    public DateTime ClaimExpiry(DateTime nowUtc) => nowUtc + Options.StaleClaimAfter;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
