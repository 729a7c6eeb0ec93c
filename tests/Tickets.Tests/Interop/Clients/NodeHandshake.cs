using System.Globalization;
using System.Text.Json;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// One Node 20 `tls.connect` with a chosen group list (ecdhCurve) and signature list (sigalgs), reporting what was
/// negotiated from the client's side: the ephemeral key (getEphemeralKeyInfo) and whether the chain verified.
/// </summary>
public static class NodeHandshake
{
    private const string Script = """
        'use strict';
        // Usage: node handshake.js PORT GROUPS SIGALGS CAFILE|-  — prints one JSON line.
        const tls = require('tls');
        const fs = require('fs');
        const [port, groups, sigalgs, caFile] = process.argv.slice(2);
        const options = { host: '127.0.0.1', port: Number(port), servername: 'localhost', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' };
        if (groups !== '-') options.ecdhCurve = groups;
        if (sigalgs !== '-') options.sigalgs = sigalgs;
        if (caFile !== '-') options.ca = fs.readFileSync(caFile); else options.rejectUnauthorized = false;
        const socket = tls.connect(options, () => {
          console.log(JSON.stringify({ ok: true, authorized: socket.authorized, key: socket.getEphemeralKeyInfo() }));
          socket.end();
        });
        socket.setTimeout(10000, () => socket.destroy(new Error('timed out')));
        socket.on('error', (error) => { console.log(JSON.stringify({ ok: false, error: String(error.message) })); });
        """;

    private static readonly Lazy<string> ScriptPath = new(() =>
    {
        var path = Path.Combine(InteropPaths.NewDirectory("node-handshake"), "handshake.js");
        File.WriteAllText(path, Script);
        return path;
    });

    /// <summary>What Node saw: the ephemeral key's type, name (for curves) and size in bits.</summary>
    public sealed record Result(bool Authorized, string KeyType, string? KeyName, int KeySize);

    public static async Task<Result> ConnectAsync(int port, string? groups = null, string? sigalgs = null, string? caFile = null)
    {
        var result = await ExternalProgram.RunAsync(
            "node",
            [ScriptPath.Value, port.ToString(CultureInfo.InvariantCulture), groups ?? "-", sigalgs ?? "-", caFile ?? "-"],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        using var json = JsonDocument.Parse(result.StandardOutput.Trim());
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), result.Describe());
        var key = root.GetProperty("key");
        return new Result(
            root.GetProperty("authorized").GetBoolean(),
            key.GetProperty("type").GetString() ?? "",
            key.TryGetProperty("name", out var name) ? name.GetString() : null,
            key.GetProperty("size").GetInt32());
    }
}
