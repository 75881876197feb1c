using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vega.Lite.E2E.Support;

/// <summary>One nginx server block: a name (for its URL and logs), the body of its <c>location /</c>, plain HTTP or TLS.</summary>
/// <param name="HttpLevel">directives for the <c>http</c> block beside the site's server (an <c>upstream</c>)</param>
public sealed record NginxSite(string Name, string Location, bool Tls = false, string HttpLevel = "");

/// <summary>One request as a site's access log recorded it (the log format <see cref="NginxProcess"/> writes).</summary>
public sealed record NginxRequest(string Method, string Uri, int Status, long RequestLength, string TransferEncoding);

/// <summary>
/// A real nginx (Debian's nginx-light), unprivileged in its own prefix directory, one 127.0.0.1 port per site, each site
/// with its own access and error log. Stopped, and its directory deleted, when disposed.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    /// <summary>The nginx message for a request body written to disk before it is proxied; logged at warn level.</summary>
    public const string BufferedToFileWarning = "a client request body is buffered to a temporary file";

    /// <summary>The nginx message for a response spooled to disk because the client reads slower than the upstream sends.</summary>
    public const string ResponseBufferedToFileWarning = "an upstream response is buffered to a temporary file";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly IReadOnlyDictionary<string, (NginxSite Site, int Port)> _sites;
    private readonly X509Certificate2? _certificate;

    private NginxProcess(Process process, string directory, IReadOnlyDictionary<string, (NginxSite, int)> sites, X509Certificate2? certificate)
    {
        _process = process;
        Directory = directory;
        _sites = sites;
        _certificate = certificate;
    }

    public string Directory { get; }

    /// <summary>Debian's nginx; /usr/sbin is not on every user's PATH.</summary>
    private static string Binary => File.Exists("/usr/sbin/nginx")
        ? "/usr/sbin/nginx"
        : throw new InvalidOperationException("nginx is not installed: scripts/install-test-deps.sh installs nginx-light");

    /// <summary>The proxy directives the NixOS module puts into its vhost's <c>location /</c>: the one shared file, included.</summary>
    public static string SharedProxyDirectives => RepositoryFile("nixos-module/nginx-proxy.conf");

    /// <summary>The module's <c>location /</c>: the shared directives and the proxy_pass to the backend.</summary>
    public static string ModuleLocation(int backendPort) => $"include {SharedProxyDirectives};\nproxy_pass http://127.0.0.1:{backendPort};";

    /// <summary>A <c>location /</c> with nothing but proxy_pass: what nginx does with its defaults.</summary>
    public static string BareLocation(int backendPort) => $"proxy_pass http://127.0.0.1:{backendPort};";

    public static async Task<NginxProcess> StartAsync(params NginxSite[] sites)
    {
        var binary = Binary; // before anything is created that would need cleaning up
        var directory = Path.Combine(Path.GetTempPath(), "vega-e2e-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var ports = sites.ToDictionary(s => s.Name, s => (s, VegaLiteProcess.FreePort()));
        var certificate = sites.Any(s => s.Tls) ? WriteSelfSignedCertificate(directory) : null;
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), Config(directory, ports.Values));

        // -e: the error log before the config is read; Debian's compiled-in one is /var/log/nginx. daemon off keeps the
        // master our child, so its exit and stderr are seen.
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", directory, "-c", "nginx.conf", "-e", Path.Combine(directory, "error.log") })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start nginx");
        var nginx = new NginxProcess(process, directory, ports, certificate);
        process.OutputDataReceived += (_, e) => nginx.Append(e.Data);
        process.ErrorDataReceived += (_, e) => nginx.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await nginx.WaitUntilServingAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
        return nginx;
    }

    public int Port(string site) => _sites[site].Port;

    public string Url(string site) => $"{(_sites[site].Site.Tls ? "https" : "http")}://127.0.0.1:{Port(site)}";

    public string AccessLog(string site) => ReadLog($"{site}.access.log");

    public string ErrorLog(string site) => ReadLog($"{site}.error.log");

    /// <summary>The nginx process's own error log and output: start-up and configuration errors land there.</summary>
    public string MainLog
    {
        get
        {
            lock (_output)
            {
                return ReadLog("error.log") + _output;
            }
        }
    }

    /// <summary>Every log of this nginx, for a failing assertion's message.</summary>
    public string Describe() =>
        string.Join("\n", _sites.Keys.SelectMany(s => new[] { $"--- nginx {s} access log", AccessLog(s), $"--- nginx {s} error log", ErrorLog(s) }))
        + "\n--- nginx main log\n" + MainLog;

    /// <summary>A site's recorded requests.</summary>
    public IReadOnlyList<NginxRequest> Requests(string site) =>
        [.. AccessLog(site).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var f = line.Split(' ');
            return new NginxRequest(f[0], f[1], int.Parse(f[2]), long.Parse(f[3]), f[4]);
        })];

    /// <summary>
    /// Waits (bounded) for a request matching <paramref name="match"/> to be logged: nginx writes the access log line
    /// after the response went out, so a client may see the answer a moment before the line exists.
    /// </summary>
    public async Task<NginxRequest> WaitForRequestAsync(string site, Func<NginxRequest, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (Requests(site).FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"nginx site {site} logged no {what} within 10 s\n{Describe()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>An HttpClient that trusts this nginx's self-signed certificate (and only it) for its TLS sites.</summary>
    public HttpClient CreateClient(string? bearerToken = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                _certificate is not null && presented is not null && presented.Thumbprint == _certificate.Thumbprint,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + bearerToken);
        }
        return client;
    }

    private static string Config(string directory, IEnumerable<(NginxSite Site, int Port)> sites)
    {
        var config = new StringBuilder(
            $$"""
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 64; }
            http {
              # Debian compiles in /var/lib/nginx for these; an unprivileged prefix keeps them inside.
              client_body_temp_path {{directory}}/client_body_temp;
              proxy_temp_path {{directory}}/proxy_temp;
              fastcgi_temp_path {{directory}}/fastcgi_temp;
              uwsgi_temp_path {{directory}}/uwsgi_temp;
              scgi_temp_path {{directory}}/scgi_temp;
              log_format vega '$request_method $uri $status $request_length $http_transfer_encoding';

            """);
        foreach (var (site, port) in sites)
        {
            var tls = site.Tls
                ? $"ssl;\n    ssl_certificate {directory}/cert.pem;\n    ssl_certificate_key {directory}/key.pem;"
                : ";";
            config.Append(site.HttpLevel.Length > 0 ? $"  {site.HttpLevel.ReplaceLineEndings("\n  ")}\n" : "");
            config.Append(
                $$"""
                  server {
                    listen 127.0.0.1:{{port}} {{tls}}
                    access_log {{directory}}/{{site.Name}}.access.log vega;
                    # warn, so that a request body buffered to a temporary file is reported.
                    error_log {{directory}}/{{site.Name}}.error.log warn;
                    location / {
                      {{site.Location.ReplaceLineEndings("\n      ")}}
                    }
                  }

                """);
        }
        return config.Append("}\n").ToString();
    }

    /// <summary>A P-256 certificate for 127.0.0.1 valid for a day, as the PEM files nginx reads.</summary>
    private static X509Certificate2 WriteSelfSignedCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    /// <summary>A file of this repository, found by walking up from the test assembly (tests/e2e/bin/…).</summary>
    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    private string ReadLog(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Every site answers some HTTP status (the backend's, or nginx's 502 if there is none): nginx is serving.</summary>
    private async Task WaitUntilServingAsync(TimeSpan limit)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow + limit;
        foreach (var site in _sites.Keys)
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{MainLog}");
                }
                try
                {
                    using var response = await client.GetAsync(Url(site) + "/");
                    break;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"nginx site {site} did not answer within {limit}:\n{MainLog}");
                }
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _certificate?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>nginx's fast shutdown (SIGTERM through <c>-s stop</c>), bounded; then the master and its workers are killed.</summary>
    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await Processes.RunAsync(Binary, ["-p", Directory, "-c", "nginx.conf", "-e", Path.Combine(Directory, "error.log"), "-s", "stop"],
                    timeout: TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
            }
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        _process.Dispose();
    }
}
