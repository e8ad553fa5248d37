namespace Callback.Domain.Partners;

/// <summary>A referral of a case with the partner it went to, as the case page reads it.</summary>
public sealed record ReferralEntry(Referral Referral, string PartnerName, PartnerKind PartnerKind);
