using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// The TLS 1.3 CertificateVerify signature schemes we implement and the key each needs. TLS 1.3 ties each ECDSA scheme
/// to one curve, signs with RSA only through PSS (rsa_pss_rsae_* for rsaEncryption keys, rsa_pss_pss_* for RSASSA-PSS
/// keys), and signs with EdDSA in its pure form (RFC 8446 §4.2.3).
/// </summary>
internal static class SignatureSchemes
{
    internal sealed record Scheme(SignatureScheme Code, CertificateKeyKind Kind, HashAlgorithmName Hash)
    {
        public int HashLength => CertificatePublicKey.HashLengthOf(Hash);
    }

    /// <summary>
    /// All implemented schemes, in OpenSSL's order: what our CertificateRequest lists. A key fits one kind, so the order
    /// only matters among an RSA key's hashes, where SHA-256 comes first.
    /// </summary>
    internal static IReadOnlyList<Scheme> All { get; } =
    [
        new(SignatureScheme.ecdsa_secp256r1_sha256, CertificateKeyKind.EcdsaP256, HashAlgorithmName.SHA256),
        new(SignatureScheme.ecdsa_secp384r1_sha384, CertificateKeyKind.EcdsaP384, HashAlgorithmName.SHA384),
        new(SignatureScheme.ecdsa_secp521r1_sha512, CertificateKeyKind.EcdsaP521, HashAlgorithmName.SHA512),
        // EdDSA hashes inside the algorithm: no hash to name.
        new(SignatureScheme.ed25519, CertificateKeyKind.Ed25519, default),
        new(SignatureScheme.ed448, CertificateKeyKind.Ed448, default),
        new(SignatureScheme.rsa_pss_pss_sha256, CertificateKeyKind.RsaPss, HashAlgorithmName.SHA256),
        new(SignatureScheme.rsa_pss_pss_sha384, CertificateKeyKind.RsaPss, HashAlgorithmName.SHA384),
        new(SignatureScheme.rsa_pss_pss_sha512, CertificateKeyKind.RsaPss, HashAlgorithmName.SHA512),
        new(SignatureScheme.rsa_pss_rsae_sha256, CertificateKeyKind.Rsa, HashAlgorithmName.SHA256),
        new(SignatureScheme.rsa_pss_rsae_sha384, CertificateKeyKind.Rsa, HashAlgorithmName.SHA384),
        new(SignatureScheme.rsa_pss_rsae_sha512, CertificateKeyKind.Rsa, HashAlgorithmName.SHA512),
    ];

    internal static Scheme? Find(SignatureScheme code)
    {
        foreach (var scheme in All)
            if (scheme.Code == code)
                return scheme;
        return null;
    }

    /// <summary>
    /// The schemes the certificate's public key can produce (or verify) signatures for, in preference order; empty for
    /// keys we cannot use (other curves, DSA, an RSASSA-PSS key restricted to SHA-1).
    /// </summary>
    public static IReadOnlyList<SignatureScheme> For(X509Certificate2 certificate) => For(CertificatePublicKey.Of(certificate));

    internal static IReadOnlyList<SignatureScheme> For(CertificatePublicKey key) =>
        All.Where(scheme => Fits(key, scheme)).Select(scheme => scheme.Code).ToArray();

    /// <summary>True when the certificate's key can make (and so verify) signatures of <paramref name="scheme"/>.</summary>
    internal static bool Fits(X509Certificate2 certificate, SignatureScheme scheme) =>
        Find(scheme) is { } info && Fits(CertificatePublicKey.Of(certificate), info);

    internal static bool Fits(CertificatePublicKey key, Scheme scheme)
    {
        if (!key.Usable || key.Kind != scheme.Kind)
            return false;
        return key.Kind switch
        {
            // PSS with salt = hash length needs a modulus of at least 2 * hash length + 2 bytes (RFC 8017 §9.1.1).
            CertificateKeyKind.Rsa => key.SizeBits / 8 >= 2 * scheme.HashLength + 2,
            // An RSASSA-PSS key with parameters signs with the hash they name only (RFC 8446 §4.2.3, RFC 4055 §3.1).
            CertificateKeyKind.RsaPss => key.SizeBits / 8 >= 2 * scheme.HashLength + 2 && (key.PssHash is not { } only || only == scheme.Hash),
            _ => true,
        };
    }
}
