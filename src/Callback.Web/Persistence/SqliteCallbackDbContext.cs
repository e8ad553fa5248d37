using Callback.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Persistence;

/// <summary>The SQLite flavour of the database; its migrations live in Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteCallbackDbContext(DbContextOptions<SqliteCallbackDbContext> options) : CallbackDbContext(options);
