using System.Net;
using System.Text;
using Npgsql;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata.Postgres;

/// <summary>The URL's syntax: <see cref="Parser"/> reads a URL into its <see cref="Parts"/>, or fails naming what is wrong.</summary>
internal static partial class PostgresUrl
{
    private sealed class Parts
    {
        public string? Host;
        public int? Port;
        public string? User;
        public string? Password;
        public string? Database;
        public SslMode? SslMode;
        public string? RootCertificate;
        public string? Certificate;
        public string? Key;
        public string? ApplicationName;
        public string? Options;
    }

    private sealed class Parser(string url)
    {
        private readonly Parts _parts = new();

        public Parts Parse()
        {
            foreach (var c in url)
            {
                if (c <= ' ' || c == '\x7f')
                {
                    throw Fail("has a space or control character (percent-encode it, e.g. %20)");
                }
            }
            string rest;
            if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            {
                rest = url["postgres://".Length..];
            }
            else if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                rest = url["postgresql://".Length..];
            }
            else
            {
                throw Fail("is not a postgres:// or postgresql:// URL");
            }
            if (rest.Contains('#'))
            {
                throw Fail("has a '#' (a fragment, or a '#' in a password that must be percent-encoded as %23)");
            }
            var queryStart = rest.IndexOf('?');
            var query = queryStart < 0 ? null : rest[(queryStart + 1)..];
            var beforeQuery = queryStart < 0 ? rest : rest[..queryStart];
            var pathStart = beforeQuery.IndexOf('/');
            var authority = pathStart < 0 ? beforeQuery : beforeQuery[..pathStart];
            var path = pathStart < 0 ? null : beforeQuery[(pathStart + 1)..];

            // An '@' after the host is a user name or password with an unencoded '/' (or junk): refused without
            // naming any piece of the URL, which could be a piece of the password. One in the query may be legitimate
            // (password=a@b), or the rest of a password with an unencoded '?': no query parameter is named then.
            if (path?.Contains('@') ?? false)
            {
                throw Fail("has an '@' after the host: a '/', '?' or '@' in a user name or password must be percent-encoded (%2F, %3F, %40)");
            }
            var atInQuery = query?.Contains('@') ?? false;

            ParseAuthority(authority);
            if (path is { Length: > 0 })
            {
                if (path.Contains('/'))
                {
                    throw Fail("has a '/' in the database name: percent-encode it as %2F");
                }
                _parts.Database = Decode(path, plusIsSpace: false, "the database name");
            }
            if (query is not null)
            {
                ParseQuery(query, atInQuery);
            }
            return _parts;
        }

