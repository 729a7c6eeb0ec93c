using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core;
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
/// scheme we did not offer, or one the certificate's key cannot make, is illegal_parameter; a signature that does not
/// verify is decrypt_error (§4.4.3). A chain
/// that does not verify only ends the connection when a verified certificate is required; otherwise its result is
/// kept with the identity, as s_server -verify does.
/// <para>The chain is judged after CertificateVerify, not when the Certificate arrives as OpenSSL does: nothing about a
/// chain is worth working on before its sender has proved it holds the leaf's key. RFC 8446 fixes the order of the
/// messages, not when a server judges them.</para>
/// </remarks>
internal sealed class ClientCertificateExchange(byte[] requestContext, ClientAuthenticationPolicy policy, TimeProvider time) : IDisposable
{
    private X509Certificate2? leaf;
    private X509Certificate2[] intermediates = [];
    private bool keyProven;
    private PeerIdentity? identity;

    /// <summary>The schemes our CertificateRequest offers: every one we can verify.</summary>
    public static EquatableArray<SignatureScheme> OfferedSchemes { get; } = EquatableArray.Of(SignatureSchemes.All.Select(scheme => scheme.Code));

    /// <summary>The CertificateRequest message that starts this exchange.</summary>
    public byte[] Request() => CertificateRequestCodec.Encode(new Tickets.Core.Protocol.CertificateRequest(requestContext, OfferedSchemes));

    /// <summary>True after a non-empty Certificate: a CertificateVerify must come next.</summary>
    public bool ExpectsCertificateVerify => leaf is not null && !keyProven;

    /// <summary>The proven identity once the exchange is through CertificateVerify; none when the client sent no certificate.</summary>
    public Option<PeerIdentity> Peer => identity is null ? Option<PeerIdentity>.None : identity;

    /// <summary>
    /// Reads the client's Certificate: parses it and keeps the chain, nothing more. The chain is judged only once the
    /// client has proved it holds the leaf's key (<see cref="JudgeChainAsync"/>). The caller appends it to the transcript
    /// afterwards.
    /// </summary>
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

        var chain = new List<X509Certificate2>(certificate.Certificates.Count);
        try
        {
            foreach (var der in certificate.Certificates)
            {
                chain.Add(Load(der));
            }
        }
        catch
        {
            chain.ForEach(loaded => loaded.Dispose());
            throw;
        }

        leaf = chain[0];
        intermediates = [.. chain.Skip(1)];
    }

    /// <summary>
    /// Checks the client's CertificateVerify against <paramref name="transcriptHash"/>, the hash of the transcript
    /// through the client's Certificate: the client now holds the leaf's key. The caller appends the message afterwards
    /// and then has the chain judged.
    /// </summary>
    public void AcceptCertificateVerify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> transcriptHash)
    {
        if (leaf is null || keyProven)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "CertificateVerify without a client certificate");
        }

        var verify = TlsAlertException.Expect(CertificateVerifyCodec.Decode(message));
        if (!OfferedSchemes.Contains(verify.Scheme))
        {
            throw new TlsAlertException(AlertDescription.IllegalParameter, $"client signed with {verify.Scheme}, which we did not offer");
        }

        // A scheme its certificate's key cannot make (ecdsa_secp384r1_sha384 with a P-256 key, rsa_pss_pss_* with an
        // rsaEncryption key) is a field inconsistent with another, not a bad signature (RFC 8446 §6.2), as in OpenSSL.
        if (!SignatureSchemes.Fits(leaf, verify.Scheme))
        {
            throw new TlsAlertException(AlertDescription.IllegalParameter, $"client signed with {verify.Scheme}, which its certificate's key cannot make");
        }

        if (!SignatureVerifier.Verify(leaf, verify.Scheme, verify.Signature, transcriptHash, CertificateVerifyRole.Client))
        {
            throw new TlsAlertException(AlertDescription.DecryptError, "client CertificateVerify does not verify");
        }

        keyProven = true;
    }

    /// <summary>
    /// Builds and judges the chain of a client that proved its key, and records its identity. Chain building runs on the
    /// thread pool, never on the thread that completed the socket read (with inline completions that thread serves
    /// every connection), and fetches nothing a certificate names (see <see cref="ClientChainVerifier"/>). A chain that
    /// does not verify ends the connection only when a verified certificate is required.
    /// </summary>
    public async ValueTask JudgeChainAsync()
    {
        if (leaf is null || !keyProven || identity is not null)
        {
            throw new InvalidOperationException("The chain is judged once, after the client proved its key.");
        }

        var proven = leaf;
        var chain = intermediates;
        var now = time.GetUtcNow().UtcDateTime;
        var verdict = await Task.Run(() => ClientChainVerifier.Verify(proven, chain, policy.TrustAnchors, policy.Revocation, now)).ConfigureAwait(false);
        DisposeIntermediates();
        if (!verdict.Verified && policy.Required)
        {
            throw new TlsAlertException(verdict.Alert, $"client certificate does not verify: {verdict.Result}");
        }

        identity = new PeerIdentity(proven.Subject, new Bytes(proven.RawData), verdict.Verified, verdict.Result);
    }

    private static X509Certificate2 Load(Bytes der)
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

    private void DisposeIntermediates()
    {
        foreach (var intermediate in intermediates)
        {
            intermediate.Dispose();
        }

        intermediates = [];
    }

    public void Dispose()
    {
        leaf?.Dispose();
        DisposeIntermediates();
    }
}
