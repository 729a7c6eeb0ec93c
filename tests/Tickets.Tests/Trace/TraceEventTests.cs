using System.Collections.Concurrent;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Trace;
using Tickets.Tests.Engine;

namespace Tickets.Tests.Trace;

/// <summary>The structured trace a library user gets from TicketServerContext.TraceSink, against openssl s_client.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class TraceEventTests
{
    private static (TicketServerContext Context, ConcurrentQueue<TlsTraceEvent> Events) TracedContext(int count, bool secrets = false)
    {
        var events = new ConcurrentQueue<TlsTraceEvent>();
        var context = new TicketServerContext(TestCertificates.EcdsaP256)
        {
            TraceSink = TlsTraceSink.FromAction(events.Enqueue),
            TraceTrafficSecrets = secrets,
        };
        Assert.True(context.SetNumTickets(count).IsSucc);
        return (context, events);
    }

    private static IEnumerable<(TraceDirection, HandshakeType)> Messages(IEnumerable<TlsTraceEvent> events) =>
        events.OfType<TlsTraceEvent.HandshakeMessage>().Select(message => (message.Direction, message.Type));

    [Fact]
    public async Task A_full_handshake_is_traced_in_order_with_the_decision_and_each_ticket()
    {
        var (context, events) = TracedContext(count: 3);
        await using (var server = new EngineTestServer(context: context))
        {
            var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
            Assert.Equal(3, run.NewSessionTickets);
            await server.WaitForServedAsync(1);
        }

        var trace = events.ToArray();
        Assert.All(trace, traceEvent => Assert.Equal(1, traceEvent.ConnectionId));
        Assert.Equal(
            [
                (TraceDirection.Received, HandshakeType.ClientHello),
                (TraceDirection.Sent, HandshakeType.ServerHello),
                (TraceDirection.Sent, HandshakeType.EncryptedExtensions),
                (TraceDirection.Sent, HandshakeType.Certificate),
                (TraceDirection.Sent, HandshakeType.CertificateVerify),
                (TraceDirection.Sent, HandshakeType.Finished),
                (TraceDirection.Received, HandshakeType.Finished),
                (TraceDirection.Sent, HandshakeType.NewSessionTicket),
                (TraceDirection.Sent, HandshakeType.NewSessionTicket),
                (TraceDirection.Sent, HandshakeType.NewSessionTicket),
            ],
            Messages(trace));

        // Only the ClientHello and ServerHello travel in the clear.
        Assert.Equal(2, trace.OfType<TlsTraceEvent.HandshakeMessage>().Count(message => !message.Protected));

        var negotiated = Assert.Single(trace.OfType<TlsTraceEvent.Negotiated>());
        Assert.Equal(ProtocolVersion.Tls13, negotiated.Version);
        Assert.Equal(SignatureScheme.ecdsa_secp256r1_sha256, negotiated.SignatureScheme);
        Assert.False(negotiated.Resumed);

        var decision = Assert.Single(trace.OfType<TlsTraceEvent.TicketDecision>());
        Assert.Equal((3, DecisionReason.FullHandshakeCount), (decision.Count, decision.Reason));
        Assert.Equal(DecisionReason.FullHandshakeCount.Describe(), decision.Explanation);

        var tickets = trace.OfType<TlsTraceEvent.TicketIssued>().ToArray();
        Assert.Equal([0UL, 1UL, 2UL], tickets.Select(ticket => ticket.Nonce));
        Assert.All(tickets, ticket =>
        {
            Assert.Equal(context.Settings.TicketLifetimeSeconds, ticket.LifetimeSeconds);
            Assert.Equal(Convert.ToHexStringLower(context.TicketKeys().CurrentKeyName), ticket.KeyName);
            Assert.Equal(DecisionReason.FullHandshakeCount, ticket.Reason);
        });
        // The decision comes before the tickets it explains, and no secret was reported without being asked for.
        Assert.True(Array.IndexOf(trace, decision) < Array.IndexOf(trace, tickets[0]));
        Assert.Empty(trace.OfType<TlsTraceEvent.TrafficSecret>());
    }

    [Fact]
    public async Task A_count_of_zero_still_reports_the_decision_and_its_reason()
    {
        var (context, events) = TracedContext(count: 0);
        await using (var server = new EngineTestServer(context: context))
        {
            var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
            Assert.Equal(0, run.NewSessionTickets);
            await server.WaitForServedAsync(1);
        }

        var decision = Assert.Single(events.OfType<TlsTraceEvent.TicketDecision>());
        Assert.Equal((0, DecisionReason.CountZero), (decision.Count, decision.Reason));
        Assert.Empty(events.OfType<TlsTraceEvent.TicketIssued>());
        Assert.DoesNotContain(Messages(events), message => message.Item2 == HandshakeType.NewSessionTicket);
    }

    [Fact]
    public async Task Traffic_secrets_appear_only_when_asked_for_and_equal_the_key_log()
    {
        var (context, events) = TracedContext(count: 1, secrets: true);
        var keyLog = new StringWriter();
        context.KeyLogWriter = keyLog;
        await using (var server = new EngineTestServer(context: context))
        {
            await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
            await server.WaitForServedAsync(1);
        }

        var logged = keyLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(fields => (Label: fields[0], Secret: fields[2]))
            .ToArray();
        var traced = events.OfType<TlsTraceEvent.TrafficSecret>()
            .Select(secret => (secret.Label, Secret: Convert.ToHexStringLower(secret.Secret)))
            .ToArray();
        Assert.Contains(traced, secret => secret.Label == "SERVER_TRAFFIC_SECRET_0");
        Assert.Equal(logged, traced);
    }

    [Fact]
    public async Task Records_report_their_real_type_and_lengths_in_both_directions()
    {
        var (context, events) = TracedContext(count: 1);
        await using (var server = new EngineTestServer(context: context))
        {
            await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
            await server.WaitForServedAsync(1);
        }

        var records = events.OfType<TlsTraceEvent.Record>().ToArray();
        var first = records[0];
        Assert.Equal((TraceDirection.Received, ContentType.Handshake, false), (first.Direction, first.ContentType, first.Protected));
        Assert.Equal(first.Length + 5, first.WireLength);
        // A protected record carries the 5-byte header, the inner content type byte and a 16-byte tag.
        Assert.All(records.Where(record => record.Protected), record => Assert.Equal(record.Length + 5 + 1 + 16, record.WireLength));
        Assert.Contains(records, record => record is { Direction: TraceDirection.Sent, ContentType: ContentType.ApplicationData, Protected: true });
        // Handshake messages and records agree: all handshake bytes sent are accounted for by messages.
        Assert.Equal(
            records.Where(record => record is { Direction: TraceDirection.Sent, ContentType: ContentType.Handshake }).Sum(record => record.Length),
            events.OfType<TlsTraceEvent.HandshakeMessage>().Where(message => message.Direction == TraceDirection.Sent).Sum(message => message.Length + 4));
    }
}
