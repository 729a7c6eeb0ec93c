using System.Security.Cryptography;

namespace Tickets.Shell.Crypto;

/// <summary>Which AEAD protects records under a TLS 1.3 cipher suite (RFC 8446 §B.4).</summary>
public enum AeadAlgorithm { Aes128Gcm, Aes256Gcm, ChaCha20Poly1305 }

/// <summary>
/// Everything the key schedule and record layer need to know about a TLS 1.3 cipher suite:
/// the hash used by HKDF and the transcript, and the AEAD's key and nonce sizes.
/// </summary>
public sealed record CipherSuiteParameters(
    ushort CodePoint,
    string Name,
    HashAlgorithmName Hash,
    int HashLength,
    AeadAlgorithm Aead,
    int KeyLength,
    int IvLength)
{
    /// <summary>Every TLS 1.3 AEAD we support uses a 16-byte tag.</summary>
    public const int TagLength = 16;

    public static CipherSuiteParameters Aes128GcmSha256 { get; } =
        new(0x1301, "TLS_AES_128_GCM_SHA256", HashAlgorithmName.SHA256, 32, AeadAlgorithm.Aes128Gcm, 16, 12);

    public static CipherSuiteParameters Aes256GcmSha384 { get; } =
        new(0x1302, "TLS_AES_256_GCM_SHA384", HashAlgorithmName.SHA384, 48, AeadAlgorithm.Aes256Gcm, 32, 12);

    public static CipherSuiteParameters ChaCha20Poly1305Sha256 { get; } =
        new(0x1303, "TLS_CHACHA20_POLY1305_SHA256", HashAlgorithmName.SHA256, 32, AeadAlgorithm.ChaCha20Poly1305, 32, 12);

    /// <summary>The suites this server implements, in its preference order.</summary>
    public static IReadOnlyList<CipherSuiteParameters> All { get; } =
        [Aes128GcmSha256, Aes256GcmSha384, ChaCha20Poly1305Sha256];

    /// <summary>Looks a suite up by its wire code point; none for suites we do not implement.</summary>
    public static CipherSuiteParameters? TryFor(ushort codePoint) =>
        codePoint switch
        {
            0x1301 => Aes128GcmSha256,
            0x1302 => Aes256GcmSha384,
            0x1303 => ChaCha20Poly1305Sha256,
            _ => null,
        };

    /// <summary>Looks a suite up by code point; asking for an unimplemented suite is a programming error.</summary>
    public static CipherSuiteParameters For(ushort codePoint) =>
        TryFor(codePoint) ?? throw new ArgumentOutOfRangeException(nameof(codePoint), $"Unsupported cipher suite 0x{codePoint:x4}.");

    /// <summary>ChaCha20-Poly1305 depends on the platform's crypto library offering it.</summary>
    public bool IsAvailable => Aead switch
    {
        AeadAlgorithm.ChaCha20Poly1305 => System.Security.Cryptography.ChaCha20Poly1305.IsSupported,
        _ => AesGcm.IsSupported,
    };
}
