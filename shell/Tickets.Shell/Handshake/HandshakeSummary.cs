using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Shell.Crypto;
using Tickets.Shell.Records;

namespace Tickets.Shell.Handshake;

/// <summary>What a completed handshake leaves behind for the connection: parameters and secrets.</summary>
internal sealed record HandshakeSummary(
    CipherSuiteParameters Suite,
    NamedGroup Group,
    SignatureScheme? SignatureScheme,
    string? ServerName,
    string? ApplicationProtocol,
    bool Resumed,
    bool ClientOfferedPskModes,
    Option<PeerIdentity> Peer,
    ApplicationTraffic Traffic,
    byte[] ResumptionMasterSecret)
{
    /// <summary>The ClientHello's RFC 9149 ticket_request, which feeds the ticket decision when present.</summary>
    public Option<TicketRequest> TicketRequest { get; init; }
}
