namespace Tickets.Core.Protocol;

/// <summary>
/// Key exchange groups (RFC 8446 §4.2.7). Names use the RFC spelling so they print as peers expect;
/// GREASE and other unknown groups appear as numbers.
/// </summary>
public enum NamedGroup : ushort
{
    /// <summary>ECDHE over NIST P-256.</summary>
    secp256r1 = 0x0017,

    /// <summary>ECDHE over NIST P-384.</summary>
    secp384r1 = 0x0018,

    /// <summary>ECDHE over NIST P-521.</summary>
    secp521r1 = 0x0019,

    /// <summary>X25519 (RFC 7748).</summary>
    x25519 = 0x001D,

    /// <summary>X448 (RFC 7748).</summary>
    x448 = 0x001E,

    /// <summary>Finite-field DHE, 2048-bit group (RFC 7919).</summary>
    ffdhe2048 = 0x0100,

    /// <summary>Finite-field DHE, 3072-bit group (RFC 7919).</summary>
    ffdhe3072 = 0x0101,

    /// <summary>Finite-field DHE, 4096-bit group (RFC 7919).</summary>
    ffdhe4096 = 0x0102,

    /// <summary>Finite-field DHE, 6144-bit group (RFC 7919).</summary>
    ffdhe6144 = 0x0103,

    /// <summary>Finite-field DHE, 8192-bit group (RFC 7919).</summary>
    ffdhe8192 = 0x0104,

    /// <summary>The post-quantum hybrid of X25519 and ML-KEM-768 (draft-ietf-tls-ecdhe-mlkem).</summary>
    X25519MLKEM768 = 0x11EC,
}
