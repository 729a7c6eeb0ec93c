using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Signs CertificateVerify with the private key of our certificate (RFC 8446 §4.4.3). Created once per
/// server context; the base library's key objects are safe to sign with from several connections.
/// </summary>
public sealed class CertificateSigner : IDisposable
{
    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;

    public CertificateSigner(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        Certificate = certificate;
        ecdsa = certificate.GetECDsaPrivateKey();
        rsa = ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        Schemes = SignatureSchemes.For(certificate);
        if (Schemes.Count == 0 || (ecdsa is null && rsa is null))
            throw new ArgumentException("The certificate's key is neither ECDSA (P-256/P-384/P-521) nor RSA.", nameof(certificate));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The schemes this key can sign with, most preferred first (what ServerPreferences.SignatureSchemes wants).</summary>
    public IReadOnlyList<SignatureScheme> Schemes { get; }

    public bool CanSign(SignatureScheme scheme) => Schemes.Contains(scheme);

    /// <summary>
    /// The CertificateVerify.signature for <paramref name="scheme"/> over the transcript hash: ECDSA as a DER
    /// SEQUENCE { r, s }, RSA as PSS with MGF1 and salt length = hash length. Negotiation picks a scheme from
    /// <see cref="Schemes"/>, so any other scheme is a programming error.
    /// </summary>
    public byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> transcriptHash, CertificateVerifyRole role = CertificateVerifyRole.Server)
    {
        var info = SignatureSchemes.Find(scheme);
        if (info is null || !CanSign(scheme))
            throw new ArgumentOutOfRangeException(nameof(scheme), $"This certificate cannot sign with {scheme}.");
        var content = CertificateVerifyContent.Build(role, transcriptHash);
        return info.Kind switch
        {
            SignatureSchemes.KeyKind.Ecdsa => ecdsa!.SignData(content, info.Hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => rsa!.SignData(content, info.Hash, RSASignaturePadding.Pss),
        };
    }

    public void Dispose()
    {
        ecdsa?.Dispose();
        rsa?.Dispose();
    }
}
