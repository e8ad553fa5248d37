namespace Callback.Domain.Contact;

public enum AttemptOutcome
{
    Reached = 0,
    NoAnswer = 1,
    Voicemail = 2,
    WrongNumber = 3,
    UnsafeToTalk = 4,
    Refused = 5,
}

public static class AttemptOutcomes
{
    /// <summary>Outcomes that leave the victim unheard: they schedule a retry and count towards the maximum.</summary>
    public static bool CountsAsNoContact(this AttemptOutcome outcome) => outcome is
        AttemptOutcome.NoAnswer or AttemptOutcome.Voicemail or AttemptOutcome.WrongNumber or AttemptOutcome.UnsafeToTalk;
}
