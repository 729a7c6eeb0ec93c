namespace Tickets.Core.Protocol;

/// <summary>A (group, public key) pair from key_share (RFC 8446 §4.2.8).</summary>
/// <param name="Group">The key exchange group the key belongs to.</param>
/// <param name="KeyExchange">The public value, encoded as the group defines (§4.2.8.1, §4.2.8.2).</param>
public sealed record KeyShareEntry(NamedGroup Group, Bytes KeyExchange);
