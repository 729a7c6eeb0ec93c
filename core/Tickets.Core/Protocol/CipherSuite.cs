namespace Tickets.Core.Protocol;

/// <summary>
/// TLS 1.3 cipher suites (RFC 8446 §B.4). Suites of older versions and GREASE values show up as
/// unnamed numbers in a ClientHello and are skipped by negotiation.
/// </summary>
public enum CipherSuite : ushort
{
    /// <summary>AES-128 in GCM with SHA-256: the suite every TLS 1.3 implementation must support (§9.1).</summary>
    TLS_AES_128_GCM_SHA256 = 0x1301,

    /// <summary>AES-256 in GCM with SHA-384.</summary>
    TLS_AES_256_GCM_SHA384 = 0x1302,

    /// <summary>ChaCha20-Poly1305 with SHA-256 (RFC 8439).</summary>
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303,

    /// <summary>AES-128 in CCM with SHA-256 (named here, never negotiated by this server).</summary>
    TLS_AES_128_CCM_SHA256 = 0x1304,

    /// <summary>AES-128 in CCM with an 8-byte tag and SHA-256 (named here, never negotiated by this server).</summary>
    TLS_AES_128_CCM_8_SHA256 = 0x1305,
}
