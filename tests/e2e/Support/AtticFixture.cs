using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vega.Lite.E2E.Support;

/// <summary>How one NAR is laid out in chunks, as atticd of some age left it.</summary>
public sealed record AtticLayout
{
    private AtticLayout(string kind, int pieces, long[]? cuts)
    {
        Kind = kind;
        Pieces = pieces;
        Cuts = cuts;
    }

    /// <summary>
    /// A NAR pushed before chunking (January 2023): one xz file named <c>&lt;uuid&gt;.nar</c>, which migration 10 turned
    /// into one chunk (chunk_hash = the NAR hash, compression xz, state V); nar.compression xz, num_chunks 1.
    /// </summary>
    public static AtticLayout SingleFileXz { get; } = new("single-file-xz", 1, null);

    /// <summary>A NAR under the chunking threshold since 2023: one zstd chunk <c>&lt;uuid&gt;.chunk</c>.</summary>
    public static AtticLayout SingleChunkZstd { get; } = new("single-chunk-zstd", 1, null);

    /// <summary>The NAR split into <paramref name="pieces"/> non-empty pieces at arbitrary (seeded) offsets, each a zstd chunk.</summary>
    public static AtticLayout ChunkedZstd(int pieces) =>
        pieces >= 1 ? new("chunked-zstd", pieces, null) : throw new ArgumentOutOfRangeException(nameof(pieces));

    /// <summary>The NAR cut at exactly these offsets (ascending, inside the NAR), each piece a zstd chunk; pieces equal to an existing chunk reuse it.</summary>
    public static AtticLayout ChunkedZstdAt(params long[] cuts) => new("chunked-zstd", cuts.Length + 1, cuts);

    public string Kind { get; }
    public int Pieces { get; }
    public long[]? Cuts { get; }

    /// <summary>The name on the files (<c>.nar</c> or <c>.chunk</c>) and the compression name.</summary>
    internal (string Suffix, string Compression) File => Kind == "single-file-xz" ? (".nar", "xz") : (".chunk", "zstd");

    public override string ToString() => Kind == "chunked-zstd" ? $"{Kind}({Pieces})" : Kind;
}

/// <summary>A cache row; <see cref="PublicKey"/> is the <c>name:base64(32 bytes)</c> for trusted-public-keys.</summary>
public sealed record AtticCache(long Id, string Name, string Keypair, string PublicKey, bool IsPublic, int Priority);

/// <summary>A chunk row and its file in local storage.</summary>
public sealed record AtticChunk(
    long Id, string Name, string FilePath, string Compression, string ChunkHash, long ChunkSize, string FileHash, long FileSize);

/// <summary>An object row with its NAR and the NAR's chunks in seq order.</summary>
public sealed record AtticPath(
    long ObjectId, long NarId, AtticCache Cache, string StorePath, IReadOnlyList<string> References, string NarHash, long NarSize,
    AtticLayout Layout, IReadOnlyList<AtticChunk> Chunks)
{
    public string BaseName => Path.GetFileName(StorePath);
    public string StorePathHash => BaseName[..32];
}

