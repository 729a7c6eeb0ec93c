using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Authentication;

/// <summary>
/// The client's answer to one CertificateRequest (RFC 8446 §4.4.2, §4.4.3): its Certificate, then, unless that was
/// empty, its CertificateVerify. The same steps serve the handshake and post-handshake authentication; only the
/// transcript they extend and the Finished that follows differ, so those stay with the caller.
/// </summary>
/// <remarks>
/// Alerts, as RFC 8446 asks: a request context other than ours is illegal_parameter; an empty Certificate when one is
/// required is certificate_required (§4.4.2.4); a certificate that cannot be parsed is bad_certificate; a signature
/// scheme we did not offer is illegal_parameter; a signature that does not verify is decrypt_error (§4.4.3). A chain
/// that does not verify only ends the connection when a verified certificate is required; otherwise its result is
/// kept with the identity, as s_server -verify does.
/// </remarks>
internal sealed class ClientCertificateExchange(byte[] requestContext, ClientAuthenticationPolicy policy, TimeProvider time) : IDisposable
{
    private X509Certificate2? leaf;
    private ChainVerdict? verdict;
    private PeerIdentity? identity;

    /// <summary>The schemes our CertificateRequest offers: every one we can verify.</summary>
    public static IReadOnlyList<SignatureScheme> OfferedSchemes { get; } = SignatureSchemes.All.Select(scheme => scheme.Code).ToArray();

    /// <summary>The CertificateRequest message that starts this exchange.</summary>
    public byte[] Request() => CertificateRequestCodec.Encode(new Tickets.Core.Protocol.CertificateRequest(requestContext, OfferedSchemes));

    /// <summary>True after a non-empty Certificate: a CertificateVerify must come next.</summary>
    public bool ExpectsCertificateVerify => leaf is not null && identity is null;

    /// <summary>The proven identity once the exchange is through CertificateVerify; none when the client sent no certificate.</summary>
    public Option<PeerIdentity> Peer => identity is null ? Option<PeerIdentity>.None : identity;

    /// <summary>Reads the client's Certificate. The caller appends it to the transcript afterwards.</summary>
    public void AcceptCertificate(ReadOnlySpan<byte> message)
    {
        var certificate = TlsAlertException.Expect(CertificateCodec.Decode(message));
        if (!CryptographicOperations.FixedTimeEquals(certificate.RequestContext, requestContext))
        {
            throw new TlsAlertException(AlertDescription.IllegalParameter, "Certificate does not answer our certificate_request_context");
        }

        if (certificate.Certificates.Count == 0)
        {
            if (policy.Required)
            {
                throw new TlsAlertException(AlertDescription.CertificateRequired, "a client certificate is required and the client sent none");
            }

            return;
        }

        var chain = certificate.Certificates.Select(Load).ToArray();
        leaf = chain[0];
        verdict = ClientChainVerifier.Verify(leaf, chain[1..], policy.TrustAnchors, time.GetUtcNow().UtcDateTime);
        foreach (var intermediate in chain[1..])
        {
            intermediate.Dispose();
        }

        if (!verdict.Verified && policy.Required)
        {
            throw new TlsAlertException(verdict.Alert, $"client certificate does not verify: {verdict.Result}");
        }
    }

    /// <summary>
    /// Checks the client's CertificateVerify against <paramref name="transcriptHash"/>, the hash of the transcript
    /// through the client's Certificate. The caller appends the message afterwards.
    /// </summary>
    public void AcceptCertificateVerify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> transcriptHash)
    {
        if (leaf is null || verdict is null)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "CertificateVerify without a client certificate");
        }

        var verify = TlsAlertException.Expect(CertificateVerifyCodec.Decode(message));
        if (!OfferedSchemes.Contains(verify.Scheme))
        {
            throw new TlsAlertException(AlertDescription.IllegalParameter, $"client signed with {verify.Scheme}, which we did not offer");
        }

        if (!SignatureVerifier.Verify(leaf, verify.Scheme, verify.Signature, transcriptHash, CertificateVerifyRole.Client))
        {
            throw new TlsAlertException(AlertDescription.DecryptError, "client CertificateVerify does not verify");
        }

        identity = new PeerIdentity(leaf.Subject, new Arr<byte>(leaf.RawData), verdict.Verified, verdict.Result);
    }

    private static X509Certificate2 Load(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException error)
        {
            throw new TlsAlertException(AlertDescription.BadCertificate, $"client certificate cannot be parsed: {error.Message}");
        }
    }

    public void Dispose() => leaf?.Dispose();
}
