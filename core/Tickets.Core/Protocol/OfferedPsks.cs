namespace Tickets.Core.Protocol;

/// <summary>One PSK identity offered in pre_shared_key (RFC 8446 §4.2.11): for us, a ticket.</summary>
public sealed record PskIdentity(byte[] Identity, uint ObfuscatedTicketAge);

/// <summary>
/// The client's pre_shared_key extension. <see cref="BindersOffset"/> counts the bytes of the whole
/// ClientHello handshake message (4-byte header included) that come before the binders list's length
/// prefix: the binder MACs the transcript truncated exactly there (§4.2.11.2).
/// </summary>
public sealed record OfferedPsks(IReadOnlyList<PskIdentity> Identities, IReadOnlyList<byte[]> Binders, int BindersOffset);