        private void ParseAuthority(string authority)
        {
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                var userInfo = authority[..at];
                var colon = userInfo.IndexOf(':');
                var user = colon < 0 ? userInfo : userInfo[..colon];
                if (user.Length > 0)
                {
                    _parts.User = Decode(user, plusIsSpace: false, "the user name");
                }
                if (colon >= 0)
                {
                    _parts.Password = Decode(userInfo[(colon + 1)..], plusIsSpace: false, "the password");
                }
                authority = authority[(at + 1)..];
            }
            string host;
            string? port = null;
            if (authority.StartsWith('['))
            {
                var close = authority.IndexOf(']');
                if (close < 0)
                {
                    throw Fail("has a '[' without its ']' around an IPv6 address");
                }
                host = authority[1..close];
                if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                {
                    throw Fail("has brackets around something that is not an IPv6 address");
                }
                var after = authority[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                    {
                        throw Fail("has something other than :port after the IPv6 address");
                    }
                    port = after[1..];
                }
            }
            else
            {
                var colon = authority.IndexOf(':');
                host = colon < 0 ? authority : authority[..colon];
                port = colon < 0 ? null : authority[(colon + 1)..];
                if (host.Length > 0 && host[0] == '%')
                {
                    // sqlx: a percent-encoded host starting with '/' is a socket directory.
                    host = Decode(host, plusIsSpace: false, "the host");
                    if (!host.StartsWith('/'))
                    {
                        throw Fail("has a percent-encoded host that is not a socket directory (one starting with /)");
                    }
                }
                else if (!IsHostName(host))
                {
                    throw Fail("has a malformed host name (letters, digits, '.', '-' and '_'; an IPv6 address goes in brackets)");
                }
            }
            if (host.Length > 0)
            {
                _parts.Host = host;
            }
            if (port is { Length: > 0 }) // "host:" has no port, as in the url crate
            {
                _parts.Port = Port(port, "the port after the host");
            }
        }

        private void ParseQuery(string query, bool atInQuery)
        {
            if (query.Length == 0)
            {
                return;
            }
            var previousWasPassword = false;
            foreach (var pair in query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                var rawKey = equals < 0 ? pair : pair[..equals];
                var key = Decode(rawKey, plusIsSpace: true, "a query parameter's name");
                var known = IsKnown(key);
                if (!known || equals < 0)
                {
                    // A name that followed password=, or any name when an '@' stands where none belongs, may be a
                    // piece of a password with an unencoded '&': not shown.
                    var shown = previousWasPassword || atInQuery || !IsHostName(key) ? "a query parameter" : $"query parameter '{key}'";
                    throw Fail(!known
                        ? $"has an unknown {shown} (known: sslmode, sslrootcert, sslcert, sslkey, application_name, options, host, hostaddr, port, user, password, dbname; a '&' in a password must be percent-encoded as %26)"
                        : $"has {shown} without a value (name=value)");
                }
                var secret = key == "password";
                var value = Decode(pair[(equals + 1)..], plusIsSpace: true, secret ? "the password" : $"query parameter '{key}'");
                Apply(key, value);
                previousWasPassword = secret;
            }
        }

        private void Apply(string key, string value)
        {
            switch (key)
            {
                case "sslmode" or "ssl-mode":
                    _parts.SslMode = value.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw Fail($"has sslmode '{Printable(value)}' (disable, allow, prefer, require, verify-ca or verify-full)"),
                    };
                    break;
                case "sslrootcert" or "ssl-root-cert" or "ssl-ca":
                    _parts.RootCertificate = NonEmpty(key, value);
                    break;
                case "sslcert" or "ssl-cert":
                    _parts.Certificate = NonEmpty(key, value);
                    break;
                case "sslkey" or "ssl-key":
                    _parts.Key = NonEmpty(key, value);
                    break;
                case "application_name":
                    _parts.ApplicationName = value;
                    break;
                case "options":
                    _parts.Options = value;
                    break;
                case "host":
                    // A directory (starting with '/') is a Unix socket directory; Npgsql's Host takes either.
                    if (!value.StartsWith('/') && !IsHostName(value) && !IPAddress.TryParse(value, out _))
                    {
                        throw Fail($"has a malformed host parameter '{Printable(value)}'");
                    }
                    _parts.Host = value;
                    break;
                case "hostaddr":
                    if (!IPAddress.TryParse(value, out var address))
                    {
                        throw Fail($"has hostaddr '{Printable(value)}', which is not an IP address");
                    }
                    _parts.Host = address.ToString();
                    break;
                case "port":
                    _parts.Port = Port(value, "the port parameter");
                    break;
                case "user":
                    _parts.User = value;
                    break;
                case "password":
                    _parts.Password = value;
                    break;
                case "dbname":
                    _parts.Database = value;
                    break;
            }
        }

        private string NonEmpty(string key, string value) =>
            value.Length > 0 ? value : throw Fail($"has an empty {key} parameter");

        private int Port(string text, string what)
        {
            if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit) || int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 65535)
            {
                throw Fail($"has {what} '{Printable(text)}', which is not a port number (1-65535)");
            }
            return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static bool IsHostName(string host) =>
            host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

        /// <summary>Percent-decoding; the bytes must be UTF-8. In the query, '+' is a space (form encoding, as the url
        /// crate's query_pairs reads it).</summary>
        private string Decode(string text, bool plusIsSpace, string what)
        {
            if (!text.Contains('%') && !(plusIsSpace && text.Contains('+')))
            {
                return text;
            }
            var bytes = new List<byte>(text.Length);
            Span<byte> scratch = stackalloc byte[4];
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    {
                        throw Fail($"has a '%' in {what} that is not followed by two hexadecimal digits (write a '%' as %25)");
                    }
                    bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else if (c == '+' && plusIsSpace)
                {
                    bytes.Add((byte)' ');
                }
                else if (char.IsSurrogate(c))
                {
                    if (i + 1 >= text.Length || !char.IsSurrogatePair(c, text[i + 1]))
                    {
                        throw Fail($"has a lone surrogate in {what}");
                    }
                    bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, 2)));
                    i++;
                }
                else
                {
                    var n = Encoding.UTF8.GetBytes([c], scratch);
                    for (var k = 0; k < n; k++)
                    {
                        bytes.Add(scratch[k]);
                    }
                }
            }
            try
            {
                return StrictUtf8.GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                throw Fail($"has percent-encoded bytes in {what} that are not UTF-8");
            }
        }

        /// <summary>A non-secret value for an error message: at most 40 characters, no control characters.</summary>
        private static string Printable(string value)
        {
            var cut = value.Length > 40 ? value[..40] + "…" : value;
            return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        }

        private ConfigException Fail(string problem) => new($"database URL \"{Redact(url)}\" {problem}");
    }
}
