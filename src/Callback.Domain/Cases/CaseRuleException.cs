namespace Callback.Domain.Cases;

/// <summary>An action the case's rules forbid: the message says what and why, in words a user can read.</summary>
public sealed class CaseRuleException : Exception
{
    public CaseRuleException(string message)
        : base(message)
    {
    }

    public CaseRuleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
