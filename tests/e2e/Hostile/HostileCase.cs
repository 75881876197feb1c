namespace Vega.Lite.E2E.Hostile;

/// <summary>What a hostile case's answer must be.</summary>
internal enum Rule
{
    /// <summary>Any 2xx or 4xx with a message; never a 5xx, a hang or a dropped connection.</summary>
    NoServerError,

    /// <summary>A 4xx with a message: the input is invalid.</summary>
    Rejected,

    /// <summary>A 2xx: the input is valid (a control, or a valid NAR the server must take).</summary>
    Accepted,

    /// <summary>401 or 403: a forged, broken or insufficient credential gets no access.</summary>
    Denied,

    /// <summary>HEAD answers with the status GET gives on the same URL.</summary>
    SameStatusAsGet,
}

/// <summary>
/// One generated hostile input: a unique name, the request (built against the running server's context) and the
/// rule its answer must satisfy, with what to check afterwards when it is an upload.
/// </summary>
internal sealed record HostileCase(string Name, Rule Rule, Func<HostileContext, HostileRequest> Build)
{
    /// <summary>The category (the name's first segment), for counting.</summary>
    public string Category => Name[..Name.IndexOf('/')];

    /// <summary>An upload: when not accepted, storage (blob files, DB rows) must be unchanged.</summary>
    public bool Stores { get; init; }

    /// <summary>The store path hash an upload-path or narinfo PUT would make visible in the private cache.</summary>
    public string? ProbeHash { get; init; }

    /// <summary>The NAR file name a Nix NAR PUT would record in the private cache (HEAD on it must be 404 if refused).</summary>
    public string? ProbeNixFile { get; init; }

    /// <summary>Text that must not appear in the served narinfo of <see cref="ProbeHash"/> (an injected line).</summary>
    public string? NarInfoMustNotContain { get; init; }

    /// <summary>
    /// Malformed HTTP that Kestrel answers itself before any route (an empty 400/413/414, or 505 for an unknown HTTP
    /// version) or, for a request whose body is cut short, by closing the connection: allowed; any other 5xx or a hang
    /// is not. (An empty 431, headers too large, is allowed for every case: Kestrel sends it before any route runs.)
    /// </summary>
    public bool ProtocolLevel { get; init; }
}

/// <summary>
/// A request as the case sends it: through HttpClient (method, target relative to the server, headers, body), or as
/// exact bytes on a socket (<see cref="Raw"/>) for what HttpClient refuses to send.
/// </summary>
internal sealed record HostileRequest(string Method, string Target)
{
    public List<KeyValuePair<string, string>> Headers { get; init; } = [];

    public byte[]? Body { get; init; }

    /// <summary>Send the body chunked, without Content-Length (as the attic client does).</summary>
    public bool Chunked { get; init; }

    /// <summary>The whole request as bytes (request line, headers, body), sent on a fresh connection.</summary>
    public byte[]? Raw { get; init; }

    /// <summary>With <see cref="Raw"/>: shut down the sending side after writing, as a client that gives up.</summary>
    public bool HalfClose { get; init; }

    public HostileRequest With(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}

/// <summary>The answer: status (null when the connection closed without one), headers that matter, body.</summary>
internal sealed record HostileResponse(int? Status, string? Allow, byte[] Body, bool TimedOut, string? Error)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 600)));

    public override string ToString() =>
        TimedOut ? "no answer within the time limit" : Status is null ? $"connection closed without an answer ({Error})" : $"{Status} {BodyText}";
}
