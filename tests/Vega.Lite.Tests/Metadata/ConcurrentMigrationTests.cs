using Microsoft.Data.Sqlite;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Metadata;

/// <summary>Several processes starting at once on one new database each migrate it; every migration runs once (issue 15, item 3).</summary>
public sealed class ConcurrentMigrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-migrate-" + Guid.NewGuid().ToString("N")[..12]);

    public ConcurrentMigrationTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Six_starts_at_once_all_succeed_and_apply_each_migration_once()
    {
        for (var round = 0; round < 20; round++)
        {
            var url = $"sqlite://{_directory}/round-{round}.db";
            using var start = new ManualResetEventSlim();
            var starts = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                start.Wait();
                new SqliteDatabase(url).Migrate(RemoteFiles.Local);
            })).ToArray();
            start.Set();
            await Task.WhenAll(starts);

            using var connection = new SqliteConnection($"Data Source={_directory}/round-{round}.db");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM vega_migrations ORDER BY name";
            using var reader = command.ExecuteReader();
            var applied = new List<string>();
            while (reader.Read())
            {
                applied.Add(reader.GetString(0));
            }
            Assert.Equal(VegaMigrations.Names, applied);
        }
    }
}
