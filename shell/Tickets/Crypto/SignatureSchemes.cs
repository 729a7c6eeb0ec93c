using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// The TLS 1.3 CertificateVerify signature schemes we implement and what each means in base-library
/// terms. TLS 1.3 ties each ECDSA scheme to one curve, and RSA only signs with PSS (RFC 8446 §4.2.3).
/// </summary>
public static class SignatureSchemes
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    internal enum KeyKind { Ecdsa, RsaPss }

    internal sealed record Scheme(SignatureScheme Code, KeyKind Kind, HashAlgorithmName Hash, int HashLength, string? CurveOid);

    /// <summary>All implemented schemes, in the order we prefer to sign with them.</summary>
    internal static IReadOnlyList<Scheme> All { get; } =
    [
        new(SignatureScheme.ecdsa_secp256r1_sha256, KeyKind.Ecdsa, HashAlgorithmName.SHA256, 32, P256Oid),
        new(SignatureScheme.ecdsa_secp384r1_sha384, KeyKind.Ecdsa, HashAlgorithmName.SHA384, 48, P384Oid),
        new(SignatureScheme.ecdsa_secp521r1_sha512, KeyKind.Ecdsa, HashAlgorithmName.SHA512, 64, P521Oid),
        new(SignatureScheme.rsa_pss_rsae_sha256, KeyKind.RsaPss, HashAlgorithmName.SHA256, 32, null),
        new(SignatureScheme.rsa_pss_rsae_sha384, KeyKind.RsaPss, HashAlgorithmName.SHA384, 48, null),
        new(SignatureScheme.rsa_pss_rsae_sha512, KeyKind.RsaPss, HashAlgorithmName.SHA512, 64, null),
    ];

    internal static Scheme? Find(SignatureScheme code)
    {
        foreach (var scheme in All)
            if (scheme.Code == code)
                return scheme;
        return null;
    }

    /// <summary>
    /// The schemes the certificate's public key can produce (or verify) signatures for, in preference order;
    /// empty for keys we cannot use (e.g. Ed25519, RSASSA-PSS-only keys, other curves).
    /// </summary>
    public static IReadOnlyList<SignatureScheme> For(X509Certificate2 certificate)
    {
        var usable = new List<SignatureScheme>();
        foreach (var scheme in All)
            if (Fits(certificate, scheme))
                usable.Add(scheme.Code);
        return usable;
    }

    internal static bool Fits(X509Certificate2 certificate, Scheme scheme)
    {
        switch (scheme.Kind)
        {
            case KeyKind.Ecdsa:
            {
                using var key = certificate.GetECDsaPublicKey();
                return key is not null && CurveOid(key) == scheme.CurveOid;
            }
            case KeyKind.RsaPss:
            {
                // rsa_pss_rsae_* are for keys with the plain rsaEncryption OID; PSS with salt = hash length
                // needs a modulus of at least 2 * hash length + 2 bytes.
                if (certificate.PublicKey.Oid.Value != RsaEncryptionOid)
                    return false;
                using var key = certificate.GetRSAPublicKey();
                return key is not null && key.KeySize / 8 >= 2 * scheme.HashLength + 2;
            }
            default:
                return false;
        }
    }

    private static string? CurveOid(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (curve.Oid?.Value is { } value)
            return value;
        // Some platforms name the curve without its dotted OID.
        return curve.Oid?.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1" => P256Oid,
            "nistP384" or "ECDSA_P384" or "secp384r1" => P384Oid,
            "nistP521" or "ECDSA_P521" or "secp521r1" => P521Oid,
            _ => null,
        };
    }
}
