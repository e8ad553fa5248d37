using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Callback.Domain.Persistence;

/// <summary>
/// Inserts many entities of one type through one prepared <c>INSERT</c> per call, inside the caller's transaction.
/// The statement is built from the EF Core model, so it writes the columns and the values EF Core would (same names,
/// complex types flattened, same value converters and type mappings, identifiers quoted by the provider); what it
/// leaves out is the change tracker, which costs more than the insert itself at a hundred thousand rows
/// (docs/decisions/0004). Entities must carry all their values: a store-generated column is refused.
/// </summary>
public static class BulkInsert
{
    /// <summary>Inserts <paramref name="entities"/> in the current transaction of <paramref name="db"/>, which must have one.</summary>
    public static Task InsertAsync<TEntity>(DbContext db, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        return BulkInsertStatement<TEntity>.For(db).InsertAsync(db, entities, cancellationToken);
    }
}

/// <summary>
/// Rows for a provider's bulk path (<see cref="CallbackDbContext.CopyAsync"/>): the table and its columns as the provider
/// quotes them, each column's store type, and the values as the provider stores them (converted, enums as numbers).
/// </summary>
public sealed record BulkRows(string Table, IReadOnlyList<string> Columns, IReadOnlyList<string> StoreTypes, IReadOnlyList<object[]> Values);

/// <summary>The <c>INSERT</c> of one entity type, described once per model from its metadata.</summary>
internal sealed class BulkInsertStatement<TEntity>
    where TEntity : class
{
    private static readonly ConcurrentDictionary<IModel, BulkInsertStatement<TEntity>> Cache = new();

    private readonly Column[] _columns;
    private readonly string[] _columnNames;
    private readonly string[] _storeTypes;
    private readonly ISqlGenerationHelper _sql;
    private readonly string _table;

    private BulkInsertStatement(IEntityType entityType, ISqlGenerationHelper sql)
    {
        var table = entityType.GetTableName() ?? throw new NotSupportedException($"{typeof(TEntity).Name} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        _columns = entityType.GetFlattenedProperties().Select(p => Column.Of(p, store)).ToArray();
        _columnNames = _columns.Select(c => sql.DelimitIdentifier(c.Name)).ToArray();
        _storeTypes = _columns.Select(c => c.Mapping.StoreType).ToArray();
        _sql = sql;
        _table = sql.DelimitIdentifier(table, entityType.GetSchema());
    }

    public static BulkInsertStatement<TEntity> For(DbContext db) =>
        Cache.GetOrAdd(db.Model, model => new BulkInsertStatement<TEntity>(
            model.FindEntityType(typeof(TEntity)) ?? throw new NotSupportedException($"{typeof(TEntity).Name} is not in the model."),
            db.GetService<ISqlGenerationHelper>()));

    /// <summary>
    /// A column whose value is the same in every row of the call (nulls, the import instant, the state, the campaign)
    /// is written as the literal EF Core's type mapping generates for it, so each row binds only what varies: binding
    /// costs about as much per parameter as the database spends on the row. Text is always bound as a parameter.
    /// </summary>
    public async Task InsertAsync(DbContext db, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction.");
        var rows = new object[entities.Count][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new object[_columns.Length];
            for (var c = 0; c < _columns.Length; c++)
            {
                rows[r][c] = _columns[c].ProviderValue(entities[r]);
            }
        }

        if (db is CallbackDbContext callback && await callback.CopyAsync(
                new BulkRows(_table, _columnNames, _storeTypes, rows),
                cancellationToken))
        {
            return;
        }

        var bound = new List<int>();
        var values = new string[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            var first = rows[0][c];
            if ((first is DBNull || _columns[c].MayBeLiteral) && rows.All(row => Equals(row[c], first)))
            {
                values[c] = _columns[c].Mapping.GenerateSqlLiteral(_columns[c].Getter.GetClrValueUsingContainingEntity(entities[0]));
            }
            else
            {
                values[c] = _sql.GenerateParameterNamePlaceholder($"p{c}");
                bound.Add(c);
            }
        }

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {_table} ({string.Join(", ", _columnNames)}) VALUES ({string.Join(", ", values)})";
        var parameters = bound.Select(c => _columns[c].Mapping.CreateParameter(command, _sql.GenerateParameterName($"p{c}"), value: null, nullable: true)).ToArray();
        command.Parameters.AddRange(parameters);
        for (var r = 0; r < rows.Length; r++)
        {
            for (var p = 0; p < parameters.Length; p++)
            {
                parameters[p].Value = rows[r][bound[p]];
            }

            if (r == 0)
            {
                // Prepared once the parameters hold real values: some providers infer their types when preparing.
                await command.PrepareAsync(cancellationToken);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool MayBeLiteral)
    {
        public static Column Of(IProperty property, StoreObjectIdentifier store)
        {
            if (property.IsShadowProperty() || property.ValueGenerated != ValueGenerated.Never)
            {
                throw new NotSupportedException(
                    $"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow or store-generated property: a bulk insert writes only the values the entity carries.");
            }

            var name = property.GetColumnName(store) ?? throw new NotSupportedException($"{property.Name} has no column in {store.Name}.");
            var clrType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            var literal = clrType.IsValueType;
            return new Column(name, property.GetGetter(), property.GetRelationalTypeMapping(), literal);
        }

        /// <summary>The value as <see cref="RelationalTypeMapping.CreateParameter"/> would bind it: converted, enums as numbers.</summary>
        public object ProviderValue(object entity)
        {
            var value = Getter.GetClrValueUsingContainingEntity(entity);
            if (value is null)
            {
                return DBNull.Value;
            }

            if (Mapping.Converter is { } converter)
            {
                return converter.ConvertToProvider(value) ?? DBNull.Value;
            }

            return value is Enum e ? Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture) : value;
        }
    }
}
