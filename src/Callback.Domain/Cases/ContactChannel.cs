namespace Callback.Domain.Cases;

/// <summary>How the victim asked to be reached. Stored as its number: the values are stable.</summary>
public enum ContactChannel
{
    Phone = 0,
    Sms = 1,
    InPerson = 2,

    /// <summary>Through someone she trusts (a relative, a support worker), never directly.</summary>
    ThirdParty = 3,
}
