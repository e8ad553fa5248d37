namespace Callback.Web.Persistence;

public enum DatabaseProvider
{
    Sqlite,
}

/// <summary>The <c>Database</c> section and <c>ConnectionStrings:Callback</c>.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=data/callback.db;Default Timeout=30";
}
