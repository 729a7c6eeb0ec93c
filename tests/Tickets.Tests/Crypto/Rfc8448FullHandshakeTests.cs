using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>
/// RFC 8448 §3 "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256, x25519): the whole key schedule, the
/// server Finished, the ticket PSK and record protection, each compared byte for byte with the trace.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class Rfc8448FullHandshakeTests
{
    private const int Section = 3;
    private static readonly CipherSuiteParameters Suite = CipherSuiteParameters.Aes128GcmSha256;
    private static readonly HashAlgorithmName Sha256 = HashAlgorithmName.SHA256;

    private static byte[] Rfc(string step, string field, int occurrence = 0) => Rfc8448.Value(Section, step, field, occurrence);

    private static byte[] ClientHello => Rfc("{client}  construct a ClientHello handshake message", "ClientHello");
    private static byte[] ServerHello => Rfc("{server}  construct a ServerHello handshake message", "ServerHello");
    // The server's second flight: EncryptedExtensions, Certificate, CertificateVerify, Finished, sent as one record.
    private static byte[] ServerFlight => Rfc("{server}  send handshake record", "payload", occurrence: 1);
    private static byte[] ClientFinished => Rfc("{client}  construct a Finished handshake message", "Finished");
    private static byte[] SharedSecret => Rfc("{server}  extract secret \"handshake\"", "IKM");

    [Fact]
    public void X25519SharedSecretFromServerPrivateKeyAndClientPublicKey()
    {
        using var server = X25519KeyExchange.FromPrivateKey(Rfc("{server}  create an ephemeral x25519 key pair", "private key"));
        Assert.Equal(Rfc("{server}  create an ephemeral x25519 key pair", "public key"), server.PublicKey);

        var secret = server.DeriveSharedSecret(Rfc("{client}  create an ephemeral x25519 key pair", "public key"));

        Assert.Equal(SharedSecret, secret.ThrowIfFail());
    }

    [Fact]
    public void X25519SharedSecretFromClientSide()
    {
        using var client = X25519KeyExchange.FromPrivateKey(Rfc("{client}  create an ephemeral x25519 key pair", "private key"));
        var secret = client.DeriveSharedSecret(Rfc("{server}  create an ephemeral x25519 key pair", "public key"));
        Assert.Equal(SharedSecret, secret.ThrowIfFail());
    }

    [Fact]
    public void EarlySecretWithoutPsk()
    {
        using var chain = new SecretChain(Sha256);
        Assert.Equal(Rfc("{server}  extract secret \"early\"", "secret"), chain.EarlySecret);
    }

    [Fact]
    public void DerivedSecretAndHkdfLabelMatchTheTrace()
    {
        // "derived" is Derive-Secret(early, "derived", Hash("")): checks ExpandLabel's HkdfLabel encoding directly.
        var step = "{server}  derive secret for handshake \"tls13 derived\"";
        Assert.Equal(Rfc(step, "hash"), KeySchedule.EmptyHash(Sha256));
        Assert.Equal(Rfc(step, "expanded"), KeySchedule.DeriveSecret(Sha256, Rfc(step, "PRK"), "derived", Rfc(step, "hash")));
    }

    [Fact]
    public void HandshakeSecretsAndTrafficSecrets()
    {
        using var transcript = new TranscriptHash(Sha256);
        transcript.Append(ClientHello);
        transcript.Append(ServerHello);
        var helloHash = transcript.Current();
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c hs traffic\"", "hash"), helloHash);

        using var chain = new SecretChain(Sha256);
        chain.AdvanceToHandshake(SharedSecret);

        Assert.Equal(Rfc("{server}  extract secret \"handshake\"", "secret"), chain.HandshakeSecret);
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded"), chain.ClientHandshakeTrafficSecret(helloHash));
        Assert.Equal(Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded"), chain.ServerHandshakeTrafficSecret(helloHash));
    }

    [Fact]
    public void HandshakeTrafficKeysAndIvs()
    {
        var serverSecret = Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded");
        using var serverKeys = TrafficKeys.Derive(Suite, serverSecret);
        Assert.Equal(Rfc("{server}  derive write traffic keys for handshake data", "key expanded"), serverKeys.Key);
        Assert.Equal(Rfc("{server}  derive write traffic keys for handshake data", "iv expanded"), serverKeys.Iv);

        var clientSecret = Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded");
        using var clientKeys = TrafficKeys.Derive(Suite, clientSecret);
        Assert.Equal(Rfc("{server}  derive read traffic keys for handshake data", "key expanded"), clientKeys.Key);
        Assert.Equal(Rfc("{server}  derive read traffic keys for handshake data", "iv expanded"), clientKeys.Iv);
    }

    [Fact]
    public void ServerFinishedVerifyData()
    {
        using var transcript = new TranscriptHash(Sha256);
        transcript.Append(ClientHello);
        transcript.Append(ServerHello);
        // Finished covers everything before it: the flight minus its own 36-byte Finished message.
        transcript.Append(ServerFlight.AsSpan(0, ServerFlight.Length - 36));

        var serverSecret = Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded");
        var verifyData = KeySchedule.FinishedVerifyData(Sha256, serverSecret, transcript.Current());

        Assert.Equal(Rfc("{server}  calculate finished \"tls13 finished\"", "finished"), verifyData);
        Assert.Equal(Rfc("{server}  construct a Finished handshake message", "Finished")[4..], verifyData);
    }

    [Fact]
    public void ClientFinishedIsVerifiedAndAForgeryIsNot()
    {
        using var transcript = new TranscriptHash(Sha256);
        transcript.Append(ClientHello);
        transcript.Append(ServerHello);
        transcript.Append(ServerFlight);
        var clientSecret = Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded");
        var received = ClientFinished[4..];

        Assert.True(KeySchedule.VerifyFinished(Sha256, clientSecret, transcript.Current(), received));
        received[^1] ^= 1;
        Assert.False(KeySchedule.VerifyFinished(Sha256, clientSecret, transcript.Current(), received));
    }

    [Fact]
    public void MasterApplicationExporterAndResumptionSecrets()
    {
        using var transcript = new TranscriptHash(Sha256);
        transcript.Append(ClientHello);
        transcript.Append(ServerHello);
        using var chain = new SecretChain(Sha256);
        chain.AdvanceToHandshake(SharedSecret);
        chain.AdvanceToMaster();
        Assert.Equal(Rfc("{server}  extract secret \"master\"", "secret"), chain.MasterSecret);

        transcript.Append(ServerFlight);
        var serverFinishedHash = transcript.Current();
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c ap traffic\"", "hash"), serverFinishedHash);
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c ap traffic\"", "expanded"), chain.ClientApplicationTrafficSecret(serverFinishedHash));
        Assert.Equal(Rfc("{server}  derive secret \"tls13 s ap traffic\"", "expanded"), chain.ServerApplicationTrafficSecret(serverFinishedHash));
        Assert.Equal(Rfc("{server}  derive secret \"tls13 exp master\"", "expanded"), chain.ExporterMasterSecret(serverFinishedHash));

        transcript.Append(ClientFinished);
        var clientFinishedHash = transcript.Current();
        Assert.Equal(Rfc("{client}  derive secret \"tls13 res master\"", "hash"), clientFinishedHash);
        Assert.Equal(Rfc("{client}  derive secret \"tls13 res master\"", "expanded"), chain.ResumptionMasterSecret(clientFinishedHash));
    }

    [Fact]
    public void ApplicationTrafficKeys()
    {
        using var server = TrafficKeys.Derive(Suite, Rfc("{server}  derive secret \"tls13 s ap traffic\"", "expanded"));
        Assert.Equal(Rfc("{server}  derive write traffic keys for application data", "key expanded"), server.Key);
        Assert.Equal(Rfc("{server}  derive write traffic keys for application data", "iv expanded"), server.Iv);

        using var client = TrafficKeys.Derive(Suite, Rfc("{server}  derive secret \"tls13 c ap traffic\"", "expanded"));
        Assert.Equal(Rfc("{client}  derive write traffic keys for application data", "key expanded"), client.Key);
        Assert.Equal(Rfc("{client}  derive write traffic keys for application data", "iv expanded"), client.Iv);
    }

    [Fact]
    public void TicketPskForNonceZero()
    {
        var step = "{server}  generate resumption secret \"tls13 resumption\"";
        var nonce = Rfc(step, "hash");
        Assert.Equal(new byte[] { 0, 0 }, nonce);
        // The NewSessionTicket carries the same nonce the PSK is derived with.
        var ticket = Rfc("{server}  construct a NewSessionTicket handshake message", "NewSessionTicket");
        Assert.Equal(nonce.Length, ticket[12]);
        Assert.Equal(nonce, ticket[13..(13 + nonce.Length)]);

        var psk = KeySchedule.ResumptionPsk(Sha256, Rfc(step, "PRK"), nonce);

        Assert.Equal(Rfc(step, "expanded"), psk);
    }

    [Fact]
    public void SealsTheServerHandshakeFlightRecord()
    {
        using var sealer = RecordSealer.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded"));
        var record = new byte[RecordLimits.ProtectedRecordLength(ServerFlight.Length)];

        int written = sealer.Seal(ContentType.Handshake, ServerFlight, record);

        Assert.Equal(Rfc("{server}  send handshake record", "complete record", occurrence: 1), record[..written]);
        Assert.Equal(1ul, sealer.SequenceNumber);
    }

    [Fact]
    public void SealsTheTicketThenTheApplicationDataUnderServerApplicationKeys()
    {
        using var sealer = RecordSealer.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 s ap traffic\"", "expanded"));
        var ticket = Rfc("{server}  construct a NewSessionTicket handshake message", "NewSessionTicket");
        var data = Rfc("{server}  send application_data record", "payload");
        var buffer = new byte[RecordLimits.ProtectedRecordLength(ticket.Length)];

        int ticketLength = sealer.Seal(ContentType.Handshake, ticket, buffer);
        Assert.Equal(Rfc("{server}  send handshake record", "complete record", occurrence: 2), buffer[..ticketLength]);

        int dataLength = sealer.Seal(ContentType.ApplicationData, data, buffer);
        Assert.Equal(Rfc("{server}  send application_data record", "complete record"), buffer[..dataLength]);

        int alertLength = sealer.Seal(ContentType.Alert, Rfc("{server}  send alert record", "payload"), buffer);
        Assert.Equal(Rfc("{server}  send alert record", "complete record"), buffer[..alertLength]);
    }

    [Fact]
    public void OpensTheClientFinishedAndApplicationRecords()
    {
        using var handshakeOpener = RecordOpener.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded"));
        var finishedRecord = Rfc("{client}  send handshake record", "complete record", occurrence: 1);
        var finished = handshakeOpener.OpenInPlace(finishedRecord);
        Assert.Equal(new RecordOpenResult(RecordOpenStatus.Ok, ContentType.Handshake, ClientFinished.Length), finished);
        Assert.Equal(ClientFinished, finishedRecord[5..(5 + finished.Length)]);

        using var opener = RecordOpener.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 c ap traffic\"", "expanded"));
        var dataRecord = Rfc("{client}  send application_data record", "complete record");
        var destination = new byte[dataRecord.Length];
        var data = opener.Open(dataRecord.AsSpan(0, 5), dataRecord.AsSpan(5), destination);
        Assert.True(data.IsOk);
        Assert.Equal(ContentType.ApplicationData, data.ContentType);
        Assert.Equal(Rfc("{client}  send application_data record", "payload"), destination[..data.Length]);

        var alertRecord = Rfc("{client}  send alert record", "complete record");
        var alert = opener.OpenInPlace(alertRecord);
        Assert.Equal(ContentType.Alert, alert.ContentType);
        Assert.Equal(new byte[] { 1, 0 }, alertRecord[5..(5 + alert.Length)]);
        Assert.Equal(2ul, opener.SequenceNumber);
    }

    [Fact]
    public void RecordOutOfSequenceFailsAsBadRecordMac()
    {
        // The alert record was sealed with sequence number 1; opening it first (sequence 0) must not authenticate.
        using var opener = RecordOpener.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 c ap traffic\"", "expanded"));
        var alertRecord = Rfc("{client}  send alert record", "complete record");
        var result = opener.OpenInPlace(alertRecord);
        Assert.Equal(RecordOpenStatus.BadRecordMac, result.Status);
        Assert.Equal(AlertDescription.BadRecordMac, result.Alert);
        Assert.Equal(0ul, opener.SequenceNumber);
    }
}
