namespace Tickets.Core.Protocol;

/// <summary>A (group, public key) pair from key_share (RFC 8446 §4.2.8).</summary>
public sealed record KeyShareEntry(NamedGroup Group, byte[] KeyExchange);
