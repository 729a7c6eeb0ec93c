using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Checks a peer's CertificateVerify (RFC 8446 §4.4.3) against the public key of its end-entity certificate.
/// A false result means the handshake must fail with decrypt_error; a scheme that does not fit the key
/// (or that TLS 1.3 forbids, like PKCS#1 v1.5) is simply not valid, so it is false too.
/// </summary>
public static class SignatureVerifier
{
    public static bool Verify(
        X509Certificate2 certificate,
        SignatureScheme scheme,
        ReadOnlySpan<byte> signature,
        ReadOnlySpan<byte> transcriptHash,
        CertificateVerifyRole role)
    {
        var info = SignatureSchemes.Find(scheme);
        if (info is null || !SignatureSchemes.Fits(certificate, info))
            return false;
        var content = CertificateVerifyContent.Build(role, transcriptHash);
        try
        {
            if (info.Kind == SignatureSchemes.KeyKind.Ecdsa)
            {
                using var key = certificate.GetECDsaPublicKey();
                return key is not null && key.VerifyData(content, signature, info.Hash, DSASignatureFormat.Rfc3279DerSequence);
            }
            using var rsa = certificate.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(content, signature, info.Hash, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            // Malformed signatures (bad DER, wrong length) are just invalid signatures.
            return false;
        }
    }
}
