using System.Data.Common;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Metadata;

/// <summary>
/// One NAR ingest's lookups of stored chunks by content hash, on one connection and one prepared statement for all of
/// its chunks, since a NAR has thousands. Thread-safe: chunks are looked up from several threads, one at a time, as
/// the database runs one statement per connection at a time anyway.
/// </summary>
internal sealed class ChunkLookup : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbParameter _hash;
    private readonly Lock _gate = new();

    public ChunkLookup(DbConnection connection, string compression)
    {
        _connection = connection;
        _command = connection.CreateCommand();
        _command.CommandText =
            """
            SELECT id, file_size FROM chunk
            WHERE chunk_hash = @hash AND compression = @compression AND state = 'V' AND file_size IS NOT NULL
            ORDER BY id LIMIT 1
            """;
        _hash = _command.Bind("@hash", "");
        _command.Bind("@compression", compression);
    }

    /// <summary>
    /// A valid chunk with this content hash in the lookup's compression; null if none. Never a lost one (state 'D'),
    /// so a push of a lost chunk's bytes stores a fresh blob (MetadataStore.LostChunks.cs).
    /// </summary>
    public ExistingChunk? Find(NixHash chunkHash)
    {
        var text = chunkHash.ToHexString();
        lock (_gate)
        {
            _hash.Value = text;
            using var reader = _command.ExecuteReader();
            return reader.Read() ? new ExistingChunk(reader.GetInt64(0), reader.GetInt64(1)) : null;
        }
    }

    public void Dispose()
    {
        _command.Dispose();
        _connection.Dispose();
    }
}
