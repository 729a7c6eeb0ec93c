using System.Globalization;
using System.Text.Json;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// Node 20's `tls` module (OpenSSL inside, but its own session API): one 'session' event per NewSessionTicket,
/// `isSessionReused()` after the handshake. Each connection offers the newest session of the previous one; when
/// no ticket came, it offers `getSession()`, which holds no ticket, so the server has nothing to resume.
/// </summary>
public static class NodeClient
{
    private const string Script = """
        'use strict';
        // Usage: node client.js PORT CONNECTIONS — prints one JSON line per connection.
        const tls = require('tls');
        const port = Number(process.argv[2]);
        const connections = Number(process.argv[3]);

        function connect(session) {
          return new Promise((resolve, reject) => {
            const tickets = [];
            let reused = null;
            let page = '';
            const socket = tls.connect({
              host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false,
              minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', session,
            }, () => {
              reused = socket.isSessionReused();
              socket.write('GET / HTTP/1.0\r\n\r\n');
            });
            socket.setTimeout(10000, () => socket.destroy(new Error('timed out')));
            socket.on('session', (ticketSession) => tickets.push(ticketSession));
            socket.on('data', (chunk) => { page += chunk.toString('latin1'); });
            socket.on('error', reject);
            socket.on('close', () => resolve({ tickets, reused, page, fallback: socket.getSession() }));
          });
        }

        (async () => {
          let offer;
          for (let i = 0; i < connections; i++) {
            const result = await connect(offer);
            console.log(JSON.stringify({ tickets: result.tickets.length, reused: result.reused, offered: offer !== undefined, page: result.page }));
            offer = result.tickets.length > 0 ? result.tickets[result.tickets.length - 1] : result.fallback;
          }
        })().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
        """;

    private static readonly Lazy<string> ScriptPath = new(() =>
    {
        var path = Path.Combine(InteropPaths.NewDirectory("node"), "client.js");
        File.WriteAllText(path, Script);
        return path;
    });

    public sealed record Run(ClientConnection Connection, bool Offered, string Page);

    public static async Task<IReadOnlyList<Run>> ChainAsync(int port, int connections)
    {
        var result = await ExternalProgram.RunAsync(
            "node",
            [ScriptPath.Value, port.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(40));
        Assert.True(result.ExitCode == 0, result.Describe());
        var runs = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                Assert.True(root.GetProperty("reused").ValueKind is JsonValueKind.True or JsonValueKind.False, $"no handshake result:\n{result.Describe()}");
                return new Run(
                    new ClientConnection(root.GetProperty("tickets").GetInt32(), root.GetProperty("reused").GetBoolean()),
                    root.GetProperty("offered").GetBoolean(),
                    root.GetProperty("page").GetString() ?? "");
            })
            .ToArray();
        Assert.True(runs.Length == connections, result.Describe());
        return runs;
    }
}
