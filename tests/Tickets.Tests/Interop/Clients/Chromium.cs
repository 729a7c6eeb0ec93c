using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// Headless Chromium (Debian's /usr/bin/chromium, BoringSSL inside) fetching pages from the server in ONE browser
/// process. Chromium keeps its TLS session cache in memory only, so resumption can only be seen between requests of
/// the same process: a local HTML file (file://) runs a script that fetches each path in turn, each fetch starting
/// only after the previous response was read to the end. The --www server sends its tickets right after the
/// handshake, before the page, so by then the browser has the previous connection's tickets; and it closes the
/// connection after the page, so every fetch needs a new TLS connection.
/// </summary>
public static partial class Chromium
{
    /// <summary>
    /// How Chromium must run here. Root needs --no-sandbox; the background-networking, component-update and sync
    /// switches keep it from dialling out (the closed network refuses those connections); --disable-quic keeps it
    /// on TCP; --ignore-certificate-errors accepts the server's embedded self-signed certificate; a fresh profile
    /// per run means no session cache or HTTP cache is carried over from another test.
    /// </summary>
    private static readonly string[] Switches =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--ignore-certificate-errors",
        // The server's page has no Access-Control-Allow-Origin header, so a file:// page could fetch it only with
        // mode 'no-cors' and not read it. Lifting the same-origin check lets the script read the page the browser
        // received (the server's account of the connection, "Connection: N" included); TLS is not affected.
        "--disable-web-security",
    ];

    /// <summary>
    /// The script: fetch each path in order, then write the pages as URI-encoded JSON into #result, which
    /// --dump-dom prints. URI encoding leaves no character that HTML serialization would escape.
    /// </summary>
    private const string PageTemplate = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>tickets chromium interop</title></head>
        <body><pre id="result"></pre>
        <script>
        'use strict';
        const origin = ORIGIN;
        const paths = PATHS;
        (async () => {
          const results = [];
          for (const path of paths) {
            try {
              // 'no-store': every request goes to the server, never to the HTTP cache.
              const response = await fetch(origin + path, { cache: 'no-store' });
              // Reading the body to the end means the connection has delivered its tickets (sent before the page).
              results.push({ path, status: response.status, page: await response.text() });
            } catch (error) {
              // Stop here: later requests would no longer follow a completed connection.
              results.push({ path, error: String(error) });
              break;
            }
          }
          document.getElementById('result').textContent = encodeURIComponent(JSON.stringify(results));
        })();
        </script>
        </body></html>
        """;

    /// <summary>One fetch as the page script saw it: the path and the server's page.</summary>
    public sealed record Fetched(string Path, string Page);

    /// <summary>
    /// Fetches https://127.0.0.1:PORT{path} for each path, in order, from a single Chromium process, and returns the
    /// pages. Fails with Chromium's output when it cannot start, times out, or a fetch fails.
    /// </summary>
    public static async Task<IReadOnlyList<Fetched>> FetchInOneBrowserAsync(int port, IReadOnlyList<string> paths)
    {
        var directory = InteropPaths.NewDirectory("chromium");
        var profile = Path.Combine(directory, "profile");
        var page = Path.Combine(directory, "fetch.html");
        var origin = $"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await File.WriteAllTextAsync(
            page,
            PageTemplate.Replace("ORIGIN", JsonSerializer.Serialize(origin), StringComparison.Ordinal)
                .Replace("PATHS", JsonSerializer.Serialize(paths), StringComparison.Ordinal));

        // --dump-dom alone would print the DOM at the load event, before any fetch finished. With a virtual time
        // budget Chromium prints it once the budget is used up, and virtual time stands still while a network
        // request is pending, so the dump comes after the last fetch: a condition, not a guess at wall-clock time.
        // The real deadline below (ExternalProgram kills the process tree) is only there so nothing can hang.
        var result = await ExternalProgram.RunAsync(
            "chromium",
            [.. Switches, $"--user-data-dir={profile}", "--virtual-time-budget=30000", "--dump-dom", new Uri(page).AbsoluteUri],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Describe());

        var match = ResultElement().Match(result.StandardOutput);
        Assert.True(match.Success && match.Groups[1].Length > 0, $"the page script did not finish:\n{result.Describe()}");
        using var json = JsonDocument.Parse(Uri.UnescapeDataString(match.Groups[1].Value));
        var fetched = new List<Fetched>();
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            var path = entry.GetProperty("path").GetString() ?? "";
            if (entry.TryGetProperty("error", out var error))
            {
                Assert.Fail($"Chromium's fetch of {origin}{path} failed: {error.GetString()}\n{result.Describe()}");
            }

            Assert.True(entry.GetProperty("status").GetInt32() == 200, $"{path}: status {entry.GetProperty("status")}\n{result.Describe()}");
            fetched.Add(new Fetched(path, entry.GetProperty("page").GetString() ?? ""));
        }

        Assert.True(fetched.Count == paths.Count, $"expected {paths.Count} pages, got {fetched.Count}:\n{result.Describe()}");
        return fetched;
    }

    [GeneratedRegex("""<pre id="result">([^<]*)</pre>""")]
    private static partial Regex ResultElement();
}
