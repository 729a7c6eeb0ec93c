using System.Globalization;
using System.Text.RegularExpressions;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Robustness;

/// <summary>
/// `tickets serve --keylog FILE` writes what Wireshark needs: tshark, given the file, decrypts a loopback capture
/// of an openssl s_client session and finds every NewSessionTicket the server issued; without it, it finds none.
/// Needs Debian's tshark (and capture rights on lo; CI runs as root).
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed partial class DecryptedCaptureTests
{
    private const int Tickets = 3;

    [Fact]
    public async Task Tshark_decrypts_the_new_session_tickets_with_the_key_log()
    {
        var directory = InteropPaths.NewDirectory("capture");
        var keyLog = Path.Combine(directory, "server-keys.txt");
        var capture = Path.Combine(directory, "session.pcapng");
        await using var server = await TicketsServer.StartAsync(
            ["--port", "0", "--www", "--num-tickets", $"{Tickets}", "--keylog", keyLog]);

        await using (var tshark = await StartCaptureAsync(server.Port, capture))
        {
            var run = Assert.Single(await OpenSslClient.ChainAsync(server.Port, 1));
            Assert.Equal(Tickets, run.Connection.Tickets);
            var served = await server.NextConnectionAsync();
            Assert.Equal(Tickets, served.Tickets);

            // The server's FIN in the file means everything it sent before, the tickets included, was captured; only
            // then stop the capture.
            await WaitForServerFinAsync(capture, server.Port);
            Assert.Equal(0, await tshark.SignalAndWaitAsync(interrupt: true, TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(Tickets, await CountNewSessionTicketsAsync(capture, server.Port, keyLog));
        if (!OperatingSystem.IsWindows())
        {
            // The server created the file: readable by its owner only, since its lines decrypt the traffic.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyLog));
        }

        // The same capture without the key log: the tickets travel encrypted, so there is nothing to see.
        Assert.Equal(0, await CountNewSessionTicketsAsync(capture, server.Port, keyLog: null));
    }

    [Fact]
    public async Task Key_log_lines_match_what_the_client_logs_for_the_same_session()
    {
        var directory = InteropPaths.NewDirectory("keylog");
        var serverLog = Path.Combine(directory, "server-keys.txt");
        var clientLog = Path.Combine(directory, "client-keys.txt");
        // An existing file is appended to, never truncated: one file can collect several runs, as SSLKEYLOGFILE does.
        await File.WriteAllTextAsync(serverLog, "# earlier run\n");
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--keylog", serverLog]);

        var result = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1_3", "-ign_eof", "-keylogfile", clientLog],
            OpenSslClient.Request,
            TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        await server.NextConnectionAsync();

        var serverLines = await File.ReadAllLinesAsync(serverLog);
        Assert.Equal("# earlier run", serverLines[0]);
        var secrets = serverLines.Skip(1).ToArray();
        Assert.All(secrets, line => Assert.Matches(KeyLogLine(), line));
        Assert.Equal(
            ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "EXPORTER_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"],
            secrets.Select(line => line.Split(' ')[0]).Order(StringComparer.Ordinal));
        var clientLines = (await File.ReadAllLinesAsync(clientLog)).Where(line => !line.StartsWith('#'));
        Assert.Equal(clientLines.Order(StringComparer.Ordinal), secrets.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// tshark capturing on lo, only the server's port; returned once dumpcap reports the capture started ("Capturing on"
    /// comes earlier, before packets are actually being taken).
    /// </summary>
    private static async Task<ServerProcess> StartCaptureAsync(int port, string file)
    {
        var tshark = ServerProcess.Start("tshark", ["-i", "lo", "-f", $"tcp port {port.ToString(CultureInfo.InvariantCulture)}", "-w", file]);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!tshark.ErrorLines.Any(line => line.Contains("Capture started", StringComparison.Ordinal)))
        {
            if (tshark.HasExited || guard.IsCancellationRequested)
            {
                var output = tshark.DescribeOutput();
                await tshark.DisposeAsync();
                throw new InvalidOperationException($"tshark did not start capturing on lo\n{output}");
            }

            await Task.Delay(50);
        }

        return tshark;
    }

    /// <summary>
    /// Re-reads the capture file tshark is still writing (dumpcap flushes it on every update, which is how Wireshark's
    /// live view works) until it holds the server's FIN. Only the server's: the client's close_notify often reaches a
    /// socket the server has already closed, which answers with a RST, and then the client never sends a FIN at all.
    /// </summary>
    private static async Task WaitForServerFinAsync(string capture, int port)
    {
        var serverFin = $"tcp.flags.fin==1 && tcp.srcport=={port.ToString(CultureInfo.InvariantCulture)}";
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (File.Exists(capture) && (await ReadAsync(capture, port, serverFin, ["-T", "fields", "-e", "frame.number"], keyLog: null)).Length > 0)
            {
                return;
            }

            if (guard.IsCancellationRequested)
            {
                var everything = File.Exists(capture) ? await ReadAsync(capture, port, "frame", [], keyLog: null) : ["(no capture file)"];
                throw new TimeoutException($"the capture never showed the server's FIN; it holds:\n{string.Join('\n', everything.Take(60))}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Every NewSessionTicket (handshake type 4) tshark can see; a packet may carry several.</summary>
    private static async Task<int> CountNewSessionTicketsAsync(string capture, int port, string? keyLog)
    {
        var lines = await ReadAsync(capture, port, "tls.handshake.type==4", ["-T", "fields", "-e", "tls.handshake.type"], keyLog);
        return lines.SelectMany(line => line.Split(',')).Count(type => type.Trim() == "4");
    }

    private static async Task<string[]> ReadAsync(string capture, int port, string filter, string[] output, string? keyLog)
    {
        // The port is not a registered TLS port, so say what it carries rather than rely on heuristics.
        var arguments = new List<string> { "-r", capture, "-d", $"tcp.port=={port.ToString(CultureInfo.InvariantCulture)},tls", "-Y", filter };
        if (keyLog is not null)
        {
            arguments.AddRange(["-o", $"tls.keylog_file:{keyLog}"]);
        }

        arguments.AddRange(output);
        var result = await ExternalProgram.RunAsync("tshark", arguments, timeout: TimeSpan.FromSeconds(60));
        // A file still being written may end in a cut packet; tshark then says so and exits 2, but what it read is good.
        Assert.True(result.ExitCode is 0 or 2, result.Describe());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex("^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}$")]
    private static partial Regex KeyLogLine();
}
