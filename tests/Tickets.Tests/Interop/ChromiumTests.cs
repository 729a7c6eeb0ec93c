using System.Globalization;
using System.Text.RegularExpressions;
using Tickets.Tests.Interop.Clients;
using Tickets.Tests.Trace;

namespace Tickets.Tests.Interop;

/// <summary>
/// Headless Chromium against `tickets serve --www --trace`: three fetches from one browser process, each on a new
/// TLS connection. The browser reports nothing about tickets, so the server's account is the evidence: its log line
/// (full/resumed, tickets issued), its page as the browser received it, and its trace of each ClientHello (what
/// Chromium offered: key shares, and the ticket it brought back). The key exchange is post-quantum: X25519MLKEM768.
/// </summary>
[Trait("Category", TestCategory.Browser)]
public sealed partial class ChromiumTests
{
    private static readonly string[] Paths = ["/a", "/b", "/c"];

    [Fact]
    public async Task Default_count_full_post_quantum_handshake_gets_two_tickets_and_the_next_connections_resume_with_one()
    {
        var (connections, traces) = await FetchChainAsync(count: null);

        foreach (var (connection, trace) in connections.Zip(traces))
        {
            // Chromium offers a GREASE share first (RFC 8701), the hybrid X25519MLKEM768 and plain x25519. The
            // server passes over the GREASE share and answers the hybrid, its first preference: the ML-KEM-768
            // ciphertext and its x25519 key (1088 + 32 bytes), with no HelloRetryRequest (one ClientHello per
            // connection in the trace). Resumptions are post-quantum too: psk_dhe_ke runs the same key exchange.
            var shares = ExtensionValue(Section(trace, "C->S ClientHello"), "key_share (51)").Split(", ");
            Assert.Matches(GreaseValue(), shares[0]);
            Assert.Contains("X25519MLKEM768", shares);
            Assert.Contains("x25519", shares);
            Assert.Single(trace.Messages, message => message.Name == "ClientHello");
            Assert.Equal("X25519MLKEM768, key of 1120 bytes", ExtensionValue(Section(trace, "S->C ServerHello"), "key_share (51)"));
            Assert.Equal("X25519MLKEM768", connection.Logged.Group);

            var page = connection.Page;
            Assert.Equal("TLSv1.3", HttpPage.Field(page, "Protocol"));
            Assert.Equal(connection.Logged.Group, HttpPage.Field(page, "Group"));
            Assert.Equal(connection.Logged.CipherSuite, HttpPage.Field(page, "Cipher suite"));
            // Chromium sends no server_name for an IP address (RFC 6066 §3 allows host names only) and offers
            // h2 and http/1.1; the --www server picks http/1.1, which Chromium then speaks.
            Assert.Equal("(none)", HttpPage.Field(page, "SNI"));
            Assert.Equal("http/1.1", HttpPage.Field(page, "ALPN"));
        }
    }

    [Fact]
    public async Task Count_one_full_handshake_gets_one_ticket_and_each_resumption_one()
    {
        await FetchChainAsync(count: 1);
    }

    [Fact]
    public async Task Count_zero_gives_no_ticket_so_every_connection_is_a_full_handshake()
    {
        var (_, traces) = await FetchChainAsync(count: 0);

        // Chromium would resume (it offers psk_key_exchange_modes every time) but had no ticket to offer.
        Assert.All(traces, trace => Assert.Contains(Section(trace, "C->S ClientHello"), line => line.TrimStart().StartsWith("psk_key_exchange_modes (45): psk_dhe_ke", StringComparison.Ordinal)));
    }

    /// <summary>One fetch with the server's records of its connection.</summary>
    private sealed record Connection(string Path, string Page, ServerConnectionLine Logged);

