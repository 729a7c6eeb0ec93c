using LanguageExt;

namespace Tickets.Core.Model;

/// <summary>
/// One NewSessionTicket the shell must send now. The shell adds what the core must not produce itself: the random
/// ticket_age_add, the sealed ticket body, and the resumption PSK derived from <paramref name="Nonce"/>.
/// </summary>
/// <remarks>A value type: the policy produces tickets without allocating.</remarks>
/// <param name="Nonce">The ticket_nonce; on the wire it is these 8 bytes big-endian.</param>
/// <param name="LifetimeSeconds">The ticket_lifetime, already clamped to seven days.</param>
/// <param name="Peer">The client identity the resumed session will carry.</param>
public readonly record struct TicketToIssue(ulong Nonce, uint LifetimeSeconds, Option<PeerIdentity> Peer);
