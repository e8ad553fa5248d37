using Callback.Domain.Cases;

namespace Callback.Domain.Workflow;

/// <summary>
/// Sets the alarm clock for a case's next deadline. Best effort by design: the database holds the deadline and the
/// sweep fires any alarm that was never set, so an implementation must never block or throw into the caller.
/// </summary>
public interface IDeadlineAlarms
{
    void Arm(CaseAlarm alarm);
}

/// <summary>Tells live pages that a case changed. Implemented by the web host; called after the commit.</summary>
public interface ICaseChangeNotifier
{
    void Publish(CaseChanged change);
}

/// <summary>What changed, with identifiers only: listeners reload what they are allowed to see.</summary>
public sealed record CaseChanged(Guid CaseId, int UnitId, string Departement, CaseState State, string Action, DateTime AtUtc);

public sealed class NoAlarms : IDeadlineAlarms
{
    public void Arm(CaseAlarm alarm)
    {
    }
}

public sealed class NoNotifications : ICaseChangeNotifier
{
    public void Publish(CaseChanged change)
    {
    }
}
