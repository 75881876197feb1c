using Npgsql;
using Vega.Lite.Config;
using Vega.Lite.Metadata.Postgres;

namespace Vega.Lite.Tests.Metadata;

/// <summary>Attic's (sqlx's) PostgreSQL URLs turned into Npgsql connection strings (PostgresUrl).</summary>
public sealed class PostgresUrlTests
{
    private static NpgsqlConnectionStringBuilder Parse(string url, params string[] sockets) =>
        PostgresUrl.ToBuilder(url, sockets.Contains);

    private static string Refused(string url) => Assert.Throws<ConfigException>(() => Parse(url)).Message;

    [Fact]
    public void Both_schemes_and_every_part_of_the_url()
    {
        foreach (var scheme in new[] { "postgres", "postgresql", "PostgreSQL" })
        {
            var b = Parse($"{scheme}://attic:secret@db.example.org:6543/attic_db");
            Assert.Equal("db.example.org", b.Host);
            Assert.Equal(6543, b.Port);
            Assert.Equal("attic", b.Username);
            Assert.Equal("secret", b.Password);
            Assert.Equal("attic_db", b.Database);
        }
    }

    [Fact]
    public void Defaults_port_5432_a_bounded_pool_and_server_timeouts()
    {
        var b = Parse("postgres://attic@db/attic");
        Assert.Equal(5432, b.Port);
        Assert.Null(b.Password);
        Assert.Equal(PostgresUrl.MaxPoolSize, b.MaxPoolSize);
        Assert.Equal(16, b.MaxPoolSize);
        Assert.Equal(15, b.Timeout);
        Assert.Equal(30, b.CommandTimeout);
        Assert.Equal("vega-lite", b.ApplicationName);
        Assert.Equal(SslMode.Prefer, b.SslMode); // Npgsql's default, and sqlx's
        // The string Npgsql gets holds the same, keyword form.
        var again = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://attic@db/attic"));
        Assert.Equal("db", again.Host);
        Assert.Equal(16, again.MaxPoolSize);
    }

    [Fact]
    public void Without_a_user_the_username_is_left_to_npgsql()
    {
        // Npgsql then takes PGUSER, then the OS user, as libpq does (not sqlx's regression, attic#352).
        var b = Parse("postgresql://db.example.org/attic");
        Assert.Null(b.Username);
        Assert.Null(b.Password);
        Assert.Equal("attic", b.Database);
        Assert.Null(Parse("postgres://:@db/attic").Username);
        Assert.Null(Parse("postgres://db").Database);
        Assert.Null(Parse("postgres://db/").Database);
    }

    [Fact]
    public void User_password_and_database_are_percent_decoded()
    {
        var b = Parse("postgres://us%65r%20name:p%40ss%3A%2F%3F%23%25w%C3%B6rd@db/at%2Ftic%20db");
        Assert.Equal("user name", b.Username);
        Assert.Equal("p@ss:/?#%wörd", b.Password);
        Assert.Equal("at/tic db", b.Database);
        Assert.Equal("p@ss", Parse("postgres://attic:p%40ss@db/attic").Password);
        // A '+' is a plus outside the query, a space inside it (form encoding, as the url crate reads it).
        Assert.Equal("a+b", Parse("postgres://attic:a+b@db/x").Password);
        Assert.Equal("a b", Parse("postgres://db/x?password=a+b").Password);
        Assert.Equal("a+b&c", Parse("postgres://db/x?password=a%2Bb%26c").Password);
        // An unencoded '@' in the password: the last one ends the user info, as in the WHATWG URL standard.
        Assert.Equal("p@ss", Parse("postgres://attic:p@ss@db/attic").Password);
    }

    [Fact]
    public void Ipv6_hosts_are_in_brackets()
    {
        var b = Parse("postgres://attic@[::1]:5433/attic");
        Assert.Equal("::1", b.Host);
        Assert.Equal(5433, b.Port);
        Assert.Equal("2001:db8::10", Parse("postgres://[2001:db8::10]/attic").Host);
        Assert.Equal(5432, Parse("postgres://[2001:db8::10]/attic").Port);
        Assert.Contains("IPv6", Refused("postgres://[::1/attic"));
        Assert.Contains("IPv6", Refused("postgres://[db.example.org]/attic"));
        Assert.Contains("IPv6", Refused("postgres://[::1]x/attic"));
        Assert.Contains("host", Refused("postgres://::1/attic"));
    }

