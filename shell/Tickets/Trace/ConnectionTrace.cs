using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;
using Tickets.Records;

namespace Tickets.Trace;

/// <summary>
/// The tracing side of one connection: the record layer, the handshake and the ticket issuer each hand it what
/// they just did (one call each), and it turns that into <see cref="TlsTraceEvent"/>s for the sink. It exists only
/// when someone listens, so untraced connections pay one null check per record.
/// </summary>
/// <remarks>
/// Handshake messages are reassembled here from the record contents, independently of the handshake's own
/// reassembly, so the trace shows what crossed the wire rather than what the state machine chose to read.
/// </remarks>
internal sealed class ConnectionTrace
{
    private readonly long connectionId;
    private readonly ITlsTraceSink sink;
    private HandshakeReassembler received = new();
    private HandshakeReassembler sent = new();

    // Set by the ticket decision, read back as its NewSessionTicket messages go out.
    private DecisionReason pendingReason;
    private string pendingKeyName = "";

    private ConnectionTrace(long connectionId, ITlsTraceSink sink, bool secretsEnabled)
    {
        this.connectionId = connectionId;
        this.sink = sink;
        SecretsEnabled = secretsEnabled;
    }

    /// <summary>A trace for the connection, or null when nobody listens (the hooks then cost a null check).</summary>
    public static ConnectionTrace? Start(long connectionId, ITlsTraceSink? sink, bool secretsEnabled) =>
        sink is null ? null : new ConnectionTrace(connectionId, sink, secretsEnabled);

    /// <summary>Whether traffic secrets may be reported; off unless the context was told explicitly.</summary>
    public bool SecretsEnabled { get; }

    /// <summary>
    /// A record that arrived: <paramref name="record"/> is what the record layer made of it (decrypted), or null
    /// for one it dropped (the middlebox change_cipher_spec).
    /// </summary>
    public void Received(byte outerType, int wireLength, TlsRecord? record, bool wasProtected)
    {
        if (record is not { } opened)
        {
            Emit(new TlsTraceEvent.Record(
                connectionId, TraceDirection.Received, (ContentType)outerType, wireLength - RecordHeader.Size, wireLength, wasProtected));
            return;
        }

        Emit(new TlsTraceEvent.Record(connectionId, TraceDirection.Received, opened.Type, opened.Content.Length, wireLength, wasProtected));
        Content(TraceDirection.Received, opened.Type, opened.Content.Span, wasProtected);
    }

    /// <summary>A record we are about to send: its content before protection.</summary>
    public void Sent(ContentType type, ReadOnlySpan<byte> content, bool willBeProtected)
    {
        var wireLength = willBeProtected
            ? RecordLimits.ProtectedRecordLength(content.Length)
            : RecordHeader.Size + content.Length;
        Emit(new TlsTraceEvent.Record(connectionId, TraceDirection.Sent, type, content.Length, wireLength, willBeProtected));
        Content(TraceDirection.Sent, type, content, willBeProtected);
    }

    /// <summary>The handshake completed with these parameters.</summary>
    public void Negotiated(HandshakeSummary summary) => Emit(new TlsTraceEvent.Negotiated(
        connectionId,
        ProtocolVersion.Tls13,
        summary.Suite.Suite,
        summary.Group,
        summary.SignatureScheme,
        summary.ServerName,
        summary.ApplicationProtocol,
        summary.Resumed));

    /// <summary>The core decided which offered ticket, if any, to resume.</summary>
    public void ResumptionDecided(Core.Policy.ResumptionDecision decision) => Emit(new TlsTraceEvent.ResumptionDecision(
        connectionId,
        decision.Chosen.MatchUnsafe(index => (int?)index, () => null),
        decision.Verdicts.ToArray()));

    /// <summary>
    /// The core decided the next tickets; <paramref name="keyName"/> names the key that will seal them. Called
    /// before the flight is written, so each NewSessionTicket can be reported with the rule that produced it.
    /// </summary>
    public void Decided(TicketDecision decision, ReadOnlySpan<byte> keyName)
    {
        pendingReason = decision.Reason;
        pendingKeyName = Convert.ToHexStringLower(keyName);
        Emit(new TlsTraceEvent.TicketDecision(connectionId, decision.Count, decision.Reason, decision.Reason.Describe()));
    }

    /// <summary>A freshly derived traffic secret; dropped unless secrets were asked for.</summary>
    public void TrafficSecret(string label, ReadOnlySpan<byte> secret)
    {
        if (SecretsEnabled)
        {
            Emit(new TlsTraceEvent.TrafficSecret(connectionId, label, secret.ToArray()));
        }
    }

    private void Content(TraceDirection direction, ContentType type, ReadOnlySpan<byte> content, bool wasProtected)
    {
        switch (type)
        {
            case ContentType.Handshake:
                Messages(direction, content, wasProtected);
                break;
            case ContentType.Alert when content.Length == AlertCodec.Length:
                Emit(new TlsTraceEvent.Alert(connectionId, direction, (AlertLevel)content[0], (AlertDescription)content[1], wasProtected));
                break;
        }
    }

    private void Messages(TraceDirection direction, ReadOnlySpan<byte> fragment, bool wasProtected)
    {
        var reassembler = direction == TraceDirection.Received ? received : sent;
        var appended = reassembler.Append(fragment);
        // A stream the reassembler refuses is refused by the handshake too, which alerts; the trace starts afresh.
        var (messages, next) = appended.Match(
            Succ: result => result,
            Fail: _ => (LanguageExt.Seq<byte[]>.Empty, new HandshakeReassembler()));
        if (direction == TraceDirection.Received)
        {
            received = next;
        }
        else
        {
            sent = next;
        }

        foreach (var message in messages)
        {
            var fields = HandshakeDissector.Dissect(message);
            Emit(new TlsTraceEvent.HandshakeMessage(
                connectionId, direction, (HandshakeType)message[0], message.Length - 4, wasProtected, fields));
            if (direction == TraceDirection.Sent && message[0] == (byte)HandshakeType.NewSessionTicket)
            {
                Ticket(message);
            }
        }
    }

    private void Ticket(byte[] message)
    {
        var decoded = NewSessionTicketCodec.Decode(message);
        if (decoded.Case is NewSessionTicket ticket)
        {
            // Our nonces are the core's counter as 8 bytes big-endian (rule 9: one counter per connection, from 0).
            var nonce = ticket.Nonce.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ticket.Nonce) : 0UL;
            Emit(new TlsTraceEvent.TicketIssued(
                connectionId, nonce, ticket.LifetimeSeconds, ticket.AgeAdd, ticket.Ticket.Length, pendingKeyName, pendingReason));
        }
    }

    private void Emit(TlsTraceEvent traceEvent) => sink.OnTrace(traceEvent);
}
