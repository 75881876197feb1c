using System.Text;
using Npgsql;

namespace Vega.Lite.Metadata.Postgres;

/// <summary>
/// Attic's PostgreSQL database URLs (what sqlx accepts, libpq's URI form) turned into an Npgsql connection string,
/// since Npgsql itself reads only the keyword form:
/// <c>postgres[ql]://[user[:password]@][host][:port][/dbname][?param=value&amp;…]</c>, the user name, password and
/// database percent-decoded, an IPv6 host in brackets, a Unix socket directory as <c>?host=/run/postgresql</c> (or a
/// percent-encoded host starting with <c>/</c>). Query parameters: <c>sslmode</c>, <c>sslrootcert</c>,
/// <c>sslcert</c>, <c>sslkey</c> (and sqlx's spellings <c>ssl-mode</c>, <c>ssl-root-cert</c>/<c>ssl-ca</c>,
/// <c>ssl-cert</c>, <c>ssl-key</c>), <c>application_name</c>, <c>options</c>, <c>host</c>, <c>hostaddr</c>,
/// <c>port</c>, <c>user</c>, <c>password</c>, <c>dbname</c>; a parameter given in the query wins over the same part
/// of the URL, as in sqlx. Where sqlx only logs an unknown parameter, this refuses it: a misspelt <c>sslmode</c> must
/// not quietly connect without TLS. Every error is a <see cref="ConfigException"/> whose one-line message shows the URL
/// with its password replaced by <c>***</c>.
/// </summary>
internal static partial class PostgresUrl
{
    /// <summary>
    /// Connections one process keeps at most. A constant, not Attic's <c>[database]</c> pool settings: a replica's
    /// work is bounded by its request concurrency, and N replicas times this must stay under the server's
    /// <c>max_connections</c> (100 by default).
    /// </summary>
    public const int MaxPoolSize = 16;

    /// <summary>Seconds to wait for a connection (opening one, or a free one from a full pool).</summary>
    public const int ConnectTimeoutSeconds = 15;

    /// <summary>Seconds one command may run before it is cancelled.</summary>
    public const int CommandTimeoutSeconds = 30;

    public const int DefaultPort = 5432;

    /// <summary>Where sqlx looks for a Unix socket when the URL names no host (its <c>default_host</c>), then localhost.</summary>
    private static readonly string[] DefaultSocketDirectories = ["/var/run/postgresql", "/private/tmp", "/tmp"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsPostgresUrl(string url) =>
        url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The data source the metadata store opens connections from: the slim builder (AOT-clean), with arrays
    /// (<c>bigint[]</c> parameters for <c>= ANY($1)</c>) and TLS, which the slim builder leaves out unless asked.</summary>
    public static NpgsqlDataSource CreateDataSource(string url) =>
        new NpgsqlSlimDataSourceBuilder(ToConnectionString(url))
            .EnableArrays()
            .EnableTransportSecurity()
            .Build();

    public static string ToConnectionString(string url) => ToBuilder(url).ConnectionString;

    public static NpgsqlConnectionStringBuilder ToBuilder(string url) => ToBuilder(url, File.Exists);

    /// <param name="url">The database URL.</param>
    /// <param name="socketExists">Whether a file exists: finds the default Unix socket when the URL names no host.</param>
    internal static NpgsqlConnectionStringBuilder ToBuilder(string url, Func<string, bool> socketExists)
    {
        var parser = new Parser(url);
        var parts = parser.Parse();
        var builder = new NpgsqlConnectionStringBuilder
        {
            Port = parts.Port ?? DefaultPort,
            MaxPoolSize = MaxPoolSize,
            Timeout = ConnectTimeoutSeconds,
            CommandTimeout = CommandTimeoutSeconds,
            // Every request runs the same few statements: prepared once per connection, they skip parse and plan.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // Nothing this server does leaves session state behind (the session locks are released, LISTEN has a
            // connection of its own), so a pooled connection needs no DISCARD ALL before its next use.
            NoResetOnClose = true,
            // What pg_stat_activity shows for this server's connections unless the URL names it.
            ApplicationName = parts.ApplicationName ?? "vega-lite",
        };
        builder.Host = parts.Host ?? DefaultHost(builder.Port, socketExists);
        if (parts.User is { Length: > 0 } user)
        {
            builder.Username = user; // unset: Npgsql takes PGUSER, then the OS user, as libpq does
        }
        if (parts.Password is { Length: > 0 } password)
        {
            builder.Password = password;
        }
        if (parts.Database is { Length: > 0 } database)
        {
            builder.Database = database;
        }
        if (parts.SslMode is { } sslMode)
        {
            builder.SslMode = sslMode;
        }
        if (parts.RootCertificate is not null)
        {
            builder.RootCertificate = parts.RootCertificate;
        }
        if (parts.Certificate is not null)
        {
            builder.SslCertificate = parts.Certificate;
        }
        if (parts.Key is not null)
        {
            builder.SslKey = parts.Key;
        }
        if (parts.Options is not null)
        {
            builder.Options = parts.Options;
        }
        return builder;
    }

    /// <summary>The URL with every password in it (user info, <c>password=</c>) replaced by <c>***</c>, on one line.
    /// Cautious where the URL is malformed: everything from the user info's first <c>:</c> to the URL's last
    /// <c>@</c> goes, so a password with an unencoded <c>/</c>, <c>?</c> or <c>@</c> is hidden too.</summary>
    public static string Redact(string url)
    {
        var text = url;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var at = text.LastIndexOf('@');
        if (at > start)
        {
            var colon = text.IndexOf(':', start, at - start);
            if (colon >= 0)
            {
                text = string.Concat(text.AsSpan(0, colon + 1), "***", text.AsSpan(at));
            }
        }
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var key = text.IndexOf("password=", i, StringComparison.OrdinalIgnoreCase);
            if (key < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }
            var valueStart = key + "password=".Length;
            result.Append(text, i, valueStart - i).Append("***");
            // The value ends at the next '&' that starts a known parameter: a password with an unencoded '&' is
            // hidden whole.
            var end = valueStart;
            while ((end = text.IndexOf('&', end)) >= 0 && !StartsKnownParameter(text, end + 1))
            {
                end++;
            }
            i = end < 0 ? text.Length : end;
        }
        // One line: control characters (a newline pasted into the setting) are shown escaped.
        var line = new StringBuilder(result.Length);
        foreach (var c in result.ToString())
        {
            line.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }
        return line.ToString();
    }

    private static bool StartsKnownParameter(string text, int start)
    {
        var equals = text.IndexOf('=', start);
        return equals > start && IsKnown(text[start..equals]);
    }

    private static bool IsKnown(string key) => key switch
    {
        "sslmode" or "ssl-mode" or "sslrootcert" or "ssl-root-cert" or "ssl-ca" or "sslcert" or "ssl-cert" or "sslkey" or "ssl-key"
            or "application_name" or "options" or "host" or "hostaddr" or "port" or "user" or "password" or "dbname" => true,
        _ => false,
    };

    private static string DefaultHost(int port, Func<string, bool> socketExists)
    {
        foreach (var directory in DefaultSocketDirectories)
        {
            if (socketExists(Path.Combine(directory, $".s.PGSQL.{port}")))
            {
                return directory;
            }
        }
        return "localhost";
    }
}