/// <summary>
/// Lays out a SQLite database and local storage as atticd leaves them (docs/attic-database.md §1), written with
/// Microsoft.Data.Sqlite and the xz/zstd command-line tools only: none of Vega.Lite's own code, so a test that starts
/// vega-lite on it checks vega-lite against atticd's format rather than against itself.
/// <para>
/// <c>Create</c> replays the migrations (<see cref="AtticSchema"/>); <c>AddCache</c> and <c>AddPath</c> insert rows the
/// way atticd's handlers do, each in its own connection, so nothing stays open when a server is started on the files.
/// </para>
/// </summary>
public sealed class AtticFixture
{
    private readonly Dictionary<string, AtticChunk> _chunksByHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, AtticLayout Layout, AtticChunk[] Chunks)> _narsByHash = new(StringComparer.Ordinal);
    private long _clockNanos;
    private readonly Random _random;

    private AtticFixture(string directory, AtticLevel level, AtticEra era, DateTimeOffset start, int seed)
    {
        Directory = directory;
        Level = level;
        Era = era;
        DatabasePath = Path.Combine(directory, "server.db");
        StoragePath = Path.Combine(directory, "storage");
        _clockNanos = start.ToUnixTimeMilliseconds() * 1_000_000;
        _random = new Random(seed);
    }

    public string Directory { get; }
    public AtticLevel Level { get; }
    public AtticEra Era { get; }
    public string DatabasePath { get; }
    public string StoragePath { get; }

    /// <summary>atticd's database URL for <see cref="DatabasePath"/>.</summary>
    public string DatabaseUrl => $"sqlite://{DatabasePath}?mode=rwc";

    /// <summary>
    /// An empty Attic deployment in <paramref name="directory"/>: server.db migrated to <paramref name="level"/> with
    /// <paramref name="era"/>'s type names (journal_mode WAL, as atticd sets it), and storage/ with VERSION = 1.
    /// Row times start at <paramref name="start"/> (default: 90 days ago) and move forward a little per row.
    /// </summary>
    public static AtticFixture Create(string directory, AtticLevel level, AtticEra era = AtticEra.SeaQuery030, DateTimeOffset? start = null, int seed = 1)
    {
        var fixture = new AtticFixture(directory, level, era, start ?? DateTimeOffset.UtcNow.AddDays(-90), seed);
        System.IO.Directory.CreateDirectory(fixture.StoragePath);
        if (File.Exists(fixture.DatabasePath))
        {
            throw new InvalidOperationException($"{fixture.DatabasePath} exists already");
        }
        var appliedAt = fixture._clockNanos / 1_000_000_000 - 60;
        using (var connection = fixture.Open())
        {
            // The migrations of one atticd start run within a second or two of each other.
            AtticSchema.Migrate(connection, level, era, index => appliedAt + index / 6);
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }
        File.WriteAllText(Path.Combine(fixture.StoragePath, "VERSION"), "1");
        return fixture;
    }

    /// <summary>
    /// Adds a cache as <c>attic cache create</c> does. <paramref name="keypair"/> is Nix secret-key text
    /// <c>name:base64(64 bytes)</c> (see <see cref="NixStorePaths.GenerateKeypairAsync"/>); upstream key names are stored as
    /// compact JSON, <paramref name="retentionPeriod"/> in seconds (null: the global default).
    /// </summary>
    public AtticCache AddCache(
        string name, bool isPublic, string keypair, int priority = 41, IReadOnlyList<string>? upstreamCacheKeyNames = null,
        int? retentionPeriod = null, string storeDir = "/nix/store", DateTimeOffset? deletedAt = null)
    {
        var publicKey = PublicKeyOf(keypair);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "cache" ("name", "keypair", "is_public", "store_dir", "priority", "upstream_cache_key_names", "created_at", "deleted_at", "retention_period")
            VALUES ($name, $keypair, $public, $store, $priority, $upstream, $created, $deleted, $retention) RETURNING "id"
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$keypair", keypair);
        command.Parameters.AddWithValue("$public", isPublic ? 1 : 0);
        command.Parameters.AddWithValue("$store", storeDir);
        command.Parameters.AddWithValue("$priority", priority);
        command.Parameters.AddWithValue("$upstream", JsonArray(upstreamCacheKeyNames ?? ["cache.nixos.org-1"]));
        command.Parameters.AddWithValue("$created", NextTime());
        command.Parameters.AddWithValue("$deleted", deletedAt is { } d ? SqlxTime(d) : DBNull.Value);
        command.Parameters.AddWithValue("$retention", retentionPeriod is { } r ? r : DBNull.Value);
        var id = (long)command.ExecuteScalar()!;
        return new AtticCache(id, name, keypair, publicKey, isPublic, priority);
    }

    /// <summary>
    /// Adds a store path to <paramref name="cache"/> with its NAR stored in <paramref name="layout"/>: a nar row (state V),
    /// its chunks (files under storage/ in the two-level layout) and chunkrefs seq 0..n-1, and the object row, in one
    /// transaction. As atticd's upload does, a NAR whose hash is already held is reused (the object points at the
    /// existing nar, <paramref name="layout"/> is then ignored), and a piece whose chunk hash an existing zstd chunk has
    /// reuses that chunk. <paramref name="references"/> are base names (<c>hash-name</c>); <paramref name="sigs"/> the
    /// client's <c>keyname:base64</c> signatures.
    /// </summary>
    public AtticPath AddPath(
        AtticCache cache, string storePath, byte[] nar, IReadOnlyList<string> references, AtticLayout layout,
        string? deriver = null, string? ca = null, IReadOnlyList<string>? sigs = null,
        DateTimeOffset? lastAccessedAt = null, bool accessed = false, string? createdBy = null)
    {
        var baseName = Path.GetFileName(storePath);
        if (!storePath.StartsWith("/nix/store/", StringComparison.Ordinal) || baseName.Length < 34 || baseName[32] != '-')
        {
            throw new ArgumentException($"not a store path: {storePath}", nameof(storePath));
        }
        var narHash = TypedHash(nar);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        long narId;
        AtticChunk[] chunks;
        if (_narsByHash.TryGetValue(narHash, out var existing))
        {
            (narId, layout, chunks) = existing;
        }
        else
        {
            (narId, chunks) = InsertNar(connection, nar, narHash, layout);
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "object" ("cache_id", "nar_id", "store_path_hash", "store_path", "references", "system", "deriver", "sigs", "ca", "created_at", "last_accessed_at", "created_by")
            VALUES ($cache, $nar, $hash, $path, $refs, NULL, $deriver, $sigs, $ca, $created, $accessed, $by) RETURNING "id"
            """;
        command.Parameters.AddWithValue("$cache", cache.Id);
        command.Parameters.AddWithValue("$nar", narId);
        command.Parameters.AddWithValue("$hash", baseName[..32]);
        command.Parameters.AddWithValue("$path", storePath);
        command.Parameters.AddWithValue("$refs", JsonArray(references));
        command.Parameters.AddWithValue("$deriver", (object?)deriver ?? DBNull.Value);
        command.Parameters.AddWithValue("$sigs", JsonArray(sigs ?? []));
        command.Parameters.AddWithValue("$ca", (object?)ca ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", NextTime());
        command.Parameters.AddWithValue("$accessed",
            lastAccessedAt is { } at ? SqlxTime(at) : accessed ? NextTime() : DBNull.Value);
        command.Parameters.AddWithValue("$by", (object?)createdBy ?? DBNull.Value);
        var objectId = (long)command.ExecuteScalar()!;
        transaction.Commit();

        _narsByHash[narHash] = (narId, layout, chunks);
        return new AtticPath(objectId, narId, cache, storePath, references, narHash, nar.LongLength, layout, chunks);
    }

    /// <summary>
    /// An atticd-style server.toml next to the database (the listen address is overridden with <c>-l</c>), with an
    /// HS256 token secret, Attic's default [chunking] and zstd compression; returns its path.
    /// </summary>
    public string WriteServerToml(string extraToml = "", string? defaultRetentionPeriod = null)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var path = Path.Combine(Directory, "server.toml");
        File.WriteAllText(path,
            $"""
            # Written by the e2e AtticFixture: atticd's template, pointed at this directory.
            listen = "[::]:8080"
            {extraToml}
            [database]
            url = "{DatabaseUrl}"

            [storage]
            type = "local"
            path = "{StoragePath}"

            [chunking]
            nar-size-threshold = 65536
            min-size = 16384
            avg-size = 65536
            max-size = 262144

            [compression]
            type = "zstd"

            [garbage-collection]
            interval = "12 hours"{(defaultRetentionPeriod is null ? "" : $"\ndefault-retention-period = \"{defaultRetentionPeriod}\"")}

            [jwt.signing]
            token-hs256-secret-base64 = "{secret}"
            """);
        return path;
    }

    /// <summary>The path a local-storage file of this name has: <c>storage/&lt;n[0]&gt;/&lt;n[0..2]&gt;/&lt;n&gt;</c>.</summary>
    public string StorageFile(string name) => Path.Combine(StoragePath, name[..1], name[..2], name);

    /// <summary>Nix's public key text for a secret key <c>name:base64(seed ‖ public)</c>: the name and the last 32 bytes.</summary>
    public static string PublicKeyOf(string keypair)
    {
        var colon = keypair.IndexOf(':');
        var bytes = colon > 0 ? Convert.FromBase64String(keypair[(colon + 1)..]) : [];
        if (bytes.Length != 64)
        {
            throw new ArgumentException("a Nix secret key is name:base64(64 bytes)", nameof(keypair));
        }
        return $"{keypair[..colon]}:{Convert.ToBase64String(bytes, 32, 32)}";
    }

    /// <summary>A time as sqlx writes a chrono DateTime&lt;Utc&gt; on SQLite: RFC 3339, SecondsFormat::AutoSi, +00:00.</summary>
    public static string SqlxTime(DateTimeOffset time) =>
        SqlxTime(time.ToUnixTimeSeconds() * 1_000_000_000 + time.UtcTicks % TimeSpan.TicksPerSecond * 100);

    /// <summary><c>sha256:&lt;64 lowercase hex&gt;</c>, Attic's typed base16 (attic/src/hash/mod.rs).</summary>
    public static string TypedHash(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    private static string SqlxTime(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000, out var nanos);
        var text = DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = nanos == 0 ? ""
            : nanos % 1_000_000 == 0 ? "." + (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? "." + (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
        return text + fraction + "+00:00";
    }

    /// <summary>The next row time: a second or two later, with nanoseconds (so nine fraction digits, as on Linux).</summary>
    private string NextTime()
    {
        _clockNanos += 1_000_000_000 + _random.NextInt64(0, 1_000_000_000);
        _clockNanos += _clockNanos % 1000 == 0 ? 1 : 0;
        return SqlxTime(_clockNanos);
    }

    private (long NarId, AtticChunk[] Chunks) InsertNar(SqliteConnection connection, byte[] nar, string narHash, AtticLayout layout)
    {
        var (suffix, compression) = layout.File;
        var narCreated = NextTime();
        using (var insert = connection.CreateCommand())
        {
            // num_chunks and (L1) completeness_hint as the columns' defaults leave them for one chunk; set for more.
            insert.CommandText = """
                INSERT INTO "nar" ("state", "nar_hash", "nar_size", "compression", "num_chunks", "holders_count", "created_at")
                VALUES ('V', $hash, $size, $compression, $chunks, 0, $created) RETURNING "id"
                """;
            insert.Parameters.AddWithValue("$hash", narHash);
            insert.Parameters.AddWithValue("$size", nar.LongLength);
            insert.Parameters.AddWithValue("$compression", compression);
            insert.Parameters.AddWithValue("$chunks", layout.Pieces);
            insert.Parameters.AddWithValue("$created", narCreated);
            var narId = (long)insert.ExecuteScalar()!;

            var chunks = new AtticChunk[layout.Pieces];
            var cuts = Cuts(nar.LongLength, layout);
            for (var seq = 0; seq < chunks.Length; seq++)
            {
                var piece = nar.AsSpan((int)cuts[seq], (int)(cuts[seq + 1] - cuts[seq])).ToArray();
                var chunkHash = TypedHash(piece);
                if (compression != "zstd" || !_chunksByHash.TryGetValue(chunkHash, out var chunk))
                {
                    // Migration 10 copied the NAR's created_at onto its chunk; later chunks get their own time.
                    chunk = InsertChunk(connection, piece, chunkHash, suffix, compression,
                        layout == AtticLayout.SingleFileXz ? narCreated : NextTime());
                    if (compression == "zstd")
                    {
                        _chunksByHash[chunkHash] = chunk;
                    }
                }
                chunks[seq] = chunk;
                using var reference = connection.CreateCommand();
                reference.CommandText = Level == AtticLevel.L1
                    ? """INSERT INTO "chunkref" ("nar_id", "seq", "chunk_id", "chunk_hash", "compression") VALUES ($nar, $seq, $chunk, $hash, $compression)"""
                    : """INSERT INTO "chunkref" ("nar_id", "seq", "chunk_id") VALUES ($nar, $seq, $chunk)""";
                reference.Parameters.AddWithValue("$nar", narId);
                reference.Parameters.AddWithValue("$seq", seq);
                reference.Parameters.AddWithValue("$chunk", chunk.Id);
                reference.Parameters.AddWithValue("$hash", chunk.ChunkHash);
                reference.Parameters.AddWithValue("$compression", chunk.Compression);
                reference.ExecuteNonQuery();
            }
            return (narId, chunks);
        }
    }

    private AtticChunk InsertChunk(
        SqliteConnection connection, byte[] piece, string chunkHash, string suffix, string compression, string created)
    {
        var name = Guid.NewGuid().ToString("D") + suffix;
        var file = Compress(compression, piece);
        var path = StorageFile(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, file);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "chunk" ("state", "chunk_hash", "chunk_size", "file_hash", "file_size", "compression", "remote_file", "remote_file_id", "holders_count", "created_at")
            VALUES ('V', $hash, $size, $fileHash, $fileSize, $compression, $remote, $remoteId, 0, $created) RETURNING "id"
            """;
        insert.Parameters.AddWithValue("$hash", chunkHash);
        insert.Parameters.AddWithValue("$size", piece.LongLength);
        insert.Parameters.AddWithValue("$fileHash", TypedHash(file));
        insert.Parameters.AddWithValue("$fileSize", file.LongLength);
        insert.Parameters.AddWithValue("$compression", compression);
        insert.Parameters.AddWithValue("$remote", """{"Local":{"name":""" + JsonString(name) + "}}");
        insert.Parameters.AddWithValue("$remoteId", "local:" + name);
        insert.Parameters.AddWithValue("$created", created);
        var id = (long)insert.ExecuteScalar()!;
        return new AtticChunk(id, name, path, compression, chunkHash, piece.LongLength, TypedHash(file), file.LongLength);
    }

    /// <summary>Piece boundaries 0 = c0 &lt; c1 &lt; … &lt; cn = length: the layout's cuts, or seeded arbitrary ones.</summary>
    private long[] Cuts(long length, AtticLayout layout)
    {
        if (layout.Pieces > length)
        {
            throw new ArgumentException($"a {length}-byte NAR cannot be cut into {layout.Pieces} non-empty pieces");
        }
        var inner = layout.Cuts ?? Enumerable.Range(0, int.MaxValue).Select(_ => _random.NextInt64(1, length))
            .Distinct().Take(layout.Pieces - 1).Order().ToArray();
        long[] cuts = [0, .. inner, length];
        for (var i = 1; i < cuts.Length; i++)
        {
            if (cuts[i] <= cuts[i - 1])
            {
                throw new ArgumentException($"cuts must ascend strictly inside the {length}-byte NAR: {string.Join(", ", inner)}");
            }
        }
        return cuts;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true, // sqlx turns them on
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The file atticd would have stored: the piece through the xz or zstd command-line tool, as a stream (no content size in the header).</summary>
    public static byte[] Compress(string compression, byte[] data) =>
        compression switch
        {
            "zstd" => Pipe("zstd", ["-q", "-c", "-8", "--no-check"], data),
            "xz" => Pipe("xz", ["-q", "-c", "-6"], data),
            "none" => data,
            _ => throw new ArgumentException($"unknown compression {compression}"),
        };

    /// <summary>The bytes a stored file decompresses to.</summary>
    public static byte[] Decompress(string compression, byte[] file) =>
        compression switch
        {
            "zstd" => Pipe("zstd", ["-q", "-d", "-c"], file),
            "xz" => Pipe("xz", ["-q", "-d", "-c"], file),
            "none" => file,
            _ => throw new ArgumentException($"unknown compression {compression}"),
        };

    private static byte[] Pipe(string program, string[] args, byte[] input)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var writer = Task.Run(() =>
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        });
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        writer.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {error.Result}");
        }
        return output.ToArray();
    }

    /// <summary>A compact JSON array of strings, as serde_json writes a Vec&lt;String&gt;.</summary>
    public static string JsonArray(IEnumerable<string> items) => "[" + string.Join(",", items.Select(JsonString)) + "]";

    /// <summary>A JSON string as serde_json escapes it: only <c>"</c>, <c>\</c> and control characters.</summary>
    private static string JsonString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}
