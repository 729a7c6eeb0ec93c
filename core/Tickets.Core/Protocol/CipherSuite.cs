namespace Tickets.Core.Protocol;

/// <summary>
/// TLS 1.3 cipher suites (RFC 8446 §B.4). Suites of older versions and GREASE values show up as
/// unnamed numbers in a ClientHello and are skipped by negotiation.
/// </summary>
public enum CipherSuite : ushort
{
    TLS_AES_128_GCM_SHA256 = 0x1301,
    TLS_AES_256_GCM_SHA384 = 0x1302,
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
    TLS_AES_128_CCM_SHA256 = 0x1304,
    TLS_AES_128_CCM_8_SHA256 = 0x1305,
}
