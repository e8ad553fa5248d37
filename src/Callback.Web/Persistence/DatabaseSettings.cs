namespace Callback.Web.Persistence;

public enum DatabaseProvider
{
    /// <summary>One file, one node: a département or a region.</summary>
    Sqlite,

    /// <summary>Several nodes on one PostgreSQL database; Hangfire keeps its jobs there too.</summary>
    Postgres,
}

/// <summary>The <c>Database</c> section and <c>ConnectionStrings:Callback</c>.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=data/callback.db;Default Timeout=30";

    /// <summary>
    /// Apply migrations at start-up (one node, tests). Off where the application's role may not change the schema (several
    /// nodes on PostgreSQL, docs/deploy.md): the migration role applies them first, and a node finding one pending stops.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
