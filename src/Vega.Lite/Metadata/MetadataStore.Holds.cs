using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// Attic's holds (<c>holders_count</c>, docs/attic-database.md §5.3): before an upload records rows that point at a
/// NAR or chunks already stored, it raises their counts in a transaction of its own, and lowers them once the
/// recording transaction has ended. A garbage collector that is not Vega.Lite's (an atticd sharing the database with
/// its GC still on) deletes only rows without holds: when its statement waited on the row, PostgreSQL re-checks the
/// row the hold changed and skips it, where an unchanged row would be deleted under the references committed after it.
/// The hold must be committed before the references: given back in the same moment, the collector's re-check could
/// find the count lowered again. Vega.Lite's own collector is kept out by its lock as well (§5.2(b)).
/// </summary>
internal sealed partial class MetadataStore
{
    /// <summary>The rows one upload holds, until <see cref="ReleaseAsync"/>.</summary>
    private sealed record Holds(IReadOnlyList<long> Nars, IReadOnlyList<long> Chunks)
    {
        public static Holds None { get; } = new([], []);
    }

    /// <summary>The reused chunks of a NAR about to be recorded, held; null when one was collected since it was found.</summary>
    private Task<Holds?> HoldReusedChunksAsync(DbConnection connection, NarToRecord nar, CancellationToken ct) =>
        HoldAsync(connection, new Holds([], nar.Chunks.Where(c => c.ExistingId is not null).Select(c => c.ExistingId!.Value).Distinct().ToList()), ct);

    /// <summary>
    /// Commits a hold on each of these NARs (if complete) and chunks (if valid); null, holding nothing, when one is
    /// not, because garbage collection took it since it was found.
    /// </summary>
    private async Task<Holds?> HoldAsync(DbConnection connection, Holds rows, CancellationToken ct)
    {
        if (rows.Nars.Count == 0 && rows.Chunks.Count == 0)
        {
            return Holds.None;
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            if (await ChangeHoldsAsync(connection, transaction, "nar", rows.Nars, "+ 1", $"AND {CompleteNar}", ct) != rows.Nars.Count
                || await ChangeHoldsAsync(connection, transaction, "chunk", rows.Chunks, "+ 1", "AND n.state = 'V'", ct) != rows.Chunks.Count)
            {
                return null; // rolled back
            }
        }
        catch (DbException e) when (database.LostRace(e))
        {
            return null; // a garbage-collection statement had some of the rows: the upload is retried, as when it took them
        }
        await transaction.CommitAsync(ct);
        return rows;
    }

    /// <summary>
    /// Gives the holds back, whether the recording committed or not. A process that dies before this leaves them
    /// behind (Attic's #66: the rows are kept from garbage collection; docs/attic-database.md §5.3 says how to clear
    /// them once no atticd and no upload is running).
    /// </summary>
    private async Task ReleaseAsync(DbConnection connection, Holds holds)
    {
        if (holds.Nars.Count == 0 && holds.Chunks.Count == 0)
        {
            return;
        }
        var ct = CancellationToken.None; // a cancelled request still gives its holds back
        // PostgreSQL may end this transaction to break a deadlock with another upload holding or releasing the same
        // rows (seen with eight pushes of one NAR through three replicas): it rolled back whole, so it is run again.
        // The upload itself is recorded by then; after the last try its holds stay behind, as a crash would leave them.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await ChangeHoldsAsync(connection, transaction, "nar", holds.Nars, "- 1", "AND n.holders_count > 0", ct);
                await ChangeHoldsAsync(connection, transaction, "chunk", holds.Chunks, "- 1", "AND n.holders_count > 0", ct);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (DbException e) when (database.LostRace(e) && attempt < ReleaseAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 4)), ct);
            }
            catch (DbException e) when (database.LostRace(e))
            {
                HoldsLeftBehind?.Invoke(e.Message);
                return;
            }
        }
    }

    /// <summary>Times a release is tried before its holds are left behind.</summary>
    private const int ReleaseAttempts = 8;

    /// <summary>Raised with the database's reason when an upload's holds could not be given back.</summary>
    public event Action<string>? HoldsLeftBehind;

    /// <summary>Changes the hold count of these rows of <paramref name="table"/> (nar or chunk, as <c>n</c>) that meet <paramref name="condition"/>; returns how many.</summary>
    private async Task<int> ChangeHoldsAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<long> ids, string change, string condition, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }
        // The rows are locked in id order, as every other upload's holds lock them: two uploads holding and giving
        // back overlapping chunks at once would otherwise each wait for a row the other locked first.
        await using var command = Command(connection,
            $"""
            UPDATE {table} AS n SET holders_count = n.holders_count {change}
            WHERE n.id IN (
                SELECT l.id FROM {table} l WHERE l.id IN (SELECT CAST(j.value AS BIGINT) FROM {database.JsonValues("@ids")})
                ORDER BY l.id {database.LockForUpdate})
              {condition}
            """, transaction);
        command.Bind("@ids", JsonArray(ids));
        return await command.ExecuteNonQueryAsync(ct);
    }
}
