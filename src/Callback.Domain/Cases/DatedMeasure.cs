namespace Callback.Domain.Cases;

/// <summary>A protection measure with dates. Stored as its number: never renumber.</summary>
public enum MeasureKind
{
    /// <summary>Ordonnance de protection.</summary>
    ProtectionOrder = 0,

    /// <summary>Téléphone grave danger (TGD).</summary>
    SeriousDangerPhone = 1,

    /// <summary>Bracelet anti-rapprochement (BAR).</summary>
    AntiApproachBracelet = 2,

    /// <summary>The perpetrator is in custody; the end is his release date.</summary>
    PerpetratorInCustody = 3,
}

/// <summary>
/// A dated measure of the case: a protection order, a TGD, a BAR, or the perpetrator's custody with its release date.
/// Its end (or the release) schedules a follow-up check-in <see cref="WorkflowOptions.MeasureCheckInLead"/> before it.
/// Numbered within the case so a page can name the one it edits. <see cref="RecordedUtc"/> is when its dates were last
/// entered: an end learnt late (a release in three days) calls for a check-in at once, not one already past.
/// </summary>
public sealed record DatedMeasure(int Number, MeasureKind Kind, DateTime? StartsUtc, DateTime? EndsUtc, DateTime RecordedUtc)
{
    /// <summary>
    /// When the check-in this measure calls for opens: <paramref name="lead"/> before its end, or when it was recorded if
    /// that is later. Null when it calls for none (no end, or already ended).
    /// </summary>
    public DateTime? CheckInMomentUtc(DateTime nowUtc, TimeSpan lead) =>
        EndsUtc is { } end && end > nowUtc ? (end - lead > RecordedUtc ? end - lead : RecordedUtc) : null;

    /// <summary>Whether <paramref name="other"/> says the same (kind and dates), whenever it was entered.</summary>
    internal bool SaysTheSameAs(DatedMeasure other) => (Kind, StartsUtc, EndsUtc) == (other.Kind, other.StartsUtc, other.EndsUtc);

    /// <summary>Checks what was typed: a known kind, and an end after the start. The message names the field.</summary>
    internal DatedMeasure Validated()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new CaseRuleException(Localization.DomainText.Get("Measure.KindUnknown"));
        }

        if (StartsUtc is { } start && EndsUtc is { } end && end <= start)
        {
            throw new CaseRuleException(Localization.DomainText.Get("Measure.EndBeforeStart"));
        }

        return this;
    }

    /// <summary>
    /// What the audit log says of it: the kind and the instants (not personal data), whole, so a reader shows the day
    /// in the unit's zone (a day entered in Paris starts the evening before in UTC).
    /// </summary>
    internal string AuditText => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind} #{Number} {StartsUtc:O}..{EndsUtc:O}");
}
