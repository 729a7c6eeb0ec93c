namespace Tickets.Core.Protocol;

/// <summary>One PSK identity offered in pre_shared_key (RFC 8446 §4.2.11): for us, a ticket.</summary>
/// <param name="Identity">The identity's bytes: the ticket exactly as the server issued it.</param>
/// <param name="ObfuscatedTicketAge">The client's age of the ticket in milliseconds plus ticket_age_add, modulo 2^32.</param>
public sealed record PskIdentity(Bytes Identity, uint ObfuscatedTicketAge);

/// <summary>
/// The client's pre_shared_key extension. <see cref="BindersOffset"/> counts the bytes of the whole
/// ClientHello handshake message (4-byte header included) that come before the binders list's length
/// prefix: the binder MACs the transcript truncated exactly there (§4.2.11.2).
/// </summary>
/// <param name="Identities">The offered identities, in the client's order.</param>
/// <param name="Binders">One binder per identity, in the same order.</param>
/// <param name="BindersOffset">Where the binders list starts in the ClientHello message, header included.</param>
public sealed record OfferedPsks(EquatableArray<PskIdentity> Identities, EquatableArray<Bytes> Binders, int BindersOffset);
