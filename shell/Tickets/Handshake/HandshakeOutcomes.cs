using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;

namespace Tickets.Handshake;

/// <summary>
/// The core's view of a finished handshake. Built in one place because it is needed twice: early, to announce
/// RFC 9149's expected_count in EncryptedExtensions, and after the client's Finished, to decide the tickets. Both
/// must describe the same handshake or the announced count would not match the tickets sent.
/// </summary>
internal static class HandshakeOutcomes
{
    public static HandshakeOutcome Of(bool resumed, bool clientOfferedPskModes, Option<PeerIdentity> peer, Option<TicketRequest> request) =>
        resumed
            ? new HandshakeOutcome.Resumption(clientOfferedPskModes, peer) { TicketRequest = request }
            : new HandshakeOutcome.FullHandshake(clientOfferedPskModes, peer) { TicketRequest = request };

    public static HandshakeOutcome Of(HandshakeSummary summary) =>
        Of(summary.Resumed, summary.ClientOfferedPskModes, summary.Peer, summary.TicketRequest);
}
