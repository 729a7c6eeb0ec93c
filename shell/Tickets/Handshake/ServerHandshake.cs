using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Negotiation;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Handshake;

/// <summary>
/// The server side of one TLS 1.3 handshake (RFC 8446 §2, §4), from the first ClientHello to the
/// client's Finished. Each message is one small step, in the order the messages travel; this file holds
/// the order, the partial files hold the steps. Ticket issuance is not part of it: the connection asks the
/// core afterwards, because the same decision also happens outside handshakes.
/// </summary>
internal sealed partial class ServerHandshake : IDisposable
{
    private readonly TicketServerContext context;
    private readonly HandshakeChannel channel;
    private readonly Func<Core.Model.HandshakeOutcome, int>? expectedTicketCount;

    // Filled in as the handshake advances; each step documents what it sets.
    private ClientHello hello = new();
    private Negotiation negotiation = null!;
    private CipherSuiteParameters suite = null!;
    private TranscriptHash transcript = null!;
    private SecretChain secrets = null!;
    private AcceptedPsk? psk;
    // The client-authentication settings of this handshake, taken once: resumption and CertificateRequest agree.
    private Authentication.ClientAuthenticationPolicy authentication = null!;
    private KeyLog keyLog = KeyLog.Disabled;
    private byte[] clientHandshakeSecret = [];
    private byte[] serverHandshakeSecret = [];

    /// <param name="context">The server's settings, certificate and ticket store.</param>
    /// <param name="records">The connection's record layer, which the handshake reads from and writes to.</param>
    /// <param name="expectedTicketCount">
    /// How many tickets the connection will issue after a handshake like this one; asked only when the client sent an
    /// RFC 9149 ticket_request, whose answer in EncryptedExtensions must come before the tickets are decided.
    /// </param>
    public ServerHandshake(
        TicketServerContext context, RecordLayer records, Func<Core.Model.HandshakeOutcome, int>? expectedTicketCount = null)
    {
        this.context = context;
        this.expectedTicketCount = expectedTicketCount;
        channel = new HandshakeChannel(records, context.MaxHandshakeMessageLength);
    }

    public HandshakeChannel Channel => channel;

    public async Task<HandshakeSummary> RunAsync(CancellationToken cancellationToken)
    {
        authentication = context.ClientAuthentication;
        await ReadClientHelloAsync(cancellationToken).ConfigureAwait(false);
        Negotiate();
        if (negotiation.HelloRetryRequired)
        {
            // A client offering only psk_ke needs no share where the server allows that mode: its PSK, if usable, saves
            // the round trip (as in OpenSSL, which ignores the key_share of such a client once its PSK is accepted).
            psk = PskKeOnly() ? await TryAcceptPskAsync(cancellationToken).ConfigureAwait(false) : null;
            if (psk is null)
            {
                await SendHelloRetryRequestAsync(cancellationToken).ConfigureAwait(false);
                await ReadSecondClientHelloAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        psk ??= await TryAcceptPskAsync(cancellationToken).ConfigureAwait(false);
        if (psk is null)
        {
            EnsureFullHandshakePossible();
        }

        transcript.Append(clientHelloMessage);

        SendServerHello();
        SendEncryptedExtensions();
        SendCertificateRequestIfConfigured();
        if (psk is null)
        {
            SendCertificate();
            SendCertificateVerify();
        }

        SendServerFinished();
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var traffic = DeriveApplicationSecrets();
        byte[] resumptionMasterSecret;
        try
        {
            await ReadClientCertificateAsync(cancellationToken).ConfigureAwait(false);
            await ReadClientFinishedAsync(cancellationToken).ConfigureAwait(false);
            channel.Records.SetReadKey(traffic.CurrentReadKey());
            channel.Records.IgnoreMiddleboxChangeCipherSpec = false;
            resumptionMasterSecret = secrets.ResumptionMasterSecret(transcript.Current());
        }
        catch
        {
            // Nobody will own the application secrets of a handshake that failed here: wipe them now rather
            // than leave them to the garbage collector.
            traffic.Dispose();
            throw;
        }

        // A resumed connection is the session it resumes: its server name, protocol, peer and authentication context
        // (the core resumed it only where those agree with this handshake, or where the settings allow another name).
        // An external PSK starts a new session: this handshake's name, protocol and context, the PSK's holder as peer.
        var resumed = psk?.Session;
        return new HandshakeSummary(
            suite,
            psk?.Mode == PskKeyExchangeMode.psk_ke ? null : negotiation.Group,
            psk is null ? SignatureSchemeForFullHandshake() : null,
            (resumed?.ServerName ?? hello.ServerName).MatchUnsafe(name => name, () => null),
            (resumed?.ApplicationProtocol ?? negotiation.ApplicationProtocol).MatchUnsafe(name => name, () => null),
            Resumed: psk is not null,
            ClientOfferedPskModes: negotiation.ClientOfferedPskModes,
            Peer: PeerAfterHandshake(),
            traffic,
            resumptionMasterSecret)
        {
            // Each post-handshake authentication extends the transcript through the client's Finished (§4.4.1);
            // kept only when the client said it could answer one.
            PostHandshakeAuthOffered = hello.PostHandshakeAuth,
            HandshakeTranscript = hello.PostHandshakeAuth ? transcript.Fork() : null,
            TicketRequest = hello.TicketRequest,
            ExternalPsk = psk?.IsExternal ?? false,
            AuthenticationContext = resumed?.AuthenticationContext ?? authentication.Context,
        };
    }

    /// <summary>
    /// A client that offered a PSK may lack what a full handshake needs: a key share (it offered psk_ke alone) or a
    /// signature scheme our key can make. When its PSK was not used, that is handshake_failure, before our ServerHello.
    /// </summary>
    private void EnsureFullHandshakePossible()
    {
        if (!negotiation.OffersKeyExchange)
        {
            throw new TlsAlertException(AlertDescription.HandshakeFailure, "no PSK accepted, and no key_share for a full handshake");
        }

        _ = SignatureSchemeForFullHandshake();
    }

    /// <summary>Whether the ClientHello's PSK, if usable, would be used in psk_ke mode (no share needed).</summary>
    private bool PskKeOnly() =>
        hello.PreSharedKey.IsSome
        && ResumptionPolicy.KeyExchangeMode(
            context.ResumptionSettings(authentication), Prelude.toSeq(hello.PskKeyExchangeModes.IfNone([])), negotiation.OffersKeyExchange)
            .Exists(mode => mode == PskKeyExchangeMode.psk_ke);

    public void Dispose()
    {
        transcript?.Dispose();
        secrets?.Dispose();
        CryptographicOperations.ZeroMemory(clientHandshakeSecret);
        CryptographicOperations.ZeroMemory(serverHandshakeSecret);
        psk?.Dispose();
        clientCertificate?.Dispose();
    }
}
