using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Authentication;

namespace Tickets.Handshake;

/// <summary>
/// Client authentication inside the handshake (RFC 8446 §4.3.2, §4.4.2, §4.4.3): our CertificateRequest after
/// EncryptedExtensions, then the client's Certificate and CertificateVerify before its Finished.
/// </summary>
internal sealed partial class ServerHandshake
{
    // Set when we asked for a certificate in this handshake.
    private ClientCertificateExchange? clientCertificate;

    /// <summary>
    /// Asks for a certificate when the context says so. Only in full handshakes: a server authenticating with a PSK
    /// must not send CertificateRequest (§4.3.2); a resumed session carries the identity its ticket recorded. The
    /// context is empty, as the handshake requires.
    /// </summary>
    private void SendCertificateRequestIfConfigured()
    {
        if (psk is not null || authentication.Mode == ClientCertificateMode.None)
        {
            return;
        }

        clientCertificate = new ClientCertificateExchange([], authentication, context.TimeProvider);
        Send(clientCertificate.Request());
    }

    /// <summary>
    /// The client's Certificate (maybe empty) and, when it holds one, its CertificateVerify over the transcript
    /// through that Certificate. Still under the client's handshake key.
    /// </summary>
    private async ValueTask ReadClientCertificateAsync(CancellationToken cancellationToken)
    {
        if (clientCertificate is null)
        {
            return;
        }

        var certificate = await channel.ReadAsync(HandshakeType.Certificate, cancellationToken).ConfigureAwait(false);
        clientCertificate.AcceptCertificate(certificate.Span);
        transcript.Append(certificate.Span);
        if (!clientCertificate.ExpectsCertificateVerify)
        {
            return;
        }

        var verify = await channel.ReadAsync(HandshakeType.CertificateVerify, cancellationToken).ConfigureAwait(false);
        clientCertificate.AcceptCertificateVerify(verify.Span, transcript.Current());
        transcript.Append(verify.Span);

        // Only now, with the key proven, is the chain worth building: offline, on the thread pool.
        await clientCertificate.JudgeChainAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The identity the connection starts with: a certificate proven just now, the identity restored from the ticket,
    /// the holder of the external PSK, or none.
    /// </summary>
    private Option<PeerIdentity> PeerAfterHandshake() =>
        clientCertificate?.Peer ?? psk?.Peer ?? Option<PeerIdentity>.None;
}
