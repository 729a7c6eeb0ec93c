using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Tickets.Core;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Signs CertificateVerify with the private key of our certificate (RFC 8446 §4.4.3): ECDSA P-256/P-384/P-521 and RSA
/// through the base library, RSASSA-PSS keys through the base library's RSA, Ed25519 and Ed448 through BouncyCastle
/// (the base library has no EdDSA). Created once per server context; safe to sign with from several connections.
/// </summary>
internal sealed class CertificateSigner : IDisposable
{
    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;
    private readonly byte[]? edwardsKey;
    private readonly CertificateKeyKind kind;

    /// <summary>Signs with the private key the certificate carries (ECDSA or RSA: what X509Certificate2 can hold).</summary>
    public CertificateSigner(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        Certificate = certificate;
        kind = CertificatePublicKey.Of(certificate).Kind;
        ecdsa = certificate.GetECDsaPrivateKey();
        rsa = ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        Schemes = EquatableArray.Of(SignatureSchemes.For(certificate));
        if (Schemes.Count == 0 || (ecdsa is null && rsa is null))
            throw new ArgumentException("The certificate's key is neither ECDSA (P-256/P-384/P-521) nor RSA.", nameof(certificate));
    }

    /// <summary>
    /// Signs with a PKCS#8 private key (RFC 5208) for the certificate's public key: ECDSA, RSA, RSASSA-PSS, Ed25519 or
    /// Ed448. The key is proven to match the certificate by signing once and verifying with the certificate.
    /// </summary>
    public CertificateSigner(X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8PrivateKey)
    {
        Certificate = certificate;
        kind = CertificatePublicKey.Of(certificate).Kind;
        Schemes = EquatableArray.Of(SignatureSchemes.For(certificate));
        if (Schemes.Count == 0)
            throw new ArgumentException("The certificate's key is not one TLS 1.3 can sign with here (ECDSA P-256/P-384/P-521, RSA, RSASSA-PSS, Ed25519, Ed448).", nameof(certificate));

        var (algorithm, privateKey) = ReadPkcs8(pkcs8PrivateKey);
        try
        {
            Import(algorithm, pkcs8PrivateKey, privateKey, out ecdsa, out rsa, out edwardsKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }

        var probe = RandomNumberGenerator.GetBytes(32);
        if (!SignatureVerifier.Verify(certificate, Schemes[0], Sign(Schemes[0], probe), probe, CertificateVerifyRole.Server))
        {
            Dispose();
            throw new ArgumentException("The private key does not belong to the certificate.", nameof(pkcs8PrivateKey));
        }
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The schemes this key can sign with, most preferred first (what ServerPreferences.SignatureSchemes wants).</summary>
    public EquatableArray<SignatureScheme> Schemes { get; }

    /// <summary>"ECDSA P-256", "RSA 2048", "RSASSA-PSS 2048", "Ed25519"...: for start-up lines.</summary>
    public string KeyDescription => CertificatePublicKey.Of(Certificate) switch
    {
        { Kind: CertificateKeyKind.EcdsaP256 } => "ECDSA P-256",
        { Kind: CertificateKeyKind.EcdsaP384 } => "ECDSA P-384",
        { Kind: CertificateKeyKind.EcdsaP521 } => "ECDSA P-521",
        { Kind: CertificateKeyKind.Rsa, SizeBits: var bits } => $"RSA {bits}",
        { Kind: CertificateKeyKind.RsaPss, SizeBits: var bits } => $"RSASSA-PSS {bits}",
        { Kind: var other } => other.ToString(),
    };

    public bool CanSign(SignatureScheme scheme) => Schemes.Contains(scheme);

    /// <summary>
    /// The CertificateVerify.signature for <paramref name="scheme"/> over the transcript hash: ECDSA as a DER
    /// SEQUENCE { r, s }, RSA as PSS with MGF1 and salt length = hash length, EdDSA in its pure form. Negotiation picks a
    /// scheme from <see cref="Schemes"/>, so any other scheme is a programming error.
    /// </summary>
    public byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> transcriptHash, CertificateVerifyRole role = CertificateVerifyRole.Server)
    {
        var info = SignatureSchemes.Find(scheme);
        if (info is null || !CanSign(scheme))
            throw new ArgumentOutOfRangeException(nameof(scheme), $"This certificate cannot sign with {scheme}.");
        var content = CertificateVerifyContent.Build(role, transcriptHash);
        switch (kind)
        {
            case CertificateKeyKind.Ed25519:
            {
                var signature = new byte[Ed25519.SignatureSize];
                Ed25519.Sign(edwardsKey, 0, content, 0, content.Length, signature, 0);
                return signature;
            }
            case CertificateKeyKind.Ed448:
            {
                var signature = new byte[Ed448.SignatureSize];
                Ed448.Sign(edwardsKey, 0, [], content, 0, content.Length, signature, 0);
                return signature;
            }
            case CertificateKeyKind.Rsa or CertificateKeyKind.RsaPss:
                return rsa!.SignData(content, info.Hash, RSASignaturePadding.Pss);
            default:
                return ecdsa!.SignData(content, info.Hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    public void Dispose()
    {
        ecdsa?.Dispose();
        rsa?.Dispose();
        if (edwardsKey is not null)
            CryptographicOperations.ZeroMemory(edwardsKey);
    }

    /// <summary>
    /// Loads the private key into the object that signs with it. The key's algorithm must be the certificate's (an RSA
    /// key may come as rsaEncryption or RSASSA-PSS: the key inside is the same), so a mismatch fails before any signing.
    /// </summary>
    private void Import(string algorithm, ReadOnlySpan<byte> pkcs8, byte[] privateKey, out ECDsa? ecKey, out RSA? rsaKey, out byte[]? edKey)
    {
        (ecKey, rsaKey, edKey) = (null, null, null);
        var fits = algorithm switch
        {
            CertificatePublicKey.EcPublicKeyOid => kind is CertificateKeyKind.EcdsaP256 or CertificateKeyKind.EcdsaP384 or CertificateKeyKind.EcdsaP521,
            CertificatePublicKey.RsaEncryptionOid or CertificatePublicKey.RsaPssOid => kind is CertificateKeyKind.Rsa or CertificateKeyKind.RsaPss,
            CertificatePublicKey.Ed25519Oid => kind is CertificateKeyKind.Ed25519,
            CertificatePublicKey.Ed448Oid => kind is CertificateKeyKind.Ed448,
            _ => false,
        };
        if (!fits)
            throw new ArgumentException($"The private key (algorithm {algorithm}) is not of the certificate's kind ({kind}).", nameof(pkcs8));

        switch (algorithm)
        {
            case CertificatePublicKey.EcPublicKeyOid:
                ecKey = ECDsa.Create();
                ecKey.ImportPkcs8PrivateKey(pkcs8, out _);
                break;
            case CertificatePublicKey.RsaEncryptionOid:
                rsaKey = RSA.Create();
                rsaKey.ImportPkcs8PrivateKey(pkcs8, out _);
                break;
            case CertificatePublicKey.RsaPssOid:
                // The same RSAPrivateKey inside as for rsaEncryption; the base library only refuses the outer identifier.
                rsaKey = RSA.Create();
                rsaKey.ImportRSAPrivateKey(privateKey, out _);
                break;
            default:
                // RFC 8410 §7: the private key is an OCTET STRING holding the 32-byte (Ed25519) or 57-byte (Ed448) secret.
                edKey = new AsnReader(privateKey, AsnEncodingRules.DER).ReadOctetString();
                if (edKey.Length != (kind == CertificateKeyKind.Ed25519 ? Ed25519.SecretKeySize : Ed448.SecretKeySize))
                    throw new ArgumentException($"An {kind} private key of {edKey.Length} bytes.", nameof(pkcs8));
                break;
        }
    }

    /// <summary>PrivateKeyInfo / OneAsymmetricKey: the algorithm's OID and the privateKey OCTET STRING's contents.</summary>
    private static (string Algorithm, byte[] PrivateKey) ReadPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var copy = pkcs8.ToArray();
        try
        {
            var info = new AsnReader(copy, AsnEncodingRules.BER).ReadSequence();
            _ = info.ReadInteger();
            var algorithm = info.ReadSequence().ReadObjectIdentifier();
            return (algorithm, info.ReadOctetString());
        }
        catch (AsnContentException error)
        {
            throw new ArgumentException($"The private key is not PKCS#8: {error.Message}", nameof(pkcs8), error);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }
}
