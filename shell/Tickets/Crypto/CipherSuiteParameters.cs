using System.Security.Cryptography;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>Which AEAD protects records under a TLS 1.3 cipher suite (RFC 8446 §B.4).</summary>
internal enum AeadAlgorithm { Aes128Gcm, Aes256Gcm, ChaCha20Poly1305 }

/// <summary>
/// Everything the key schedule and record layer need to know about a TLS 1.3 cipher suite:
/// the hash used by HKDF and the transcript, and the AEAD's key and nonce sizes.
/// </summary>
internal sealed record CipherSuiteParameters(
    CipherSuite Suite,
    HashAlgorithmName Hash,
    int HashLength,
    AeadAlgorithm Aead,
    int KeyLength,
    int IvLength)
{
    /// <summary>Every TLS 1.3 AEAD we support uses a 16-byte tag.</summary>
    public const int TagLength = 16;

    public static CipherSuiteParameters Aes128GcmSha256 { get; } =
        new(CipherSuite.TLS_AES_128_GCM_SHA256, HashAlgorithmName.SHA256, 32, AeadAlgorithm.Aes128Gcm, 16, 12);

    public static CipherSuiteParameters Aes256GcmSha384 { get; } =
        new(CipherSuite.TLS_AES_256_GCM_SHA384, HashAlgorithmName.SHA384, 48, AeadAlgorithm.Aes256Gcm, 32, 12);

    public static CipherSuiteParameters ChaCha20Poly1305Sha256 { get; } =
        new(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, HashAlgorithmName.SHA256, 32, AeadAlgorithm.ChaCha20Poly1305, 32, 12);

    /// <summary>The suites this server implements, in its preference order.</summary>
    public static IReadOnlyList<CipherSuiteParameters> All { get; } =
        [Aes128GcmSha256, Aes256GcmSha384, ChaCha20Poly1305Sha256];

    /// <summary>The suite's parameters; null for suites we do not implement (CCM, TLS 1.2 suites, unknown values).</summary>
    public static CipherSuiteParameters? TryFor(CipherSuite suite) =>
        suite switch
        {
            CipherSuite.TLS_AES_128_GCM_SHA256 => Aes128GcmSha256,
            CipherSuite.TLS_AES_256_GCM_SHA384 => Aes256GcmSha384,
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => ChaCha20Poly1305Sha256,
            _ => null,
        };

    /// <summary>The suite's parameters; negotiation only picks implemented suites, so anything else is a programming error.</summary>
    public static CipherSuiteParameters For(CipherSuite suite) =>
        TryFor(suite) ?? throw new ArgumentOutOfRangeException(nameof(suite), $"Unsupported cipher suite 0x{(ushort)suite:x4}.");

    /// <summary>The IANA name, e.g. TLS_AES_128_GCM_SHA256.</summary>
    public string Name => Suite.ToString();

    /// <summary>ChaCha20-Poly1305 depends on the platform's crypto library offering it.</summary>
    public bool IsAvailable => Aead switch
    {
        AeadAlgorithm.ChaCha20Poly1305 => System.Security.Cryptography.ChaCha20Poly1305.IsSupported,
        _ => AesGcm.IsSupported,
    };
}
