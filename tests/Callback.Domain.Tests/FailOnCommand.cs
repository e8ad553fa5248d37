using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Callback.Domain.Tests;

/// <summary>
/// Once armed, fails the first SQL command whose text contains <paramref name="target"/>, as a full disk would: tests of
/// atomicity prove that nothing of a half-done write is left behind.
/// </summary>
internal sealed class FailOnCommand(string target) : DbCommandInterceptor
{
    public volatile bool Armed;
    public volatile bool Tripped;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Check(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Armed && command.CommandText.Contains(target, StringComparison.Ordinal))
        {
            Tripped = true;
            throw new InvalidOperationException("injected failure: the disk is full");
        }
    }
}
