using System.Data.Common;
using Vega.Lite.Metadata.Postgres;

namespace Vega.Lite.Metadata;

/// <summary>
/// The database behind <see cref="MetadataStore"/>: SQLite (<see cref="SqliteDatabase"/>) or PostgreSQL
/// (<see cref="PostgresDatabase"/>), both in Attic's schema (docs/attic-database.md). Each opens connections, brings
/// its database to what the server runs on, and supplies the few pieces of SQL the two write differently; every query
/// is written once, in <see cref="MetadataStore"/>, with <c>@name</c> parameters, which both drivers take.
/// </summary>
internal abstract class MetadataDatabase : IDisposable
{
    /// <summary>The database a <c>[database] url</c> names: <c>postgres://</c> or <c>postgresql://</c>, else SQLite's.</summary>
    public static MetadataDatabase For(string url) =>
        PostgresUrl.IsPostgresUrl(url) ? new PostgresDatabase(url) : new SqliteDatabase(url);

    /// <summary>The database for messages: SQLite's file, PostgreSQL's URL without its password.</summary>
    public abstract string Description { get; }

    public abstract DbConnection Open();

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Whether a connection may be held for as long as an upload runs: SQLite's cost a file handle each, PostgreSQL's
    /// come from a bounded pool (<see cref="Postgres.PostgresUrl.MaxPoolSize"/>), which uploads holding them would drain.
    /// </summary>
    public abstract bool HoldsConnectionsFreely { get; }

    private bool? _chunkRefCarriesChunk;

    /// <summary>
    /// Whether <c>chunkref</c> still has Attic L1's <c>chunk_hash</c> and <c>compression</c> (NOT NULL, no default),
    /// which every insert must then fill. Read once, on the caller's connection: a transaction that opened a second
    /// connection for it could wait for ever on a pool its peers hold.
    /// </summary>
    public bool ChunkRefCarriesChunk(DbConnection connection, DbTransaction? transaction) =>
        _chunkRefCarriesChunk ??= DatabaseInspection.ReadColumns(connection, ColumnsQuery, "chunkref", transaction).Contains("chunk_hash");

    /// <summary>SQL for a table's column names; <c>{0}</c> is the table's name.</summary>
    protected abstract string ColumnsQuery { get; }

    /// <summary>
    /// Brings the database to what this server runs on (Attic's schema, then Vega.Lite's own <c>vega_</c> tables),
    /// safely when several processes start at once; returns a line to tell the operator when it converted a database,
    /// else null.
    /// </summary>
    public abstract string? Migrate(RemoteFiles remoteFiles);

    /// <summary>
    /// For the modes that do not migrate (api-server, the garbage collector): stops with one line unless the database
    /// is in Attic's schema with Vega.Lite's own tables up to date, saying what to run; writes nothing.
    /// </summary>
    public abstract void CheckSchema();

