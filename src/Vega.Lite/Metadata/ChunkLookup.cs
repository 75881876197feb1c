using System.Data.Common;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Metadata;

/// <summary>
/// One NAR ingest's lookups of stored chunks by content hash, since a NAR has thousands. On SQLite, whose connections
/// are not a bounded pool, one connection and one prepared statement serve all of them; on PostgreSQL each lookup
/// borrows a connection from the pool and gives it back, so that uploads in flight never hold the connections their
/// own recording transactions wait for (<see cref="MetadataDatabase.HoldsConnectionsFreely"/>). Thread-safe: chunks
/// are looked up from several threads, one at a time.
/// </summary>
internal sealed class ChunkLookup : IDisposable
{
    private const string Sql =
        """
        SELECT id, file_size FROM chunk
        WHERE chunk_hash = @hash AND compression = @compression AND state = 'V' AND file_size IS NOT NULL
        ORDER BY id LIMIT 1
        """;

    private readonly MetadataDatabase _database;
    private readonly string _compression;
    private readonly (DbConnection Connection, DbCommand Command, DbParameter Hash)? _held;
    private readonly Lock _gate = new();

    public ChunkLookup(MetadataDatabase database, string compression)
    {
        _database = database;
        _compression = compression;
        if (database.HoldsConnectionsFreely)
        {
            var connection = database.Open();
            var (command, hash) = Prepare(connection);
            _held = (connection, command, hash);
        }
    }

    private (DbCommand Command, DbParameter Hash) Prepare(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        var hash = command.Bind("@hash", "");
        command.Bind("@compression", _compression);
        return (command, hash);
    }

    /// <summary>
    /// A valid chunk with this content hash in the lookup's compression; null if none. Never a lost one (state 'D'),
    /// so a push of a lost chunk's bytes stores a fresh blob (MetadataStore.LostChunks.cs). On PostgreSQL the wait for
    /// a pooled connection is asynchronous: sixteen uploads blocking threads on it would starve the continuations of
    /// the transactions that are about to give connections back.
    /// </summary>
    public async ValueTask<ExistingChunk?> FindAsync(NixHash chunkHash, CancellationToken ct)
    {
        var text = chunkHash.ToHexString();
        if (_held is not { } held)
        {
            await using var connection = await _database.OpenAsync(ct);
            var (command, hash) = Prepare(connection);
            await using (command)
            {
                hash.Value = text;
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? Read(reader) : null;
            }
        }
        lock (_gate) // SQLite, in this process: a lookup takes microseconds
        {
            held.Hash.Value = text;
            using var reader = held.Command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }
    }

    private static ExistingChunk Read(DbDataReader reader) => new(reader.GetInt64(0), reader.GetInt64(1));

    public void Dispose()
    {
        if (_held is { } held)
        {
            held.Command.Dispose();
            held.Connection.Dispose();
        }
    }
}
