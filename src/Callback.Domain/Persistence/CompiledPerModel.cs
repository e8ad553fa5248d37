using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Callback.Domain.Persistence;

/// <summary>
/// A compiled query, compiled once per model. EF Core binds a compiled query to the model it first ran against, and one
/// process may hold two models: the SQLite and the PostgreSQL contexts side by side in the tests and the benchmark.
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _compiled = new();

    public TQuery For(DbContext db) => _compiled.GetOrAdd(db.Model, _ => compile());
}
