using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>
/// CertificateVerify with every key kind, keys given as PKCS#8: ECDSA P-256/P-384/P-521, RSA (rsa_pss_rsae_*),
/// RSASSA-PSS (rsa_pss_pss_*, with and without parameters restricting the hash), Ed25519 and Ed448.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class KeyKindSignatureTests
{
    public static TheoryData<string, SignatureScheme[]> Kinds => new()
    {
        { "p256", [SignatureScheme.ecdsa_secp256r1_sha256] },
        { "p384", [SignatureScheme.ecdsa_secp384r1_sha384] },
        { "p521", [SignatureScheme.ecdsa_secp521r1_sha512] },
        { "rsa", [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512] },
        { "rsa-pss", [SignatureScheme.rsa_pss_pss_sha256, SignatureScheme.rsa_pss_pss_sha384, SignatureScheme.rsa_pss_pss_sha512] },
        { "rsa-pss-sha384-only", [SignatureScheme.rsa_pss_pss_sha384] },
        { "ed25519", [SignatureScheme.ed25519] },
        { "ed448", [SignatureScheme.ed448] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_scheme_of_the_key_signs_and_verifies_and_no_other(string kind, SignatureScheme[] schemes)
    {
        var keyed = CertificateKeys.Get(kind);
        using var signer = new CertificateSigner(keyed.Certificate, keyed.Pkcs8);
        Assert.Equal(schemes, signer.Schemes);
        Assert.Equal(schemes, SignatureSchemes.For(keyed.Certificate));

        var hash = RandomNumberGenerator.GetBytes(48);
        foreach (var scheme in schemes)
        {
            var signature = signer.Sign(scheme, hash, CertificateVerifyRole.Client);
            Assert.True(SignatureVerifier.Verify(keyed.Certificate, scheme, signature, hash, CertificateVerifyRole.Client), $"{scheme} does not verify");
            Assert.False(SignatureVerifier.Verify(keyed.Certificate, scheme, signature, hash, CertificateVerifyRole.Server));
            var tampered = (byte[])signature.Clone();
            tampered[tampered.Length / 2] ^= 0x10;
            Assert.False(SignatureVerifier.Verify(keyed.Certificate, scheme, tampered, hash, CertificateVerifyRole.Client));
            Assert.False(SignatureVerifier.Verify(keyed.Certificate, scheme, signature[..^1], hash, CertificateVerifyRole.Client));

            // The same bytes under any scheme the key does not have are never valid.
            foreach (var other in SignatureSchemes.All.Select(entry => entry.Code).Except(schemes))
            {
                Assert.False(SignatureVerifier.Verify(keyed.Certificate, other, signature, hash, CertificateVerifyRole.Client));
            }
        }
    }

    [Fact]
    public void Ed25519_signatures_are_64_bytes_and_ed448_114()
    {
        using var ed25519 = new CertificateSigner(CertificateKeys.Get("ed25519").Certificate, CertificateKeys.Get("ed25519").Pkcs8);
        using var ed448 = new CertificateSigner(CertificateKeys.Get("ed448").Certificate, CertificateKeys.Get("ed448").Pkcs8);
        Assert.Equal(64, ed25519.Sign(SignatureScheme.ed25519, new byte[32]).Length);
        Assert.Equal(114, ed448.Sign(SignatureScheme.ed448, new byte[32]).Length);
        Assert.Equal("Ed25519", ed25519.KeyDescription);
        Assert.Equal("RSASSA-PSS 2048", new CertificateSigner(CertificateKeys.Get("rsa-pss").Certificate, CertificateKeys.Get("rsa-pss").Pkcs8).KeyDescription);
    }

    [Theory]
    [InlineData("ed25519", "ed448")]
    [InlineData("p256", "p384")]
    [InlineData("rsa", "rsa-pss")]
    [InlineData("ed25519", "p256")]
    public void A_key_of_another_certificate_is_refused(string certificateKind, string keyKind)
    {
        var certificate = CertificateKeys.Get(certificateKind).Certificate;
        Assert.Throws<ArgumentException>(() => new CertificateSigner(certificate, CertificateKeys.Get(keyKind).Pkcs8));
    }

    [Fact]
    public void A_key_of_the_same_kind_but_another_pair_is_refused()
    {
        var ed25519 = CertificateKeys.Get("ed25519");
        var otherSecret = CertificateKeys.Pkcs8("1.3.101.112", null, [0x04, 0x20, .. RandomNumberGenerator.GetBytes(32)]);
        Assert.Throws<ArgumentException>(() => new CertificateSigner(ed25519.Certificate, otherSecret));
        using var rsa = RSA.Create(2048);
        Assert.Throws<ArgumentException>(() => new CertificateSigner(CertificateKeys.Get("rsa").Certificate, rsa.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void Garbage_is_not_a_key()
    {
        Assert.Throws<ArgumentException>(() => new CertificateSigner(CertificateKeys.Get("p256").Certificate, [1, 2, 3]));
    }

    [Fact]
    public void An_rsa_pss_key_restricted_to_sha1_has_no_scheme()
    {
        // RSASSA-PSS-params with every field left out mean SHA-1, which TLS 1.3 never signs with.
        using var rsa = RSA.Create(2048);
        var key = new System.Security.Cryptography.X509Certificates.PublicKey(
            new Oid(CertificateKeys.RsaPssOid), new AsnEncodedData([0x30, 0x00]), new AsnEncodedData(rsa.ExportRSAPublicKey()));
        using var certificate = CertificateKeys.IssueCertificate("CN=sha1 pss", key);
        Assert.Empty(SignatureSchemes.For(certificate));
    }

    [Fact]
    public void Our_certificate_request_offers_every_scheme_we_verify()
    {
        Assert.Equal(
            [
                SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp521r1_sha512,
                SignatureScheme.ed25519, SignatureScheme.ed448,
                SignatureScheme.rsa_pss_pss_sha256, SignatureScheme.rsa_pss_pss_sha384, SignatureScheme.rsa_pss_pss_sha512,
                SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512,
            ],
            Tickets.Authentication.ClientCertificateExchange.OfferedSchemes);
    }
}
