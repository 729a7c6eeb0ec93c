using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Handshake;

/// <summary>
/// What a completed handshake leaves behind for the connection: parameters and secrets. <c>Group</c> is null for a PSK
/// used in psk_ke mode; <c>Resumed</c> is true for every PSK handshake, a ticket's or an external PSK's.
/// </summary>
internal sealed record HandshakeSummary(
    CipherSuiteParameters Suite,
    NamedGroup? Group,
    SignatureScheme? SignatureScheme,
    string? ServerName,
    string? ApplicationProtocol,
    bool Resumed,
    bool ClientOfferedPskModes,
    Option<PeerIdentity> Peer,
    ApplicationTraffic Traffic,
    byte[] ResumptionMasterSecret)
{
    /// <summary>Whether the ClientHello carried post_handshake_auth: only then may we ask for a certificate later (§4.6.2).</summary>
    public bool PostHandshakeAuthOffered { get; init; }

    /// <summary>The transcript through the client's Finished, which every post-handshake authentication forks.</summary>
    public TranscriptHash? HandshakeTranscript { get; init; }

    /// <summary>Whether the PSK was an external one (true) rather than a ticket; false for a full handshake.</summary>
    public bool ExternalPsk { get; init; }

    /// <summary>The ClientHello's RFC 9149 ticket_request, which feeds the ticket decision when present.</summary>
    public Option<TicketRequest> TicketRequest { get; init; }

    /// <summary>
    /// The client-authentication context the connection's identity stands under: this handshake's settings, or the
    /// resumed session's (the same, or it would not have resumed). Tickets issued on the connection are bound to it.
    /// </summary>
    public required AuthenticationContext AuthenticationContext { get; init; }
}
