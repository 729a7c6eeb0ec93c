using System.Security.Cryptography;
using Tickets.Core.Negotiation;
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
            await SendHelloRetryRequestAsync(cancellationToken).ConfigureAwait(false);
            await ReadSecondClientHelloAsync(cancellationToken).ConfigureAwait(false);
        }

        psk = await TryAcceptPskAsync(cancellationToken).ConfigureAwait(false);
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
        var resumed = psk?.State.Session;
        return new HandshakeSummary(
            suite,
            negotiation.Group,
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
            AuthenticationContext = resumed?.AuthenticationContext ?? authentication.Context,
        };
    }

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
