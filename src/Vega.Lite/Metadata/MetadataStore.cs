using Microsoft.Data.Sqlite;

namespace Vega.Lite.Metadata;

/// <summary>
/// Every query the server makes, over SQLite. Split by area into partial files (caches, objects, NARs).
/// Becomes an interface with a second implementation when PostgreSQL arrives.
/// </summary>
internal sealed partial class MetadataStore(SqliteDatabase database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Ids as a JSON array, for a statement to read with <c>json_each</c>.</summary>
    private static string JsonArray(IEnumerable<long> ids) => "[" + string.Join(',', ids) + "]";

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
