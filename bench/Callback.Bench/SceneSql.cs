using Microsoft.Data.Sqlite;

namespace Callback.Bench;

/// <summary>What the scenarios that copy cases in plain SQL share.</summary>
internal static class SceneSql
{
    /// <summary>The columns of the Cases table as the migrations made it: a copy names them all.</summary>
    public static async Task<List<string>> CaseColumnsAsync(SqliteConnection connection)
    {
        var columns = new List<string>();
        await using var info = connection.CreateCommand();
        info.CommandText = "SELECT name FROM pragma_table_info('Cases')";
        await using var reader = await info.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
