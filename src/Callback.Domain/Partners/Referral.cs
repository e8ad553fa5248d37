using Callback.Domain.Cases;
using Callback.Domain.Localization;

namespace Callback.Domain.Partners;

/// <summary>
/// A case referred to a partner. The victim's consent is the condition of any referral (her details go to a third
/// party), so a referral exists only with it; <see cref="ConsentGiven"/> is stored to say so in the row itself.
/// </summary>
public sealed class Referral
{
    private Referral()
    {
    }

    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    public int PartnerId { get; private set; }
    public DateTime AtUtc { get; private set; }
    public string ActorId { get; private set; } = "";

    /// <summary>Always true: a referral without consent is refused before it exists.</summary>
    public bool ConsentGiven { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Where the referral stands, as the partner last reported it; <see cref="ReferralStatus.Sent"/> when recorded.</summary>
    public ReferralStatus Status { get; private set; }

    /// <summary>When the status was last changed; null while it is the status the referral was recorded with.</summary>
    public DateTime? StatusAtUtc { get; private set; }

    /// <summary>Who last changed the status; null while it is the status the referral was recorded with.</summary>
    public string? StatusActorId { get; private set; }

    /// <summary>
    /// Records what the partner reported. Any status may follow any other (a partner may call back after saying the
    /// victim declined), but the same status twice is refused: it would write an audit entry for nothing.
    /// </summary>
    /// <returns>The status it replaced.</returns>
    /// <exception cref="CaseRuleException">The status is the current one.</exception>
    public ReferralStatus UpdateStatus(ReferralStatus status, string actorId, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actorId);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a referral status.");
        }

        if (status == Status)
        {
            throw new CaseRuleException(DomainText.Get("Referral.StatusUnchanged"));
        }

        var before = Status;
        Status = status;
        StatusAtUtc = nowUtc;
        StatusActorId = actorId;
        return before;
    }

    /// <summary>Retention: the free-text note goes; the referral (partner, consent, date) stays for statistics.</summary>
    public void EraseNote() => Note = null;

    /// <summary>Refers the case to <paramref name="partner"/>, with the victim's consent.</summary>
    /// <exception cref="CaseRuleException">The victim did not consent, or the partner is no longer active.</exception>
    public static Referral Record(Guid caseId, Partner partner, bool consentGiven, string actorId, DateTime nowUtc, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentException.ThrowIfNullOrWhiteSpace(actorId);
        if (!consentGiven)
        {
            throw new CaseRuleException(DomainText.Get("Referral.ConsentRequired"));
        }

        if (!partner.Active)
        {
            throw new CaseRuleException(DomainText.Format("Referral.PartnerInactive", partner.Name));
        }

        return new Referral
        {
            CaseId = caseId,
            PartnerId = partner.Id,
            AtUtc = nowUtc,
            ActorId = actorId,
            ConsentGiven = true,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
    }
}
