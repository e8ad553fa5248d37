using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Persistence;

/// <summary>
/// Several reads on one opening of a context's connection. EF Core opens and closes the connection around each query it
/// runs outside a transaction, and on SQLite an opening costs more than a small query: the provider registers its SQL
/// functions on the connection at every open and removes them at every close. A page that reads two or three times opens
/// once (docs/performance.md, issue 20.3).
/// </summary>
public static class OneOpening
{
    /// <summary>Opens <paramref name="db"/>'s connection until the result is disposed.</summary>
    public static async Task<IAsyncDisposable> OpenAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new Closing(db);
    }

    private sealed class Closing(DbContext db) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(db.Database.CloseConnectionAsync());
    }
}
