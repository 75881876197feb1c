using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// Every query the server makes, over SQLite or PostgreSQL (<see cref="MetadataDatabase"/>), on Attic's tables in Attic's encodings (docs/attic-database.md) and on
/// Vega.Lite's own <c>vega_</c> tables. Split by area into partial files (caches, objects, NARs).
/// </summary>
internal sealed partial class MetadataStore(MetadataDatabase database, RemoteFiles remoteFiles, TimeProvider time)
{
    /// <summary>Now, for a time column of Attic's tables (<see cref="AtticTime"/>).</summary>
    private object Now => database.Time(time.GetUtcNow());

    /// <summary>Now in unix seconds, for Vega.Lite's own tables and for cutoffs computed in SQL.</summary>
    private long NowSeconds => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Ids as a JSON array, for a statement to read with <see cref="MetadataDatabase.JsonValues"/>.</summary>
    private static string JsonArray(IEnumerable<long> ids) => "[" + string.Join(',', ids) + "]";

    private static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
