using System.Text.RegularExpressions;
using Tickets.Core.Protocol;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Robustness;

/// <summary>
/// Hostile and confused clients against the real `tickets serve` process: each gets the alert RFC 8446 names (read
/// byte for byte from the wire) and a closed connection, costs exactly one log line, and leaves the server serving:
/// openssl s_client completes a handshake right after and receives its tickets.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed partial class HostileClientTests
{
    private static Task<TicketsServer> StartAsync(params string[] extra) =>
        TicketsServer.StartAsync(["--port", "0", "--www", .. extra]);

    [Fact]
    public async Task Garbage_gets_unexpected_message()
    {
        await using var server = await StartAsync();
        var answer = await SendAndReadAsync(server.Port, HostileInput.Garbage, endStream: false);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.UnexpectedMessage), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=unexpected_message");
    }

    [Fact]
    public async Task Plaintext_http_request_gets_unexpected_message_at_once()
    {
        // "GE" reads as record type 'G' with a 0x5420-byte length: the server must judge the type from the header
        // rather than wait for a body an HTTP client will never send.
        await using var server = await StartAsync();
        var answer = await SendAndReadAsync(server.Port, HostileInput.PlaintextHttp, endStream: false);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.UnexpectedMessage), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=unexpected_message");
    }

    [Fact]
    public async Task Oversized_record_length_gets_record_overflow()
    {
        await using var server = await StartAsync();
        var answer = await SendAndReadAsync(server.Port, HostileInput.OversizedRecordHeader, endStream: false);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.RecordOverflow), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=record_overflow");
    }

    [Fact]
    public async Task A_hello_over_the_handshake_message_limit_gets_illegal_parameter()
    {
        // Chromium's real first flight declares a 1940-byte ClientHello: over a 1024-byte --max-handshake-message.
        await using var server = await StartAsync("--max-handshake-message", "1024");
        var answer = await SendAndReadAsync(server.Port, Tickets.Tests.Protocol.TestData.FixtureRecords("chromium"), endStream: false);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.IllegalParameter), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=illegal_parameter");
    }

    [Fact]
    public async Task Record_cut_short_by_the_end_of_the_stream_gets_decode_error()
    {
        await using var server = await StartAsync();
        var answer = await SendAndReadAsync(server.Port, HostileInput.TruncatedClientHelloRecord(), endStream: true);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.DecodeError), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=decode_error");
    }

    [Fact]
    public async Task Tls12_only_client_hello_gets_protocol_version()
    {
        await using var server = await StartAsync();
        var answer = await SendAndReadAsync(server.Port, HostileInput.Tls12OnlyClientHello(), endStream: false);
        Assert.Equal(HostileInput.FatalAlert(AlertDescription.ProtocolVersion), answer);
        await ExpectOneLineAndStillServingAsync(server, "alert=protocol_version");
    }

    [Fact]
    public async Task Stalled_handshake_is_dropped_after_the_handshake_timeout()
    {
        // Short enough to keep the test quick, long enough that the normal client afterwards, which gets the same
        // deadline, completes its handshake even on a loaded machine (1 s was not, with the whole suite running).
        await using var server = await StartAsync("--handshake-timeout", "10");
        using var client = await RawClient.ConnectAsync(server.Port);
        await client.SendAsync(HostileInput.HalfClientHello());
        // The client keeps its side open and says nothing more: only the server's deadline can end this.
        var answer = await client.ReadToCloseAsync();
        Assert.Empty(answer);
        await ExpectOneLineAndStillServingAsync(server, "failed: no handshake within 10 s");
    }

    [Fact]
    public async Task Clients_that_reset_before_reading_their_tickets_cost_one_line_each()
    {
        await using var server = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            // Linger 0: closing the socket resets the connection, with the tickets still unread in its buffer.
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
            {
                LingerState = new System.Net.Sockets.LingerOption(true, 0),
            };
            await socket.ConnectAsync("127.0.0.1", server.Port);
            await using (var tls = new System.Net.Security.SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true)))
            {
                await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
                {
                    TargetHost = SslStreamClient.UniqueTargetHost(),
                    EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
            }

            await server.Process.WaitForLineAsync(l => l.StartsWith($"conn {i + 1} ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        }

        var run = Assert.Single(await OpenSslClient.ChainAsync(server.Port, 1));
        Assert.Equal(new ClientConnection(2, Resumed: false), run.Connection);
        await server.Process.WaitForLineAsync(l => l.StartsWith("conn 6 ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        AssertOneLinePerConnection(server);
    }

    [Fact]
    public async Task Flood_of_silent_connections_is_capped_and_the_server_recovers()
    {
        const int limit = 50;
        const int flood = 200;
        // A handshake timeout far beyond the test: the held connections can only close when the test closes them.
        await using var server = await StartAsync("--max-connections", $"{limit}", "--handshake-timeout", "600");
        var clients = new List<RawClient>();
        try
        {
            for (var i = 0; i < flood; i++)
            {
                clients.Add(await RawClient.ConnectAsync(server.Port));
            }

            // Every connection beyond the limit is closed by the server without a byte; the others stay open.
            var reads = clients.Select(client => client.ReadToCloseAsync()).ToList();
            var refusedLines = await WaitForLinesAsync(server, line => line.Contains(" refused: ", StringComparison.Ordinal), flood - limit);
            Assert.All(refusedLines, line => Assert.EndsWith($"refused: {limit} connections open (--max-connections)", line));
            var closedByServer = 0;
            while (closedByServer < flood - limit)
            {
                var done = await Task.WhenAny(reads);
                reads.Remove(done);
                Assert.Empty(await done);
                closedByServer++;
            }

            Assert.All(reads, read => Assert.False(read.IsCompleted, "a connection within the limit was closed by the server"));

            // A real client is refused too while the slots are taken...
            var refused = await ExternalProgram.RunAsync(
                "openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1_3"], OpenSslClient.Request, TimeSpan.FromSeconds(20));
            Assert.NotEqual(0, refused.ExitCode);

            // ...and served again once the flood goes away: each held connection ends with one line of its own.
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await WaitForLinesAsync(server, line => line.Contains(" failed ", StringComparison.Ordinal), limit);
            var run = Assert.Single(await OpenSslClient.ChainAsync(server.Port, 1));
            Assert.Equal(new ClientConnection(2, Resumed: false), run.Connection);
            AssertOneLinePerConnection(server);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<byte[]> SendAndReadAsync(int port, byte[] bytes, bool endStream)
    {
        using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(bytes);
        if (endStream)
        {
            client.EndSending();
        }

        return await client.ReadToCloseAsync();
    }

    /// <summary>
    /// The hostile connection (always the first) logged one line saying why, and a normal client right after
    /// completes a full handshake and receives the default two tickets.
    /// </summary>
    private static async Task ExpectOneLineAndStillServingAsync(TicketsServer server, string reason)
    {
        var (line, _) = await server.Process.WaitForLineAsync(l => l.StartsWith("conn 1 ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains(reason, line);

        var run = Assert.Single(await OpenSslClient.ChainAsync(server.Port, 1));
        Assert.Equal(new ClientConnection(2, Resumed: false), run.Connection);
        var served = await server.NextConnectionAsync();
        Assert.Equal(2, served.Tickets);
        AssertOneLinePerConnection(server);
    }

    /// <summary>No error storm: every connection number appears on exactly one line, and nothing else complains.</summary>
    private static void AssertOneLinePerConnection(TicketsServer server)
    {
        var perConnection = server.Process.OutputLines
            .Select(line => ConnectionNumber().Match(line))
            .Where(match => match.Success)
            .GroupBy(match => match.Groups[1].Value)
            .Where(group => group.Count() != 1)
            .Select(group => group.Key)
            .ToList();
        Assert.True(perConnection.Count == 0, $"connections logged more than once: {string.Join(", ", perConnection)}\n{server.Process.DescribeOutput()}");
        Assert.True(server.Process.ErrorLines.Count == 0, server.Process.DescribeOutput());
        Assert.DoesNotContain(server.Process.OutputLines, line => line.Contains("Exception", StringComparison.Ordinal) || line.StartsWith("   at ", StringComparison.Ordinal));
    }

    private static async Task<List<string>> WaitForLinesAsync(TicketsServer server, Func<string, bool> match, int count)
    {
        var lines = new List<string>();
        var from = 0;
        while (lines.Count < count)
        {
            var (line, index) = await server.Process.WaitForLineAsync(match, TimeSpan.FromSeconds(30), from);
            lines.Add(line);
            from = index + 1;
        }

        return lines;
    }

    [GeneratedRegex(@"^conn (\d+) ")]
    private static partial Regex ConnectionNumber();
}
