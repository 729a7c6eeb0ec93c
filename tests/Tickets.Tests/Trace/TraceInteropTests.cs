using System.Globalization;
using Tickets.Core.Model;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Trace;

/// <summary>
/// `tickets serve --trace` against openssl s_client -msg: the trace names every handshake message in the order both
/// sides saw it, the tickets it reports are the tickets the client received (field by field), and the reason it
/// gives is the rule of the scenario.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class TraceInteropTests
{
    internal static readonly string[] FullHandshake =
    [
        "C ClientHello", "S ServerHello", "S EncryptedExtensions", "S Certificate", "S CertificateVerify", "S Finished", "C Finished",
    ];

    private static readonly string[] Resumption = ["C ClientHello", "S ServerHello", "S EncryptedExtensions", "S Finished", "C Finished"];

    private static async Task<TicketsServer> StartTracedAsync(int count, bool secrets = false) =>
        await TicketsServer.StartAsync(
            ["--port", "0", "--www", secrets ? "--trace-secrets" : "--trace", "--num-tickets", count.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>One s_client run; -msg dumps every handshake message it sent and received.</summary>
    private static async Task<ProcessResult> ConnectAsync(int port, params string[] extra)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost", "-tls1_3", "-msg", "-ign_eof",
        };
        arguments.AddRange(extra);
        // -ign_eof keeps s_client reading until the --www server closes, so every ticket is read before it exits.
        var result = await ExternalProgram.RunAsync("openssl", arguments, "GET / HTTP/1.0\r\n\r\n", TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    /// <summary>The trace of the next connection, read once its log line (written after its tickets) is out.</summary>
    private static async Task<ServerTrace> TraceOfNextAsync(TicketsServer server)
    {
        var logged = await server.NextConnectionAsync();
        return ServerTrace.Of(server.Process.OutputLines, logged.Id);
    }

    internal static string[] Names(IEnumerable<TracedMessage> messages) =>
        messages.Select(message => $"{(message.FromClient ? "C" : "S")} {message.Name}").ToArray();

    internal static string[] Names(IEnumerable<ClientSeenMessage> messages) =>
        messages.Select(message => $"{(message.FromClient ? "C" : "S")} {message.Name}").ToArray();

    /// <summary>Each ticket the trace reports is, field by field, a NewSessionTicket the client received, in order.</summary>
    internal static void AssertTicketsMatch(ServerTrace trace, IReadOnlyList<ClientSeenMessage> seen)
    {
        var received = seen.Where(message => message.Name == "NewSessionTicket").Select(message => message.Ticket()).ToArray();
        Assert.Equal(received.Length, trace.Tickets.Count);
        Assert.Equal(Enumerable.Range(0, received.Length).Select(i => (ulong)i), trace.Tickets.Select(ticket => ticket.Nonce));
        foreach (var (traced, (lifetime, ageAdd, nonce, ticket)) in trace.Tickets.Zip(received))
        {
            Assert.Equal(lifetime, traced.Lifetime);
            Assert.Equal(ageAdd, traced.AgeAdd);
            Assert.Equal(traced.Nonce, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(nonce));
            Assert.Equal(ticket.Length, traced.TicketLength);
            // A sealed ticket starts with the name of the key that sealed it.
            Assert.Equal(Convert.ToHexStringLower(ticket.AsSpan(0, 16)), traced.KeyName);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_full_handshake_is_traced_message_by_message_with_the_count_and_its_reason(int count)
    {
        await using var server = await StartTracedAsync(count);

        var client = await ConnectAsync(server.Port);
        var trace = await TraceOfNextAsync(server);

        var seen = SClientMessages.Parse(client.StandardOutput);
        string[] expected = [.. FullHandshake, .. Enumerable.Repeat("S NewSessionTicket", count)];
        Assert.Equal(expected, Names(trace.Messages));
        Assert.Equal(expected, Names(seen));
        // s_client's lengths include the 4-byte header, the trace gives the body's, as RFC 8446 §4 does.
        Assert.Equal(seen.Select(message => message.Bytes.Length - 4), trace.Messages.Select(message => message.Length));
        Assert.Equal(["C ClientHello", "S ServerHello"], Names(trace.Messages.Where(message => !message.Protected)));

        Assert.Equal(new TracedDecision(count, nameof(DecisionReason.FullHandshakeCount), DecisionReason.FullHandshakeCount.Describe()), Assert.Single(trace.Decisions));
        AssertTicketsMatch(trace, seen);
        Assert.All(trace.Tickets, ticket => Assert.Equal(7200u, ticket.Lifetime));
        Assert.All(trace.Tickets, ticket => Assert.Equal(DecisionReason.FullHandshakeCount.Describe(), ticket.Sentence));
        Assert.Contains(trace.Lines, line => line.StartsWith("== negotiated: TLS 1.3, TLS_AES_", StringComparison.Ordinal)
            && line.Contains("signature ecdsa_secp256r1_sha256", StringComparison.Ordinal) && line.EndsWith("full handshake", StringComparison.Ordinal));
        Assert.Empty(trace.SecretLines);
    }

    [Fact]
    public async Task A_resumption_is_traced_without_certificate_and_gets_one_ticket_because_it_resumed()
    {
        await using var server = await StartTracedAsync(count: 3);
        var session = Path.Combine(InteropPaths.NewDirectory("trace"), "session.pem");

        var first = await ConnectAsync(server.Port, "-sess_out", session);
        var full = await TraceOfNextAsync(server);
        var second = await ConnectAsync(server.Port, "-sess_in", session);
        var resumed = await TraceOfNextAsync(server);

        Assert.Contains("Reused, TLSv1.3", second.StandardOutput, StringComparison.Ordinal);
        var seen = SClientMessages.Parse(second.StandardOutput);
        string[] expected = [.. Resumption, "S NewSessionTicket"];
        Assert.Equal(expected, Names(resumed.Messages));
        Assert.Equal(expected, Names(seen));
        Assert.Equal(new TracedDecision(1, nameof(DecisionReason.ResumedAtMostOne), DecisionReason.ResumedAtMostOne.Describe()), Assert.Single(resumed.Decisions));
        AssertTicketsMatch(resumed, seen);
        // The nonce counter is per connection: the resumed connection starts again from 0.
        Assert.Equal(0UL, Assert.Single(resumed.Tickets).Nonce);

        // The offered identity is the last ticket of the first connection (s_client keeps the newest): same length,
        // and its obfuscated age is that ticket's age_add plus the few milliseconds it waited.
        var offered = resumed.Lines.Single(line => line.TrimStart().StartsWith("identity 0: ", StringComparison.Ordinal));
        var newest = full.Tickets[^1];
        Assert.Contains($"ticket of {newest.TicketLength} bytes", offered, StringComparison.Ordinal);
        var age = uint.Parse(offered[(offered.IndexOf("0x", StringComparison.Ordinal) + 2)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(unchecked(age - newest.AgeAdd), 0u, 60_000u);
        Assert.Contains(resumed.Lines, line => line.StartsWith("== negotiated: ", StringComparison.Ordinal) && line.EndsWith(", resumed", StringComparison.Ordinal));
        Assert.Single(SClientMessages.Parse(first.StandardOutput), message => message.Name == "Certificate");
    }

    [Fact]
    public async Task With_count_zero_no_ticket_is_sent_and_the_trace_says_why()
    {
        await using var server = await StartTracedAsync(count: 0);

        var client = await ConnectAsync(server.Port);
        var trace = await TraceOfNextAsync(server);

        var seen = SClientMessages.Parse(client.StandardOutput);
        Assert.Equal(FullHandshake, Names(trace.Messages));
        Assert.Equal(FullHandshake, Names(seen));
        Assert.Empty(trace.Tickets);
        var decision = Assert.Single(trace.Decisions);
        Assert.Equal((0, nameof(DecisionReason.CountZero)), (decision.Count, decision.Reason));
        Assert.Contains("count is zero", decision.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_secrets_print_the_client_s_key_log_secrets_marked_unsafe()
    {
        await using var server = await StartTracedAsync(count: 1, secrets: true);
        var keyLog = Path.Combine(InteropPaths.NewDirectory("trace"), "keys.log");

        await ConnectAsync(server.Port, "-keylogfile", keyLog);
        var trace = await TraceOfNextAsync(server);

        // The client's own key log is the independent witness: same labels, same secrets.
        var clientSecrets = File.ReadAllLines(keyLog)
            .Where(line => line.Contains("TRAFFIC_SECRET", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .Select(fields => $"{fields[0]} {fields[2]}")
            .Order(StringComparer.Ordinal)
            .ToArray();
        var traced = trace.SecretLines
            .Select(line => line[(line.IndexOf(Tickets.Trace.TraceTextWriter.SecretWarning, StringComparison.Ordinal) + Tickets.Trace.TraceTextWriter.SecretWarning.Length + 2)..])
            .Where(line => line.Contains("TRAFFIC_SECRET", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(4, clientSecrets.Length);
        Assert.Equal(clientSecrets, traced);
        Assert.Contains(server.Process.OutputLines, line => line.StartsWith("tickets: --trace-secrets", StringComparison.Ordinal)
            && line.Contains("UNSAFE outside a lab", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_trace_secrets_no_secret_reaches_the_output()
    {
        await using var server = await StartTracedAsync(count: 1);
        var keyLog = Path.Combine(InteropPaths.NewDirectory("trace"), "keys.log");

        await ConnectAsync(server.Port, "-keylogfile", keyLog);
        await TraceOfNextAsync(server);

        var output = string.Join('\n', server.Process.OutputLines);
        var secrets = File.ReadAllLines(keyLog).Where(line => line.Length > 0).Select(line => line.Split(' ')[2]).ToArray();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, output, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Tickets.Trace.TraceTextWriter.SecretWarning, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_connections_keep_their_own_numbered_traces()
    {
        await using var server = await StartTracedAsync(count: 2);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectAsync(server.Port)));
        var traces = new List<ServerTrace>();
        for (var index = 0; index < 4; index++)
        {
            traces.Add(await TraceOfNextAsync(server));
        }

        Assert.All(traces, trace =>
        {
            Assert.Equal([.. FullHandshake, "S NewSessionTicket", "S NewSessionTicket"], Names(trace.Messages));
            Assert.Equal([0UL, 1UL], trace.Tickets.Select(ticket => ticket.Nonce));
        });
    }
}
