using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Checks a peer's CertificateVerify (RFC 8446 §4.4.3) against the public key of its end-entity certificate.
/// A false result means the handshake must fail with decrypt_error; a scheme that does not fit the key
/// (or that TLS 1.3 forbids, like PKCS#1 v1.5) is simply not valid, so it is false too.
/// </summary>
internal static class SignatureVerifier
{
    public static bool Verify(
        X509Certificate2 certificate,
        SignatureScheme scheme,
        ReadOnlySpan<byte> signature,
        ReadOnlySpan<byte> transcriptHash,
        CertificateVerifyRole role)
    {
        var info = SignatureSchemes.Find(scheme);
        var key = CertificatePublicKey.Of(certificate);
        if (info is null || !SignatureSchemes.Fits(key, info))
            return false;
        var content = CertificateVerifyContent.Build(role, transcriptHash);
        try
        {
            switch (info.Kind)
            {
                case CertificateKeyKind.EcdsaP256 or CertificateKeyKind.EcdsaP384 or CertificateKeyKind.EcdsaP521:
                {
                    using var ecdsa = certificate.GetECDsaPublicKey();
                    return ecdsa is not null && ecdsa.VerifyData(content, signature, info.Hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                case CertificateKeyKind.Rsa:
                {
                    using var rsa = certificate.GetRSAPublicKey();
                    return rsa is not null && rsa.VerifyData(content, signature, info.Hash, RSASignaturePadding.Pss);
                }
                case CertificateKeyKind.RsaPss:
                {
                    // The base library does not read RSASSA-PSS certificates; the key inside is a plain RSAPublicKey.
                    using var rsa = key.ImportRsa();
                    return rsa.VerifyData(content, signature, info.Hash, RSASignaturePadding.Pss);
                }
                case CertificateKeyKind.Ed25519:
                    // Pure Ed25519 over the content itself (RFC 8032 §5.1), no context.
                    return signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signature, key.RawKey, content);
                case CertificateKeyKind.Ed448:
                    // Pure Ed448 with the empty context (RFC 8032 §5.2).
                    return signature.Length == Ed448.SignatureSize && Ed448.Verify(signature, key.RawKey, [], content);
                default:
                    return false;
            }
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException)
        {
            // Malformed signatures or keys (bad DER, wrong length) are just invalid signatures.
            return false;
        }
    }
}
