using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Handshake;

/// <summary>
/// Our flight: ServerHello, then under handshake keys EncryptedExtensions, Certificate, CertificateVerify
/// and Finished (RFC 8446 §4.1.3, §4.3.1, §4.4). The messages are queued and leave in one flush.
/// </summary>
internal sealed partial class ServerHandshake
{
    /// <summary>
    /// Completes the key exchange, sends ServerHello and switches both directions to the handshake
    /// traffic keys. Sets <see cref="secrets"/> and the handshake traffic secrets. In psk_ke mode there is no key
    /// exchange: ServerHello carries no key_share and the handshake secret mixes in zeros (RFC 8446 §7.1).
    /// </summary>
    private void SendServerHello()
    {
        var (serverShare, shared) = psk?.Mode == PskKeyExchangeMode.psk_ke
            ? (Option<KeyShareEntry>.None, Array.Empty<byte>())
            : ExchangeKeys();

        var serverHello = ServerHelloCodec.Encode(new ServerHello(
            context.Entropy.GetBytes(32, EntropyUse.ServerRandom),
            hello.LegacySessionId,
            negotiation.CipherSuite,
            serverShare,
            psk is null ? Option<ushort>.None : (ushort)psk.IdentityIndex));
        transcript.Append(serverHello);
        channel.Write(serverHello);
        WriteMiddleboxChangeCipherSpec();

        secrets = psk is null ? new SecretChain(suite.Hash) : new SecretChain(suite.Hash, psk.Key);
        secrets.AdvanceToHandshake(shared);
        CryptographicOperations.ZeroMemory(shared);

        var helloHash = transcript.Current();
        clientHandshakeSecret = secrets.ClientHandshakeTrafficSecret(helloHash);
        serverHandshakeSecret = secrets.ServerHandshakeTrafficSecret(helloHash);
        keyLog.Write("CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientHandshakeSecret);
        keyLog.Write("SERVER_HANDSHAKE_TRAFFIC_SECRET", serverHandshakeSecret);

        channel.SetWriteKey(RecordSealer.FromSecret(suite, serverHandshakeSecret));
        channel.EnsureNothingBufferedBeforeKeyChange();
        channel.Records.SetReadKey(RecordOpener.FromSecret(suite, clientHandshakeSecret));
        // Until its first protected record, a client that could not use our ServerHello may answer in the clear.
        channel.Records.AcceptPlaintextAlerts = true;
    }

    /// <summary>Answers the client's share in the negotiated group: our share, and the shared secret (the caller wipes it).</summary>
    private (Option<KeyShareEntry> Share, byte[] SharedSecret) ExchangeKeys()
    {
        var clientShare = negotiation.ClientKeyShare.Match(
            share => share,
            () => throw new TlsAlertException(AlertDescription.InternalError, "no client key share after negotiation"));
        using var ours = context.Entropy.CreateKeyExchange(negotiation.Group);
        var answer = TlsAlertException.Expect(ours.Answer(clientShare.KeyExchange));
        return (new KeyShareEntry(negotiation.Group, answer.Share), answer.SharedSecret);
    }

    /// <summary>
    /// ALPN if one was agreed; an empty server_name to say we saw the name, in full handshakes and external PSK ones (a
    /// resumed session keeps the name it was established with, as OpenSSL does; an external PSK starts a session
    /// under this name); and to a client that sent ticket_request, the number of tickets we expect to send (RFC 9149 §3).
    /// </summary>
    private void SendEncryptedExtensions()
    {
        var message = EncryptedExtensionsCodec.Encode(new EncryptedExtensions(
            ServerNameAcknowledged: hello.ServerName.IsSome && (psk is null || psk.IsExternal),
            negotiation.ApplicationProtocol)
        {
            ExpectedTicketCount = ExpectedTicketCount(),
        });
        Send(message);
    }

    /// <summary>
    /// The core's decision for this handshake, taken early: the same outcome the connection hands the core after
    /// the client's Finished. The peer is not known yet, but it never changes how many tickets are issued.
    /// </summary>
    private Option<byte> ExpectedTicketCount()
    {
        if (hello.TicketRequest.IsNone || expectedTicketCount is null)
        {
            return Option<byte>.None;
        }

        var outcome = HandshakeOutcomes.Of(
            resumed: psk is not null, negotiation.ClientOfferedPskModes, psk?.Peer ?? Option<Core.Model.PeerIdentity>.None, hello.TicketRequest);
        // The core caps a request at the server maximum, which fits a byte whenever it is below 256.
        return (byte)Math.Clamp(expectedTicketCount(outcome), 0, byte.MaxValue);
    }

    /// <summary>Our certificate chain, leaf first, with an empty request context (§4.4.2).</summary>
    private void SendCertificate() => Send(context.EncodedCertificateMessage);

    /// <summary>Proves we hold the certificate's key by signing the transcript so far (§4.4.3).</summary>
    private void SendCertificateVerify()
    {
        var scheme = SignatureSchemeForFullHandshake();
        var signature = context.Signer.Sign(scheme, transcript.Current());
        Send(CertificateVerifyCodec.Encode(new CertificateVerify(scheme, signature)));
    }

    /// <summary>
    /// The Negotiator leaves the scheme open only when the client offered a PSK but no scheme our key can
    /// make; without resumption there is then no way to authenticate (RFC 8446 §4.2.3).
    /// </summary>
    private SignatureScheme SignatureSchemeForFullHandshake() =>
        negotiation.SignatureScheme.Match(
            scheme => scheme,
            () => throw new TlsAlertException(AlertDescription.HandshakeFailure, "no signature scheme in common for a full handshake"));

    /// <summary>The MAC over the whole transcript with our handshake secret's finished key (§4.4.4).</summary>
    private void SendServerFinished()
    {
        var verifyData = KeySchedule.FinishedVerifyData(suite.Hash, serverHandshakeSecret, transcript.Current());
        Send(FinishedCodec.Encode(new Finished(verifyData)));
    }

    /// <summary>
    /// After our Finished the application traffic secrets exist (§7.1). We start sending with ours at once;
    /// the client's read key is installed only after its Finished, which is still under the handshake key.
    /// </summary>
    private ApplicationTraffic DeriveApplicationSecrets()
    {
        secrets.AdvanceToMaster();
        var serverFinishedHash = transcript.Current();
        var client = secrets.ClientApplicationTrafficSecret(serverFinishedHash);
        var server = secrets.ServerApplicationTrafficSecret(serverFinishedHash);
        keyLog.Write("CLIENT_TRAFFIC_SECRET_0", client);
        keyLog.Write("SERVER_TRAFFIC_SECRET_0", server);
        if (keyLog.Enabled)
        {
            // Only Wireshark needs it: we offer no exporter API.
            var exporter = secrets.ExporterMasterSecret(serverFinishedHash);
            keyLog.Write("EXPORTER_SECRET", exporter);
            CryptographicOperations.ZeroMemory(exporter);
        }

        var traffic = new ApplicationTraffic(suite, client, server);
        channel.SetWriteKey(traffic.CurrentWriteKey());
        return traffic;
    }

    private void Send(byte[] message)
    {
        transcript.Append(message);
        channel.Write(message);
    }
}