    /// <summary>
    /// Starts the server with the count, lets one Chromium process fetch <see cref="Paths"/>, and checks the chain
    /// OpenSSL's rules predict (full handshake: the count; resumption: one; count 0: never a ticket, never a
    /// resumption) in the server's log and in the pages the browser received; and that each resumption came with a
    /// ticket the server had issued to this browser on an earlier connection, and each full handshake with none.
    /// </summary>
    private static async Task<(IReadOnlyList<Connection> Connections, IReadOnlyList<ServerTrace> Traces)> FetchChainAsync(int? count)
    {
        var arguments = TicketsServer.ArgumentsFor(count, www: true).Append("--trace");
        await using var server = await TicketsServer.StartAsync(arguments);

        var fetched = await Chromium.FetchInOneBrowserAsync(server.Port, Paths);

        var connections = await ConnectionsOfAsync(server, fetched);
        var traces = connections.Select(connection => ServerTrace.Of(server.Process.OutputLines, connection.Logged.Id)).ToArray();
        var expected = TicketExpectation.Chain(count, Paths.Length);
        Assert.Equal(expected, connections.Select(connection => new ClientConnection(connection.Logged.Tickets, connection.Logged.Resumed)));
        Assert.Equal(expected, connections.Select(connection => new ClientConnection(
            HttpPage.TicketsIssued(connection.Page) ?? -1, HttpPage.SaysResumed(connection.Page))));

        var issued = new List<TracedTicket>();
        for (var index = 0; index < connections.Count; index++)
        {
            var offered = OfferedTicket(Section(traces[index], "C->S ClientHello"));
            if (connections[index].Logged.Resumed)
            {
                Assert.True(offered is not null, $"{connections[index].Path} resumed without offering a ticket:\n{string.Join('\n', traces[index].Lines)}");
                // The age the client reports is the ticket's age (ms, BoringSSL counts whole seconds) plus that
                // ticket's age_add. Subtracting an earlier ticket's age_add gives a plausible age (under a minute,
                // the browser's whole run) only for the ticket it came from: proof the browser brought back one
                // of the tickets it was given here, not just any ticket the server could open.
                var (length, obfuscatedAge) = offered.Value;
                Assert.Contains(issued, ticket => ticket.TicketLength == length && unchecked(obfuscatedAge - ticket.AgeAdd) < 60_000u);
            }
            else
            {
                Assert.True(offered is null, $"{connections[index].Path} offered a ticket yet was a full handshake:\n{string.Join('\n', traces[index].Lines)}");
            }

            Assert.Equal(connections[index].Logged.Tickets, traces[index].Tickets.Count);
            issued.AddRange(traces[index].Tickets);
        }

        return (connections, traces);
    }

    /// <summary>
    /// The server's log line of each fetch, found by the "Connection: N" its page names. Log lines are read in order
    /// and lines of other connections are passed over, so a speculative socket Chromium might open does not shift
    /// the pairing (sockets that never sent a ClientHello get a "failed" line, which is not a connection line).
    /// Chromium has exited by now, so every line is printed or about to be.
    /// </summary>
    private static async Task<IReadOnlyList<Connection>> ConnectionsOfAsync(TicketsServer server, IReadOnlyList<Chromium.Fetched> fetched)
    {
        var ids = fetched.Select(fetch =>
        {
            var field = HttpPage.Field(fetch.Page, "Connection");
            Assert.True(field is not null, $"{fetch.Path}: the page names no connection:\n{fetch.Page}");
            return long.Parse(field, CultureInfo.InvariantCulture);
        }).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());

        var logged = new Dictionary<long, ServerConnectionLine>();
        while (!ids.All(logged.ContainsKey))
        {
            var line = await server.NextConnectionAsync();
            logged[line.Id] = line;
        }

        return fetched.Zip(ids, (fetch, id) => new Connection(fetch.Path, fetch.Page, logged[id])).ToArray();
    }

    /// <summary>The trace lines of one message: its header line and the indented lines describing it.</summary>
    private static IReadOnlyList<string> Section(ServerTrace trace, string header)
    {
        var start = trace.Lines.ToList().FindIndex(line => line.StartsWith(header + ",", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no '{header}' in the trace:\n{string.Join('\n', trace.Lines)}");
        return trace.Lines.Skip(start).TakeWhile((line, index) => index == 0 || line.StartsWith(' ')).ToArray();
    }

    /// <summary>What the trace says about an extension of a message ("key_share (51): x25519" gives "x25519").</summary>
    private static string ExtensionValue(IReadOnlyList<string> section, string extension)
    {
        var prefix = extension + ": ";
        var line = section.Select(line => line.TrimStart()).FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no {extension} in:\n{string.Join('\n', section)}");
        return line[prefix.Length..];
    }

    /// <summary>The ticket a ClientHello offers in pre_shared_key (its length and obfuscated age), or null.</summary>
    private static (int Length, uint ObfuscatedAge)? OfferedTicket(IReadOnlyList<string> clientHello)
    {
        var match = clientHello.Select(line => PskIdentity().Match(line)).FirstOrDefault(match => match.Success);
        return match is null
            ? null
            : (int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture),
                uint.Parse(match.Groups["age"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^GREASE \(0x([0-9a-f])a\1a\)$")]
    private static partial Regex GreaseValue();

    [GeneratedRegex(@"^\s+identity 0: ticket of (?<length>\d+) bytes, obfuscated_ticket_age 0x(?<age>[0-9a-f]{8})$")]
    private static partial Regex PskIdentity();
}
