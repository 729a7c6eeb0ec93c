using System.Net.Sockets;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Crypto;
using Tickets.Tests.Crypto;

namespace Tickets.Tests.Engine;

/// <summary>
/// Replays the client side of RFC 8448 §3 against the engine, with the server's random and x25519 key
/// fixed to the trace's values. The engine's ServerHello record must equal the trace byte for byte and
/// its handshake traffic secrets (read from the key log) must equal the published ones. The rest of the
/// trace cannot match: its EncryptedExtensions carry extensions this server does not send and its
/// certificate is an RSA key with a randomised PSS signature. What follows is still checked: it opens
/// under the published server handshake key, as one record holding our flight in RFC 8446 order.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class Rfc8448EngineReplayTests
{
    private static byte[] Rfc(string step, string field, int occurrence = 0) => Rfc8448.Value(3, step, field, occurrence);

    [Fact]
    public async Task Server_hello_and_handshake_secrets_match_the_trace()
    {
        var clientHelloRecord = Rfc("{client}  send handshake record", "complete record");
        var serverHelloRecord = Rfc("{server}  send handshake record", "complete record");
        var serverHello = Rfc("{server}  construct a ServerHello handshake message", "ServerHello");
        var clientHandshakeSecret = Rfc("{server}  derive secret \"tls13 c hs traffic\"", "expanded");
        var serverHandshakeSecret = Rfc("{server}  derive secret \"tls13 s hs traffic\"", "expanded");
        var serverPrivateKey = Rfc("{server}  create an ephemeral x25519 key pair", "private key");

        var keyLog = new StringWriter();
        var entropy = new ScriptedEntropy
        {
            [EntropyUse.ServerRandom] = serverHello[6..38],
            [EntropyUse.KeySharePrivateKey] = serverPrivateKey,
        };
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, null, TimeProvider.System, entropy) { KeyLogWriter = keyLog };

        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(clientHelloRecord, SocketFlags.None);

        var received = await ReceiveAsync(pair.Client, serverHelloRecord.Length);
        Assert.Equal(Convert.ToHexString(serverHelloRecord), Convert.ToHexString(received));

        var clientRandom = Convert.ToHexStringLower(clientHelloRecord.AsSpan(5 + 6, 32));
        var lines = keyLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"CLIENT_HANDSHAKE_TRAFFIC_SECRET {clientRandom} {Convert.ToHexStringLower(clientHandshakeSecret)}", lines);
        Assert.Contains($"SERVER_HANDSHAKE_TRAFFIC_SECRET {clientRandom} {Convert.ToHexStringLower(serverHandshakeSecret)}", lines);

        // The encrypted flight: one record, opened with the published server handshake key.
        var header = await ReceiveAsync(pair.Client, 5);
        Assert.Equal(23, header[0]);
        var body = await ReceiveAsync(pair.Client, (header[3] << 8) | header[4]);
        using var opener = RecordOpener.FromSecret(CipherSuiteParameters.For(CipherSuite.TLS_AES_128_GCM_SHA256), serverHandshakeSecret);
        var opened = opener.Open(header, body, body);
        Assert.True(opened.IsOk, opened.Status.ToString());
        Assert.Equal(ContentType.Handshake, opened.ContentType);
        Assert.Equal(
            [HandshakeType.EncryptedExtensions, HandshakeType.Certificate, HandshakeType.CertificateVerify, HandshakeType.Finished],
            MessageTypes(body.AsSpan(0, opened.Length)));

        // The trace's client Finished belongs to a different transcript: closing instead ends our handshake.
        pair.Client.Shutdown(SocketShutdown.Both);
        var error = await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake);
        Assert.True(error.SentByPeer);
    }

    private static List<HandshakeType> MessageTypes(ReadOnlySpan<byte> messages)
    {
        var types = new List<HandshakeType>();
        while (HandshakeFraming.ReadHeader(messages).Case is HandshakeHeader header && messages.Length >= header.MessageLength)
        {
            types.Add(header.Type);
            messages = messages[header.MessageLength..];
        }

        Assert.True(messages.IsEmpty, "trailing bytes after the last handshake message");
        return types;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, deadline.Token);
            Assert.True(read > 0, $"connection closed after {filled} of {count} bytes");
            filled += read;
        }

        return buffer;
    }
}
