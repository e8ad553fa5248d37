namespace Callback.Domain.Persistence;

/// <summary>What a <see cref="UnitOfWork"/> does when a row the write read was changed by someone else before its commit.</summary>
public enum StaleReads
{
    /// <summary>
    /// Surface the conflict: the write acts on a version a person saw (an officer's click), and only that person may
    /// decide again on the new one.
    /// </summary>
    Surface,

    /// <summary>
    /// Run the write again on fresh rows: it decides from the database alone (a deadline, an import, retention), so the
    /// same decision taken again on the new rows is the right one.
    /// </summary>
    ReadAgain,
}