    [Fact]
    public void A_socket_directory_as_the_host_parameter_or_a_percent_encoded_host()
    {
        // The NixOS module's form: no host in the URL, the socket directory in ?host=.
        var b = Parse("postgresql:///atticd?host=/run/postgresql");
        Assert.Equal("/run/postgresql", b.Host);
        Assert.Equal("atticd", b.Database);
        Assert.Null(b.Username);
        Assert.Equal("/run/postgresql", Parse("postgres://%2Frun%2Fpostgresql/atticd").Host);
        Assert.Equal("/run/postgresql", Parse("postgres://attic@db/atticd?host=%2Frun%2Fpostgresql").Host); // the query wins
        Assert.Equal("other.example.org", Parse("postgres://db/atticd?host=other.example.org").Host);
        Assert.Equal("10.0.0.7", Parse("postgres://db/atticd?hostaddr=10.0.0.7").Host);
    }

    [Fact]
    public void Without_a_host_the_default_socket_is_used_when_there_is_one_else_localhost()
    {
        // sqlx's default_host: the first directory holding .s.PGSQL.PORT, else localhost.
        Assert.Equal("localhost", Parse("postgres:///attic").Host);
        Assert.Equal("/var/run/postgresql", Parse("postgres:///attic", "/var/run/postgresql/.s.PGSQL.5432", "/tmp/.s.PGSQL.5432").Host);
        Assert.Equal("/tmp", Parse("postgres:///attic", "/tmp/.s.PGSQL.5432").Host);
        Assert.Equal("localhost", Parse("postgres:///attic?port=6000", "/tmp/.s.PGSQL.5432").Host);
        Assert.Equal("/tmp", Parse("postgres://:6000/attic", "/tmp/.s.PGSQL.6000").Host);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("Verify-Full", SslMode.VerifyFull)]
    public void Sslmode_values(string value, SslMode mode)
    {
        Assert.Equal(mode, Parse($"postgres://db/attic?sslmode={value}").SslMode);
        Assert.Equal(mode, Parse($"postgres://db/attic?ssl-mode={value}").SslMode); // sqlx's spelling
    }

    [Fact]
    public void The_other_query_parameters()
    {
        var b = Parse("postgres://db/attic?sslmode=verify-full&sslrootcert=/etc/ssl/pg%20ca.pem&sslcert=/c.pem&sslkey=/k.pem"
                      + "&application_name=attic%20server&options=-c%20search_path%3Dattic+-c+statement_timeout%3D5s"
                      + "&port=6000&user=u%40x&password=p%26w&dbname=other");
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
        Assert.Equal("/etc/ssl/pg ca.pem", b.RootCertificate);
        Assert.Equal("/c.pem", b.SslCertificate);
        Assert.Equal("/k.pem", b.SslKey);
        Assert.Equal("attic server", b.ApplicationName);
        Assert.Equal("-c search_path=attic -c statement_timeout=5s", b.Options);
        Assert.Equal(6000, b.Port);
        Assert.Equal("u@x", b.Username);
        Assert.Equal("p&w", b.Password);
        Assert.Equal("other", b.Database);
        // The query wins over the URL's own parts, as in sqlx.
        var over = Parse("postgres://a:b@db:7000/one?port=7001&user=c&password=d&dbname=two");
        Assert.Equal((7001, "c", "d", "two"), (over.Port, over.Username, over.Password, over.Database));
        Assert.Equal("/ca.pem", Parse("postgres://db/x?ssl-root-cert=/ca.pem").RootCertificate);
        Assert.Equal("/ca.pem", Parse("postgres://db/x?ssl-ca=/ca.pem").RootCertificate);
        Assert.Equal("db", Parse("postgres://db/x?").Host);
    }

