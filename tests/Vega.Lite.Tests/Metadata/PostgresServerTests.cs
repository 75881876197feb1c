using Npgsql;
using Vega.Lite.Metadata.Postgres;

namespace Vega.Lite.Tests.Metadata;

/// <summary>
/// The throwaway PostgreSQL 15 (Support/PostgresServer.cs) and what the metadata store will need of Npgsql through
/// <see cref="PostgresUrl.CreateDataSource"/>'s slim builder: timestamptz, bigint[] parameters, advisory locks and
/// LISTEN/NOTIFY. Run as a user that cannot start the server, these fail with the reason.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task The_server_is_private_and_databases_are_separate()
    {
        Assert.True(File.Exists(Path.Combine(Server.SocketDirectory, $".s.PGSQL.{Server.Port}")));
        Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(Server.Directory), 8));

        var first = await Server.CreateDatabaseAsync("vega_one");
        var second = await Server.CreateDatabaseAsync();
        Assert.Equal($"postgres://postgres@127.0.0.1:{Server.Port}/vega_one", first);

        await using (var a = PostgresUrl.CreateDataSource(first))
        {
            await a.CreateCommand("CREATE TABLE t (v int); INSERT INTO t VALUES (1)").ExecuteNonQueryAsync();
            Assert.Equal("vega_one", await a.CreateCommand("SELECT current_database()").ExecuteScalarAsync());
            Assert.Equal("vega-lite", await a.CreateCommand("SELECT current_setting('application_name')").ExecuteScalarAsync());
        }
        await using var b = PostgresUrl.CreateDataSource(second);
        Assert.Equal(0L, await b.CreateCommand("SELECT count(*) FROM pg_tables WHERE tablename = 't'").ExecuteScalarAsync());
        Assert.StartsWith("15.", (string)(await b.CreateCommand("SHOW server_version").ExecuteScalarAsync())!);
        Assert.Equal("off", await b.CreateCommand("SHOW fsync").ExecuteScalarAsync());

        // The socket directory works as ?host=, as Attic's NixOS module writes it.
        await using var overSocket = PostgresUrl.CreateDataSource(
            $"postgresql:///vega_one?host={Uri.EscapeDataString(Server.SocketDirectory)}&port={Server.Port}&user=postgres");
        Assert.Equal(1L, await overSocket.CreateCommand("SELECT count(*) FROM t").ExecuteScalarAsync());
    }

    [Fact]
    public async Task Timestamptz_round_trips_as_utc()
    {
        await using var source = PostgresUrl.CreateDataSource(await Server.CreateDatabaseAsync());
        var when = new DateTime(2026, 12, 3, 21, 14, 5, 123, DateTimeKind.Utc).AddTicks(4560); // microsecond precision
        await using var command = source.CreateCommand("SELECT $1::timestamptz, $1::timestamptz + interval '1 hour'");
        command.Parameters.Add(new NpgsqlParameter { Value = when });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var back = reader.GetDateTime(0);
        Assert.Equal(when, back);
        Assert.Equal(DateTimeKind.Utc, back.Kind);
        Assert.Equal(when.AddHours(1), reader.GetDateTime(1));
    }

    [Fact]
    public async Task A_bigint_array_parameter_with_any()
    {
        await using var source = PostgresUrl.CreateDataSource(await Server.CreateDatabaseAsync());
        await source.CreateCommand("CREATE TABLE chunk (id bigint PRIMARY KEY); INSERT INTO chunk SELECT generate_series(1, 100)").ExecuteNonQueryAsync();
        await using var command = source.CreateCommand("SELECT id FROM chunk WHERE id = ANY($1) ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = new long[] { 3, 50, 99, 1000 } });
        var found = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add(reader.GetInt64(0));
            }
        }
        Assert.Equal(new long[] { 3, 50, 99 }, found);
        await using var back = source.CreateCommand("SELECT array_agg(id ORDER BY id) FROM chunk WHERE id < 4");
        var aggregated = (long[])(await back.ExecuteScalarAsync())!;
        Assert.Equal(new long[] { 1, 2, 3 }, aggregated);
    }

    [Fact]
    public async Task An_advisory_lock_is_held_by_one_session()
    {
        await using var source = PostgresUrl.CreateDataSource(await Server.CreateDatabaseAsync());
        await using var one = await source.OpenConnectionAsync();
        await using var two = await source.OpenConnectionAsync();
        static async Task<bool> TryLock(NpgsqlConnection c)
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", c);
            command.Parameters.Add(new NpgsqlParameter { Value = 0x7665_6761L });
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        Assert.True(await TryLock(one));
        Assert.False(await TryLock(two));
        await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", one))
        {
            unlock.Parameters.Add(new NpgsqlParameter { Value = 0x7665_6761L });
            Assert.True((bool)(await unlock.ExecuteScalarAsync())!);
        }
        Assert.True(await TryLock(two));
    }

    [Fact]
    public async Task A_notification_sent_in_a_transaction_arrives_after_commit()
    {
        await using var source = PostgresUrl.CreateDataSource(await Server.CreateDatabaseAsync());
        await using var listener = await source.OpenConnectionAsync();
        var received = new List<string>();
        listener.Notification += (_, e) =>
        {
            lock (received)
            {
                received.Add($"{e.Channel}:{e.Payload}");
            }
        };
        await using (var listen = new NpgsqlCommand("LISTEN vega_invalidate", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using var sender = await source.OpenConnectionAsync();
        await using var transaction = await sender.BeginTransactionAsync();
        await using (var notify = new NpgsqlCommand("SELECT pg_notify('vega_invalidate', $1)", sender, transaction))
        {
            notify.Parameters.Add(new NpgsqlParameter { Value = "cache 7" });
            await notify.ExecuteNonQueryAsync();
        }
        // Not delivered while the transaction is open.
        Assert.False(await listener.WaitAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Empty(received);

        await transaction.CommitAsync();
        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)));
        lock (received)
        {
            Assert.Equal("vega_invalidate:cache 7", Assert.Single(received));
        }
    }
}
