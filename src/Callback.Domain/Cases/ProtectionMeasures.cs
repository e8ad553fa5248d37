namespace Callback.Domain.Cases;

[Flags]
public enum ProtectionMeasures
{
    None = 0,
    /// <summary>Téléphone grave danger.</summary>
    SeriousDangerPhone = 1,
    /// <summary>Bracelet anti-rapprochement.</summary>
    AntiApproachBracelet = 2,
    ProtectionOrder = 4,
}
