namespace Tickets;

/// <summary>
/// How a post-handshake authentication ended: the identity the client proved (null when it declined with an empty
/// Certificate, which still completes the authentication) and the tickets issued because of it, carrying that identity.
/// </summary>
public sealed record ClientAuthenticationResult(Tickets.Core.Model.PeerIdentity? Peer, IReadOnlyList<IssuedTicket> Tickets);
