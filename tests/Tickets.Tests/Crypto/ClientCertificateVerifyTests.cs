using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Tickets.Authentication;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>
/// The client's CertificateVerify for each key kind, as the server judges it: a good signature is accepted, a scheme
/// the certificate's key cannot make is illegal_parameter (as OpenSSL answers, and as tlsfuzzer's
/// test-tls13-*-certificate-verify scripts expect), and a bad signature in the right scheme is decrypt_error.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ClientCertificateVerifyTests
{
    public static TheoryData<string, SignatureScheme, SignatureScheme> Kinds => new()
    {
        { "p256", SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384 },
        { "p521", SignatureScheme.ecdsa_secp521r1_sha512, SignatureScheme.ecdsa_secp256r1_sha256 },
        { "rsa", SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_pss_sha256 },
        { "rsa-pss", SignatureScheme.rsa_pss_pss_sha384, SignatureScheme.rsa_pss_rsae_sha384 },
        { "ed25519", SignatureScheme.ed25519, SignatureScheme.ed448 },
        { "ed448", SignatureScheme.ed448, SignatureScheme.ecdsa_secp256r1_sha256 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Good_signatures_pass_mismatched_schemes_are_illegal_parameter_and_bad_signatures_decrypt_error(
        string kind, SignatureScheme scheme, SignatureScheme mismatched)
    {
        var keyed = CertificateKeys.Get(kind);
        using var signer = new CertificateSigner(keyed.Certificate, keyed.Pkcs8);
        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = signer.Sign(scheme, hash, CertificateVerifyRole.Client);

        using (var accepted = Exchange(keyed))
        {
            accepted.AcceptCertificateVerify(CertificateVerifyCodec.Encode(new CertificateVerify(scheme, signature)), hash);
            // The identity is recorded once the chain is judged, which happens only after the key is proven.
            await accepted.JudgeChainAsync();
            Assert.True(accepted.Peer.IsSome);
        }

        using (var wrongScheme = Exchange(keyed))
        {
            var refused = Assert.Throws<TlsAlertException>(() =>
                wrongScheme.AcceptCertificateVerify(CertificateVerifyCodec.Encode(new CertificateVerify(mismatched, signature)), hash));
            Assert.Equal(AlertDescription.IllegalParameter, refused.Alert);
        }

        using (var badSignature = Exchange(keyed))
        {
            var tampered = (byte[])signature.Clone();
            tampered[^3] ^= 0x40;
            var refused = Assert.Throws<TlsAlertException>(() =>
                badSignature.AcceptCertificateVerify(CertificateVerifyCodec.Encode(new CertificateVerify(scheme, tampered)), hash));
            Assert.Equal(AlertDescription.DecryptError, refused.Alert);
        }
    }

    /// <summary>An exchange that has accepted <paramref name="keyed"/>'s certificate (requested, not required; trusting its CA).</summary>
    private static ClientCertificateExchange Exchange(KeyedCertificate keyed)
    {
        X509Certificate2[] anchors = [CertificateKeys.Issuer];
        var policy = new ClientAuthenticationPolicy(
            ClientCertificateMode.Request, anchors, AuthenticationContexts.Of(ClientCertificateMode.Request, anchors));
        var exchange = new ClientCertificateExchange([], policy, TimeProvider.System);
        exchange.AcceptCertificate(CertificateCodec.Encode(new CertificateMessage([], [keyed.Certificate.RawData])));
        Assert.True(exchange.ExpectsCertificateVerify);
        return exchange;
    }
}