    /// <summary>
    /// A transaction that records what an upload stored: the NAR, its chunks and the objects that point at reused rows.
    /// Garbage collection's orphan statements (<see cref="BeginCollectingAsync"/>) never run at the same time as one.
    /// </summary>
    public virtual async Task<DbTransaction> BeginRecordingAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct);

    /// <summary>A transaction for one of garbage collection's orphan statements (a NAR or chunk nothing refers to), apart from every recording transaction.</summary>
    public virtual async Task<DbTransaction> BeginCollectingAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct);

    /// <summary>
    /// Inside a recording transaction, before it looks for a complete NAR with this hash: waits for any other
    /// transaction recording a NAR with the same hash, so of two uploads of one NAR at once the second finds the first's
    /// and stores nothing. SQLite's single writer does that already.
    /// </summary>
    public virtual Task SerializeNarAsync(DbConnection connection, DbTransaction transaction, string narHash, CancellationToken ct) =>
        Task.CompletedTask;

    /// <summary>How often a server looks for changes it cannot be told of (SQLite's counter; a broken listener's retry).</summary>
    public static readonly TimeSpan ChangePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Inside a writing transaction: tells every server process on this database that anything may have changed, once
    /// it commits (<see cref="CacheChange.Everything"/>: paths expired, a chunk lost or regained). It moves
    /// <c>vega_invalidation.generation</c>, which is all SQLite has (one host, no channel: <see cref="WatchChangesAsync"/>
    /// polls it), and sends <c>*</c> where there is a channel. Writes to the cache and object tables need no call: their
    /// triggers say what they changed, whoever writes them (Migrations/*/vega_0002_change_triggers.sql).
    /// </summary>
    public async Task NotifyEverythingAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using (var bump = connection.CreateCommand())
        {
            bump.Transaction = transaction;
            bump.CommandText = "UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1";
            await bump.ExecuteNonQueryAsync(ct);
        }
        await SendAsync(connection, transaction, CacheChange.Everything, ct);
    }

    /// <summary>Sends the change on the database's channel, where it has one.</summary>
    protected virtual Task SendAsync(DbConnection connection, DbTransaction transaction, CacheChange change, CancellationToken ct) =>
        Task.CompletedTask;

    /// <summary>
    /// Until cancelled, reports the changes committed by any process (this one's too) to <paramref name="changed"/>,
    /// and <see cref="CacheChange.Everything"/> whenever some may have been missed; <paramref name="trouble"/> hears
    /// once why changes cannot be followed, each time that starts.
    /// </summary>
    public abstract Task WatchChangesAsync(Action<CacheChange> changed, Action<string> trouble, CancellationToken ct);

    /// <summary>
    /// This process's turn as the one garbage collector on this database, or null while another process has it;
    /// disposing it ends the turn (a process that dies ends it too).
    /// </summary>
    public abstract Task<IAsyncDisposable?> TryTakeCollectorTurnAsync(CancellationToken ct);

    /// <summary>
    /// A FROM-clause item <c>j</c> over the JSON array in <paramref name="parameter"/>: one row per element, with
    /// <c>j.key</c> its position from 0 and <c>j.value</c> its value as text (cast it for a number).
    /// </summary>
    public abstract string JsonValues(string parameter);

    /// <summary>A FROM-clause item <c>j</c> over a JSON array of arrays: <c>j.value ->> n</c> is element n of a row, as text.</summary>
    public abstract string JsonRows(string parameter);

    /// <summary>SQL for now in unix seconds, on the database's clock (Vega.Lite's own tables keep unix seconds).</summary>
    public abstract string UnixNow { get; }

    /// <summary>SQL for the time, in the encoding of Attic's time columns, <paramref name="unixSeconds"/> seconds after the epoch.</summary>
    public abstract string TimeFromUnixSeconds(string unixSeconds);

    /// <summary>SQL for the unix seconds (a BIGINT) of a time column of Attic's tables.</summary>
    public abstract string UnixSecondsOf(string timeColumn);

    /// <summary>A value for a time column of Attic's tables.</summary>
    public abstract object Time(DateTimeOffset time);

    /// <summary>A join that keeps the order written (SQLite plans <c>CROSS JOIN</c> so; PostgreSQL has no such join with ON).</summary>
    public abstract string OrderedJoin { get; }

    /// <summary>Whether a statement failed only because it lost a race the database broke (a deadlock), so a retry succeeds.</summary>
    public virtual bool LostRace(DbException e) => false;

    /// <summary>
    /// What a SELECT ends with to lock the rows it reads for an update of columns other than keys, in the order it
    /// returns them (PostgreSQL); nothing where one writer at a time has the whole database (SQLite).
    /// </summary>
    public abstract string LockForUpdate { get; }

    /// <summary><paramref name="column"/> compared byte by byte, whatever the database's collation.</summary>
    public abstract string Ordinal(string column);

    /// <summary>Closes the connections this database keeps (PostgreSQL's pool; SQLite's are pooled by the driver).</summary>
    public virtual void Dispose()
    {
    }
}
