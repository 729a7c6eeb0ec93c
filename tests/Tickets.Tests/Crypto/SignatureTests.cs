using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;
using CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>CertificateVerify signing and verification for each scheme, including RFC 8448's real signature.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class SignatureTests
{
    private static X509Certificate2 EcdsaCertificate(ECCurve curve, HashAlgorithmName hash)
    {
        using var key = ECDsa.Create(curve);
        var request = new CertificateRequest("CN=ecdsa", key, hash);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 RsaCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static readonly Lazy<X509Certificate2> P256 = new(() => EcdsaCertificate(ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256));
    private static readonly Lazy<X509Certificate2> P384 = new(() => EcdsaCertificate(ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384));
    private static readonly Lazy<X509Certificate2> Rsa = new(RsaCertificate);

    private static X509Certificate2 CertificateFor(string kind) => kind switch
    {
        "p256" => P256.Value,
        "p384" => P384.Value,
        _ => Rsa.Value,
    };

    public static TheoryData<string, SignatureScheme> Cases => new()
    {
        { "p256", SignatureScheme.ecdsa_secp256r1_sha256 },
        { "p384", SignatureScheme.ecdsa_secp384r1_sha384 },
        { "rsa", SignatureScheme.rsa_pss_rsae_sha256 },
        { "rsa", SignatureScheme.rsa_pss_rsae_sha384 },
        { "rsa", SignatureScheme.rsa_pss_rsae_sha512 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SignedCertificateVerifyVerifiesAndTamperingBreaksIt(string kind, SignatureScheme scheme)
    {
        var certificate = CertificateFor(kind);
        using var signer = new CertificateSigner(certificate);
        var transcriptHash = RandomNumberGenerator.GetBytes(48);

        var signature = signer.Sign(scheme, transcriptHash);

        Assert.True(SignatureVerifier.Verify(certificate, scheme, signature, transcriptHash, CertificateVerifyRole.Server));
        var tampered = (byte[])signature.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        Assert.False(SignatureVerifier.Verify(certificate, scheme, tampered, transcriptHash, CertificateVerifyRole.Server));
        // The context string binds the role: a server signature is no client signature.
        Assert.False(SignatureVerifier.Verify(certificate, scheme, signature, transcriptHash, CertificateVerifyRole.Client));
        var otherHash = (byte[])transcriptHash.Clone();
        otherHash[0] ^= 0x80;
        Assert.False(SignatureVerifier.Verify(certificate, scheme, signature, otherHash, CertificateVerifyRole.Server));
    }

    [Fact]
    public void ClientRoleSignaturesVerifyAsClient()
    {
        using var signer = new CertificateSigner(P256.Value);
        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = signer.Sign(SignatureScheme.ecdsa_secp256r1_sha256, hash, CertificateVerifyRole.Client);
        Assert.True(SignatureVerifier.Verify(P256.Value, SignatureScheme.ecdsa_secp256r1_sha256, signature, hash, CertificateVerifyRole.Client));
    }

    [Fact]
    public void EcdsaSignaturesAreDerSequences()
    {
        using var signer = new CertificateSigner(P256.Value);
        var signature = signer.Sign(SignatureScheme.ecdsa_secp256r1_sha256, new byte[32]);
        Assert.Equal(0x30, signature[0]);
        Assert.Equal(signature.Length - 2, signature[1]);
    }

    [Fact]
    public void SchemesFollowTheKey()
    {
        Assert.Equal([SignatureScheme.ecdsa_secp256r1_sha256], SignatureSchemes.For(P256.Value));
        Assert.Equal([SignatureScheme.ecdsa_secp384r1_sha384], SignatureSchemes.For(P384.Value));
        Assert.Equal(
            [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512],
            SignatureSchemes.For(Rsa.Value));
        using var signer = new CertificateSigner(P384.Value);
        Assert.False(signer.CanSign(SignatureScheme.ecdsa_secp256r1_sha256));
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.Sign(SignatureScheme.ecdsa_secp256r1_sha256, new byte[32]));
    }

    [Fact]
    public void SchemesThatDoNotFitTheKeyNeverVerify()
    {
        using var signer = new CertificateSigner(P256.Value);
        var hash = new byte[32];
        var signature = signer.Sign(SignatureScheme.ecdsa_secp256r1_sha256, hash);
        Assert.False(SignatureVerifier.Verify(P256.Value, SignatureScheme.ecdsa_secp384r1_sha384, signature, hash, CertificateVerifyRole.Server));
        Assert.False(SignatureVerifier.Verify(P256.Value, SignatureScheme.rsa_pss_rsae_sha256, signature, hash, CertificateVerifyRole.Server));
        // PKCS#1 v1.5 is forbidden in TLS 1.3 CertificateVerify.
        Assert.False(SignatureVerifier.Verify(Rsa.Value, SignatureScheme.rsa_pkcs1_sha256, new byte[256], hash, CertificateVerifyRole.Server));
    }

    [Fact]
    public void GarbageSignaturesAreFalseNotExceptions()
    {
        Assert.False(SignatureVerifier.Verify(P256.Value, SignatureScheme.ecdsa_secp256r1_sha256, [0x30, 0x99, 0x01], new byte[32], CertificateVerifyRole.Client));
        Assert.False(SignatureVerifier.Verify(Rsa.Value, SignatureScheme.rsa_pss_rsae_sha256, [1, 2, 3], new byte[32], CertificateVerifyRole.Client));
        Assert.False(SignatureVerifier.Verify(P384.Value, SignatureScheme.ecdsa_secp384r1_sha384, [], new byte[48], CertificateVerifyRole.Client));
    }

    [Fact]
    public void CertificateWithoutPrivateKeyCannotSign()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(P256.Value.RawData);
        Assert.Throws<ArgumentException>(() => new CertificateSigner(publicOnly));
    }

    [Fact]
    public void ContentIsSixtyFourSpacesContextZeroAndHash()
    {
        var hash = new byte[] { 1, 2, 3 };
        var content = CertificateVerifyContent.Build(CertificateVerifyRole.Client, hash);
        byte[] expected = [.. Enumerable.Repeat((byte)0x20, 64), .. "TLS 1.3, client CertificateVerify"u8, 0, 1, 2, 3];
        Assert.Equal(expected, content);
    }

    [Fact]
    public void VerifiesTheServerCertificateVerifyOfRfc8448()
    {
        const int section = 3;
        var certificateMessage = Rfc8448.Value(section, "{server}  construct a Certificate handshake message", "Certificate");
        // Certificate: header(4) | context length(1) | list length(3) | cert_data length(3) | DER ...
        int derLength = (certificateMessage[8] << 16) | (certificateMessage[9] << 8) | certificateMessage[10];
        using var certificate = X509CertificateLoader.LoadCertificate(certificateMessage.AsSpan(11, derLength));
        var certificateVerify = Rfc8448.Value(section, "{server}  construct a CertificateVerify handshake message", "CertificateVerify");
        var scheme = (SignatureScheme)((certificateVerify[4] << 8) | certificateVerify[5]);
        var signature = certificateVerify[8..];

        using var transcript = new TranscriptHash(HashAlgorithmName.SHA256);
        transcript.Append(Rfc8448.Value(section, "{client}  construct a ClientHello handshake message", "ClientHello"));
        transcript.Append(Rfc8448.Value(section, "{server}  construct a ServerHello handshake message", "ServerHello"));
        transcript.Append(Rfc8448.Value(section, "{server}  construct an EncryptedExtensions handshake message", "EncryptedExtensions"));
        transcript.Append(certificateMessage);

        Assert.Equal(SignatureScheme.rsa_pss_rsae_sha256, scheme);
        Assert.True(SignatureVerifier.Verify(certificate, scheme, signature, transcript.Current(), CertificateVerifyRole.Server));
        Assert.False(SignatureVerifier.Verify(certificate, scheme, signature, transcript.Current(), CertificateVerifyRole.Client));
    }
}
