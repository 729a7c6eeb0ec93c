using Tickets.Core.Model;
using Tickets.Core.Protocol;

namespace Tickets.Trace;

/// <summary>
/// One observation of a connection at work, in the order it happened. A closed hierarchy of immutable records so
/// that C# can switch on it and F# can match it with type tests (<c>:? TlsTraceEvent.TicketIssued as t</c>).
/// Nothing secret is in any event except <see cref="TrafficSecret"/>, which is only produced when the context's
/// <see cref="TicketServerContext.TraceTrafficSecrets"/> is switched on.
/// </summary>
public abstract record TlsTraceEvent
{
    // Private: only the nested records below can derive, so readers can rely on the list being complete.
    private TlsTraceEvent(long connectionId)
    {
        ConnectionId = connectionId;
    }

    /// <summary>The connection's <see cref="TicketServerConnection.Id"/>, to tell concurrent connections apart.</summary>
    public long ConnectionId { get; }

    /// <summary>
    /// A TLS record (RFC 8446 §5). <paramref name="ContentType"/> is the real type: for a protected record the one
    /// inside TLSInnerPlaintext, since the outer header always says application_data. <paramref name="Length"/>
    /// counts the content, <paramref name="WireLength"/> the whole record on the wire, header and AEAD tag included.
    /// </summary>
    public sealed record Record(long ConnectionId, TraceDirection Direction, ContentType ContentType, int Length, int WireLength, bool Protected)
        : TlsTraceEvent(ConnectionId);

    /// <summary>
    /// A whole handshake message, reassembled if records split it, shown decrypted when it travelled protected
    /// (we are one end, so we hold the keys). <paramref name="Length"/> is the body length from the header;
    /// <paramref name="Fields"/> is its fields decoded into a tree, as <c>openssl s_client -trace</c> shows them.
    /// </summary>
    public sealed record HandshakeMessage(
        long ConnectionId, TraceDirection Direction, HandshakeType Type, int Length, bool Protected, TraceNode Fields)
        : TlsTraceEvent(ConnectionId);

    /// <summary>What the handshake settled on, once the client's Finished checked out.</summary>
    /// <param name="ConnectionId">The connection's <see cref="TicketServerConnection.Id"/>.</param>
    /// <param name="Version">The protocol version's code point: 0x0304 for TLS 1.3.</param>
    /// <param name="CipherSuite">The cipher suite.</param>
    /// <param name="Group">The (EC)DHE group; null for a PSK used in psk_ke mode, without key exchange.</param>
    /// <param name="SignatureScheme">The CertificateVerify scheme; null after a PSK handshake, which sends no certificate.</param>
    /// <param name="ServerName">The server_name the client asked for (peer-controlled text); null without SNI.</param>
    /// <param name="ApplicationProtocol">The ALPN protocol chosen; null when none was.</param>
    /// <param name="Resumed">True when a ticket or external PSK was accepted instead of a full handshake.</param>
    public sealed record Negotiated(
        long ConnectionId,
        ushort Version,
        CipherSuite CipherSuite,
        NamedGroup? Group,
        SignatureScheme? SignatureScheme,
        string? ServerName,
        string? ApplicationProtocol,
        bool Resumed)
        : TlsTraceEvent(ConnectionId);

    /// <summary>
    /// The core's decision on the tickets the client offered (<c>ResumptionPolicy.Decide</c>): which identity, if
    /// any, it resumes, and one verdict per offered identity. With single-use tickets a spent ticket makes the core
    /// decide again, so a handshake may report more than one; the last one holds.
    /// </summary>
    /// <param name="ConnectionId">The connection's <see cref="TicketServerConnection.Id"/>.</param>
    /// <param name="ChosenIdentity">The index of the identity resumed; null for a full handshake.</param>
    /// <param name="Verdicts">One verdict per offered identity, in the client's order.</param>
    public sealed record ResumptionDecision(long ConnectionId, int? ChosenIdentity, IReadOnlyList<Core.Policy.ResumptionCheck> Verdicts)
        : TlsTraceEvent(ConnectionId);

    /// <summary>
    /// The core's ticket decision (<c>TicketPolicy.Decide</c>): how many tickets and the rule that chose the number,
    /// also when the number is zero, which is exactly the case where no NewSessionTicket would otherwise show why.
    /// </summary>
    public sealed record TicketDecision(long ConnectionId, int Count, DecisionReason Reason, string Explanation)
        : TlsTraceEvent(ConnectionId);

    /// <summary>
    /// One NewSessionTicket as sent. <paramref name="KeyName"/> is the hex of the 16-byte name of the key that sealed
    /// the ticket: the name is public (it is the ticket's first bytes), the key behind it is not.
    /// </summary>
    public sealed record TicketIssued(
        long ConnectionId,
        ulong Nonce,
        uint LifetimeSeconds,
        uint AgeAdd,
        int TicketLength,
        string KeyName,
        DecisionReason Reason)
        : TlsTraceEvent(ConnectionId);

    /// <summary>An alert record in either direction.</summary>
    public sealed record Alert(long ConnectionId, TraceDirection Direction, AlertLevel Level, AlertDescription Description, bool Protected)
        : TlsTraceEvent(ConnectionId);

    /// <summary>
    /// A traffic secret as it was derived, labelled as in the NSS key log format. Anyone holding it can decrypt that
    /// direction of the connection: produced only on explicit request, for lab use.
    /// </summary>
    public sealed record TrafficSecret(long ConnectionId, string Label, byte[] Secret)
        : TlsTraceEvent(ConnectionId);
}
