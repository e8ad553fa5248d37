namespace Callback.Domain.Cases;

public enum ContactChannel
{
    Phone = 0,
    Sms = 1,
    InPerson = 2,
}
