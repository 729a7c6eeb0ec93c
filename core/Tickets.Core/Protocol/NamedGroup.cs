namespace Tickets.Core.Protocol;

/// <summary>
/// Key exchange groups (RFC 8446 §4.2.7). Names use the RFC spelling so they print as peers expect;
/// hybrid and GREASE groups appear as numbers.
/// </summary>
public enum NamedGroup : ushort
{
    secp256r1 = 0x0017,
    secp384r1 = 0x0018,
    secp521r1 = 0x0019,
    x25519 = 0x001D,
    x448 = 0x001E,
    ffdhe2048 = 0x0100,
    ffdhe3072 = 0x0101,
    ffdhe4096 = 0x0102,
    ffdhe6144 = 0x0103,
    ffdhe8192 = 0x0104,
    X25519MLKEM768 = 0x11EC,
}
