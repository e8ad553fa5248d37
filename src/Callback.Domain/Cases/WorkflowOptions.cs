namespace Callback.Domain.Cases;

/// <summary>
/// Every duration of the workflow, bound from the <c>Workflow</c> configuration section.
/// The Training profile shrinks hours to minutes for drills and end-to-end tests.
/// </summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>The contact window opens this long after the intervention.</summary>
    public TimeSpan ContactWindowOpensAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The victim must be reached this long after the intervention, or a patrol is requested.</summary>
    public TimeSpan ContactDeadlineAfter { get; set; } = TimeSpan.FromHours(48);

    /// <summary>High danger: the window opens at once and the victim must be reached within this time.</summary>
    public TimeSpan HighDangerContactDeadline { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Delay before the next attempt after no answer.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Unanswered attempts after which a patrol is requested.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>A new file must be reviewed within this time of its intake.</summary>
    public TimeSpan ReviewDeadline { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A patrol request must be acknowledged by a dispatcher within this time.</summary>
    public TimeSpan DispatchAcknowledgementDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A dispatched patrol must report its outcome within this time.</summary>
    public TimeSpan PatrolReportDeadline { get; set; } = TimeSpan.FromHours(4);

    /// <summary>A claim not renewed for this long returns the case to the pool.</summary>
    public TimeSpan StaleClaimAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The supervisor's "due soon" list: open cases whose deadline falls within this time. Training shortens it with the
    /// deadlines (4 minutes instead of 4 hours), and the list's title says the configured window.
    /// </summary>
    public TimeSpan DueSoonWithin { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Re-examination campaign: review within this time of the import.</summary>
    public TimeSpan CampaignReviewPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Re-examination campaign: contact within this time of the import.</summary>
    public TimeSpan CampaignContactPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Calls a cell can make a day when its unit does not say (<c>Unit.DailyCallCapacity</c>): a campaign's deadlines are
    /// spread so that no day holds more, and the capacity forecast compares each day against it.
    /// </summary>
    public int DefaultDailyCallCapacity { get; set; } = 100;

    /// <summary>A patrol the governor held back alerts supervisors when nobody confirmed or declined it within this time.</summary>
    public TimeSpan PatrolProposalDecisionDeadline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A unit's daily call capacity: its own when set (and above zero), the configured default otherwise.</summary>
    public int DailyCallCapacityOf(int? unitCapacity) => unitCapacity is > 0 ? unitCapacity.Value : DefaultDailyCallCapacity;

    /// <summary>How far ahead alarms are handed to the job store; the sweep hands over the rest as time comes.</summary>
    public TimeSpan AlarmHorizon { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many alarms handed to the job store per sweep: a burst stays in the database and the sweep fires it.</summary>
    public int MaxAlarmsPerRefill { get; set; } = 500;

    /// <summary>
    /// At most this many alarms due in the same second go to the job store; the rest of a burst is fired by the sweep.
    /// Hangfire's SQLite storage crashed the process when 10,000 jobs fell due at once (STACK.md).
    /// </summary>
    public int MaxAlarmsPerSecond { get; set; } = 50;

    /// <summary>How often the sweep looks for deadlines whose alarm was lost.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a deadline the sweep leaves the job store to ring it before ringing it itself. The sweep knows the
    /// next due deadline and wakes for it, so a slow or stalled job store costs at most this much lateness.
    /// </summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Deadlines the sweep fires per round before it looks again.</summary>
    public int SweepBatchSize { get; set; } = 200;

    /// <summary>
    /// How long the reason an officer gave to open an orange identity holds for that officer and that case: within it,
    /// opening the case again shows the identity without asking again (each opening is still audited). One day by default.
    /// </summary>
    public TimeSpan IdentityReasonValidFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The consultation rule: one entry per reader, per case, per this window. Opening a case writes a consultation
    /// entry unless the same reader already has one for it within the window, so a page that renders twice (pre-render,
    /// then live) or reloads on every change does not flood the log, and a reading an hour later is a new entry.
    /// </summary>
    public TimeSpan ConsultationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Follow-up ("suivi") after a contact: the check-ins of a high-danger victim, counted from the contact that started
    /// the plan. Null means the built-in plan (3, 7 and 30 days). Configuration can only give a list, not take it away:
    /// lists bind by appending, so the defaults live in <see cref="CheckInsFor"/>, not in the property.
    /// </summary>
    public TimeSpan[]? FollowUpHighDanger { get; set; }

    /// <summary>The check-ins of a moderate-danger victim; null means 7 and 30 days.</summary>
    public TimeSpan[]? FollowUpModerateDanger { get; set; }

    /// <summary>The check-ins of a low-danger victim; null means none (no plan unless a measure ends).</summary>
    public TimeSpan[]? FollowUpLowDanger { get; set; }

    /// <summary>A check-in must be made within this time of its window opening, or supervisors are alerted.</summary>
    public TimeSpan CheckInDeadline { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A high-danger check-in must be made within this time of its window opening, or a patrol is requested.</summary>
    public TimeSpan HighDangerCheckInDeadline { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A protection measure ending, or a perpetrator's release, schedules a check-in this long before it.</summary>
    public TimeSpan MeasureCheckInLead { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The plan's check-ins for <paramref name="level"/>, counted from the contact that started the follow-up, earliest first.</summary>
    public IReadOnlyList<TimeSpan> CheckInsFor(DangerLevel level)
    {
        IReadOnlyList<TimeSpan> plan = level switch
        {
            >= DangerLevel.High => FollowUpHighDanger ?? [TimeSpan.FromDays(3), TimeSpan.FromDays(7), TimeSpan.FromDays(30)],
            DangerLevel.Moderate => FollowUpModerateDanger ?? [TimeSpan.FromDays(7), TimeSpan.FromDays(30)],
            _ => FollowUpLowDanger ?? [],
        };
        return plan.Order().ToList();
    }

    public void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"Workflow:{name} must be positive, got {value}.");
            }
        }

        Positive(ContactWindowOpensAfter, nameof(ContactWindowOpensAfter));
        Positive(ContactDeadlineAfter, nameof(ContactDeadlineAfter));
        Positive(HighDangerContactDeadline, nameof(HighDangerContactDeadline));
        Positive(RetryDelay, nameof(RetryDelay));
        Positive(ReviewDeadline, nameof(ReviewDeadline));
        Positive(DispatchAcknowledgementDeadline, nameof(DispatchAcknowledgementDeadline));
        Positive(PatrolReportDeadline, nameof(PatrolReportDeadline));
        Positive(StaleClaimAfter, nameof(StaleClaimAfter));
        Positive(DueSoonWithin, nameof(DueSoonWithin));
        Positive(CampaignReviewPeriod, nameof(CampaignReviewPeriod));
        Positive(CampaignContactPeriod, nameof(CampaignContactPeriod));
        Positive(PatrolProposalDecisionDeadline, nameof(PatrolProposalDecisionDeadline));
        Positive(AlarmHorizon, nameof(AlarmHorizon));
        Positive(SweepInterval, nameof(SweepInterval));
        Positive(IdentityReasonValidFor, nameof(IdentityReasonValidFor));
        Positive(ConsultationWindow, nameof(ConsultationWindow));
        Positive(CheckInDeadline, nameof(CheckInDeadline));
        Positive(HighDangerCheckInDeadline, nameof(HighDangerCheckInDeadline));
        Positive(MeasureCheckInLead, nameof(MeasureCheckInLead));
        foreach (var level in Enum.GetValues<DangerLevel>())
        {
            if (CheckInsFor(level).Any(after => after <= TimeSpan.Zero))
            {
                throw new InvalidOperationException($"Workflow:FollowUp...Danger ({level}): every check-in must come after the contact (a positive duration).");
            }
        }
        if (ContactDeadlineAfter < ContactWindowOpensAfter)
        {
            throw new InvalidOperationException("Workflow:ContactDeadlineAfter must not come before Workflow:ContactWindowOpensAfter.");
        }

        if (MaxAttempts < 1 || MaxAlarmsPerRefill < 1 || SweepBatchSize < 1 || MaxAlarmsPerSecond < 1 || DefaultDailyCallCapacity < 1)
        {
            throw new InvalidOperationException("Workflow:MaxAttempts, MaxAlarmsPerRefill, MaxAlarmsPerSecond, SweepBatchSize and DefaultDailyCallCapacity must be at least 1.");
        }
    }
}