    [Fact]
    public void Errors_never_show_the_password()
    {
        var messages = new[]
        {
            Refused("postgres://attic:hunter2@db/attic?sslmode=sometimes"),
            Refused("postgres://attic:hunter2@db/attic?colour=blue"),
            Refused("postgres://attic:hunter2@db:99999/attic"),
            Refused("postgres://attic:hun%zzter2@db/attic"),
            Refused("postgres://attic:hunter2@db/attic?password=hunter2&sslmode=x"),
            Refused("postgres://db/attic?password=hunter2&colour=blue"),
            // Passwords with characters that should have been encoded: the parse goes wrong, the error still hides it.
            Refused("postgres://attic:hun/ter2@db/attic"),
            Refused("postgres://attic:hun#ter2@db/attic"),
            Refused("postgres://attic:55?hunter2=1@db/attic"),
            Refused("postgres://db/attic?password=hun&ter2"),
            Refused("postgres://db/attic?password=hun&ter2=x"),
            Refused("postgres://attic:hunter2@db/attic?port=1\n2"),
        };
        foreach (var message in messages)
        {
            Assert.DoesNotContain("hun", message);
            Assert.DoesNotContain("ter2", message);
            Assert.DoesNotContain('\n', message);
            Assert.StartsWith("database URL \"", message);
        }
        Assert.Contains("postgres://attic:***@db/attic?sslmode=sometimes", messages[0]);
        Assert.Contains("sslmode 'sometimes'", messages[0]);
        Assert.Contains("'colour'", messages[1]);
        Assert.Contains("password=***&sslmode=x", messages[4]);
        Assert.Equal("postgres://u:***@h/d?password=***&sslmode=disable", PostgresUrl.Redact("postgres://u:pw@h/d?password=pw&sslmode=disable"));
        // Up to the next known parameter: a password with an unencoded '&' is hidden whole.
        Assert.Equal("postgres://h/d?password=***&port=1", PostgresUrl.Redact("postgres://h/d?password=p&w=x&port=1"));
        Assert.Equal("postgres://u@h/d", PostgresUrl.Redact("postgres://u@h/d"));
    }

    [Theory]
    [InlineData("sqlite:///var/lib/atticd/server.db", "postgres://")]
    [InlineData("postgres:/db/attic", "postgres://")]
    [InlineData("mysql://db/attic", "postgres://")]
    [InlineData("postgres://db/attic?colour=blue", "'colour'")]
    [InlineData("postgres://db/attic?sslmode", "without a value")]
    [InlineData("postgres://db/attic?sslmode=", "sslmode ''")]
    [InlineData("postgres://db/attic?sslrootcert=", "empty")]
    [InlineData("postgres://db/attic?port=0", "port")]
    [InlineData("postgres://db/attic?port=65536", "port")]
    [InlineData("postgres://db/attic?port=54x", "port")]
    [InlineData("postgres://db:-1/attic", "port")]
    [InlineData("postgres://db:5432:5433/attic", "port")]
    [InlineData("postgres://db/attic?hostaddr=db.example.org", "hostaddr")]
    [InlineData("postgres://db/attic?host=a%20b", "host")]
    [InlineData("postgres://d%20b/attic", "host")]
    [InlineData("postgres://db!/attic", "host")]
    [InlineData("postgres://db/at/tic", "%2F")]
    [InlineData("postgres://db/attic#frag", "'#'")]
    [InlineData("postgres://db/at tic", "space")]
    [InlineData("postgres://db/attic%", "'%'")]
    [InlineData("postgres://db/attic%4", "'%'")]
    [InlineData("postgres://db/attic%ff", "UTF-8")]
    [InlineData("postgres://db/x@y", "'@'")]
    [InlineData("", "postgres://")]
    public void Junk_is_refused(string url, string reason)
    {
        var message = Refused(url);
        Assert.Contains(reason, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void The_data_source_builds_without_connecting()
    {
        using var source = PostgresUrl.CreateDataSource("postgres://attic:secret@127.0.0.1:1/attic?sslmode=disable");
        var b = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        Assert.Equal("127.0.0.1", b.Host);
        Assert.Equal("attic", b.Database);
        Assert.Throws<ConfigException>(() => PostgresUrl.CreateDataSource("postgres://db/attic?colour=blue"));
    }
}
