using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>
/// RFC 8448 §4 "Resumed 0-RTT Handshake": the early secret from the ticket's PSK, the PSK binder over the
/// truncated ClientHello, 0-RTT keys, and the handshake/application secrets of the resumed session.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class Rfc8448ResumptionTests
{
    private const int Section = 4;
    private static readonly CipherSuiteParameters Suite = CipherSuiteParameters.Aes128GcmSha256;
    private static readonly HashAlgorithmName Sha256 = HashAlgorithmName.SHA256;

    private static byte[] Rfc(string step, string field, int occurrence = 0) => Rfc8448.Value(Section, step, field, occurrence);

    private static byte[] Psk => Rfc("{client}  extract secret \"early\"", "IKM");
    // The full ClientHello (binders included) is the payload of the client's first handshake record.
    private static byte[] ClientHello => Rfc("{client}  send handshake record", "payload");
    private static byte[] TruncatedClientHello => Rfc("{client}  calculate PSK binder", "ClientHello prefix");
    private static byte[] ServerHello => Rfc("{server}  construct a ServerHello handshake message", "ServerHello");
    // EncryptedExtensions and Finished: a resumed handshake sends no Certificate/CertificateVerify.
    private static byte[] ServerFlight => Rfc("{server}  send handshake record", "payload", occurrence: 1);

    [Fact]
    public void PskIsTheTicketPskOfTheFirstHandshake()
    {
        var step = "{server}  generate resumption secret \"tls13 resumption\"";
        var fromFirstHandshake = KeySchedule.ResumptionPsk(Sha256, Rfc8448.Value(3, step, "PRK"), Rfc8448.Value(3, step, "hash"));
        Assert.Equal(Psk, fromFirstHandshake);
    }

    [Fact]
    public void EarlySecretFromPsk()
    {
        using var chain = new SecretChain(Sha256, Psk);
        Assert.Equal(Rfc("{client}  extract secret \"early\"", "secret"), chain.EarlySecret);
    }

    [Fact]
    public void BinderKeyAndBinderOverTheTruncatedClientHello()
    {
        using var chain = new SecretChain(Sha256, Psk);
        var binderKey = chain.ResumptionBinderKey();
        Assert.Equal(Rfc("{client}  calculate PSK binder", "PRK"), binderKey);

        // The truncated ClientHello is the full one up to its binders list: 2-byte list length, 1-byte binder length, binder.
        Assert.Equal(ClientHello[..TruncatedClientHello.Length], TruncatedClientHello);
        using var transcript = new TranscriptHash(Sha256);
        var binderHash = transcript.CurrentWith(TruncatedClientHello);
        Assert.Equal(Rfc("{client}  calculate PSK binder", "binder hash"), binderHash);

        var binder = KeySchedule.FinishedVerifyData(Sha256, binderKey, binderHash);
        Assert.Equal(Rfc("{client}  calculate PSK binder", "finished"), binder);
        Assert.Equal(binder, ClientHello[^32..]);
        Assert.True(KeySchedule.VerifyFinished(Sha256, binderKey, binderHash, ClientHello.AsSpan(ClientHello.Length - 32)));

        // Peeking at the binder hash must leave the transcript empty: nothing was appended.
        Assert.Equal(KeySchedule.EmptyHash(Sha256), transcript.Current());
    }

    [Fact]
    public void EarlyTrafficAndEarlyExporterSecrets()
    {
        using var chain = new SecretChain(Sha256, Psk);
        var helloHash = SHA256.HashData(ClientHello);
        Assert.Equal(Rfc("{client}  derive secret \"tls13 c e traffic\"", "hash"), helloHash);
        Assert.Equal(Rfc("{client}  derive secret \"tls13 c e traffic\"", "expanded"), chain.ClientEarlyTrafficSecret(helloHash));
        Assert.Equal(Rfc("{client}  derive secret \"tls13 e exp master\"", "expanded"), chain.EarlyExporterMasterSecret(helloHash));
    }

    [Fact]
    public void OpensZeroRttDataAndEndOfEarlyData()
    {
        var earlySecret = Rfc("{client}  derive secret \"tls13 c e traffic\"", "expanded");
        using var keys = TrafficKeys.Derive(Suite, earlySecret);
        Assert.Equal(Rfc("{client}  derive write traffic keys for early application data", "key expanded"), keys.Key);
        Assert.Equal(Rfc("{client}  derive write traffic keys for early application data", "iv expanded"), keys.Iv);
        using var opener = new RecordOpener(keys);

        var dataRecord = Rfc("{client}  send application_data record", "complete record");
        var data = opener.OpenInPlace(dataRecord);
        Assert.Equal(ContentType.ApplicationData, data.ContentType);
        Assert.Equal(Rfc("{client}  send application_data record", "payload"), dataRecord[5..(5 + data.Length)]);

        // EndOfEarlyData travels under the early keys too, as the second record.
        var eoedRecord = Rfc("{client}  send handshake record", "complete record", occurrence: 1);
        var eoed = opener.OpenInPlace(eoedRecord);
        Assert.Equal(ContentType.Handshake, eoed.ContentType);
        Assert.Equal(Rfc("{client}  construct an EndOfEarlyData handshake message", "EndOfEarlyData"), eoedRecord[5..(5 + eoed.Length)]);
    }

    [Fact]
    public void ResumedHandshakeSecrets()
    {
        using var server = X25519KeyExchange.FromPrivateKey(Rfc("{server}  create an ephemeral x25519 key pair", "private key"));
        var shared = server.DeriveSharedSecret(Rfc("{client}  create an ephemeral x25519 key pair", "public key")).ThrowIfFail();
        Assert.Equal(Rfc("{server}  extract secret \"handshake\"", "IKM"), shared);

        using var transcript = new TranscriptHash(Sha256);
        transcript.Append(ClientHello);
        transcript.Append(ServerHello);
        var helloHash = transcript.Current();
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c hs traffic\"", "hash"), helloHash);

        using var chain = new SecretChain(Sha256, Psk);
        chain.AdvanceToHandshake(shared);
        Assert.Equal(Rfc("{server}  extract secret \"handshake\"", "secret"), chain.HandshakeSecret);
        var clientHandshake = chain.ClientHandshakeTrafficSecret(helloHash);
        var serverHandshake = chain.ServerHandshakeTrafficSecret(helloHash);
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded"), clientHandshake);
        Assert.Equal(Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded"), serverHandshake);

        transcript.Append(ServerFlight.AsSpan(0, ServerFlight.Length - 36));
        Assert.Equal(Rfc("{server}  calculate finished \"tls13 finished\"", "finished"),
            KeySchedule.FinishedVerifyData(Sha256, serverHandshake, transcript.Current()));
        transcript.Append(ServerFlight.AsSpan(ServerFlight.Length - 36));

        chain.AdvanceToMaster();
        Assert.Equal(Rfc("{server}  extract secret \"master\"", "secret"), chain.MasterSecret);
        var finishedHash = transcript.Current();
        Assert.Equal(Rfc("{server}  derive secret \"tls13 c ap traffic\"", "expanded"), chain.ClientApplicationTrafficSecret(finishedHash));
        Assert.Equal(Rfc("{server}  derive secret \"tls13 s ap traffic\"", "expanded"), chain.ServerApplicationTrafficSecret(finishedHash));
        Assert.Equal(Rfc("{server}  derive secret \"tls13 exp master\"", "expanded"), chain.ExporterMasterSecret(finishedHash));

        // The client's EndOfEarlyData is part of the transcript before its Finished.
        transcript.Append(Rfc("{client}  construct an EndOfEarlyData handshake message", "EndOfEarlyData"));
        var clientFinished = Rfc("{client}  construct a Finished handshake message", "Finished");
        Assert.True(KeySchedule.VerifyFinished(Sha256, clientHandshake, transcript.Current(), clientFinished.AsSpan(4)));
        transcript.Append(clientFinished);
        Assert.Equal(Rfc("{client}  derive secret \"tls13 res master\"", "expanded"), chain.ResumptionMasterSecret(transcript.Current()));
    }

    [Fact]
    public void SealsTheResumedServerFlight()
    {
        using var sealer = RecordSealer.FromSecret(Suite, Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded"));
        var record = new byte[RecordLimits.ProtectedRecordLength(ServerFlight.Length)];
        int written = sealer.Seal(ContentType.Handshake, ServerFlight, record);
        Assert.Equal(Rfc("{server}  send handshake record", "complete record", occurrence: 1), record[..written]);
    }
}
