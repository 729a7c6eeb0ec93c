using System.Net.Sockets;
using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Crypto;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>What the server sent to a <see cref="ScriptedClient"/>, and how its handshake ended.</summary>
internal sealed record ScriptedRun(
    ServerHello ServerHello, EncryptedExtensions EncryptedExtensions, IReadOnlyList<NewSessionTicket> Tickets, TlsHandshakeException? Failure)
{
    public bool Resumed => ServerHello.SelectedPskIdentity.IsSome;

    /// <summary>What the server's connection reported once its handshake ended: name, protocol, peer and resumption.</summary>
    public ReportedSession? Reported { get; init; }

    /// <summary>The types of the server's encrypted flight, EncryptedExtensions through Finished, in order.</summary>
    public IReadOnlyList<HandshakeType> ServerFlight { get; init; } = [];

    /// <summary>The server's key log for this connection, to check secrets against an independent derivation.</summary>
    public string KeyLog { get; init; } = "";
}

/// <summary>A server connection's report on its session, read before it was disposed.</summary>
internal sealed record ReportedSession(
    string? ServerName, string? ApplicationProtocol, Tickets.Core.Model.PeerIdentity? Peer, Tickets.Core.Policy.ResumptionDecision? Resumption);

/// <summary>
/// A TLS 1.3 client made of hand-built ClientHellos, for extensions no installed client sends (RFC 9149 ticket_request)
/// and for tickets we craft ourselves. It cannot compute the key exchange (the ClientHello is openssl's recorded one,
/// whose private key is unknown), so it reads the secrets from the server's key log instead: that is enough to open
/// the server's flight, answer with a valid Finished and read the tickets that follow.
/// </summary>
internal static class ScriptedClient
{
    /// <summary>
    /// openssl's recorded ClientHello plus <paramref name="extra"/> extensions and, when a ticket is given, a
    /// pre_shared_key for it (last, as required) whose binder is computed from <paramref name="psk"/>.
    /// </summary>
    public static byte[] Hello(IEnumerable<Extension> extra, byte[]? ticket = null, uint obfuscatedAge = 0, byte[]? psk = null, bool corruptBinder = false)
    {
        var template = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));
        var extensions = template.Extensions.Concat(extra).ToList();
        if (ticket is null)
        {
            return ClientHelloCodec.Encode(template with { Extensions = [.. extensions] });
        }

        byte[] Encode(byte[] binder) => ClientHelloCodec.Encode(template with
        {
            Extensions = [.. extensions, new Extension(
                ExtensionType.PreSharedKey, ExtensionBodies.PreSharedKeyOffered([new PskIdentity(ticket, obfuscatedAge)], [binder]))],
        });

        // The binder covers the message up to the binders list, so a placeholder of the right size fixes the offset.
        var draft = Encode(new byte[32]);
        var offset = FinAssert.Succeeds(ClientHelloCodec.Parse(draft)).PreSharedKey.Match(p => p.BindersOffset, () => -1);
        using var early = new SecretChain(HashAlgorithmName.SHA256, psk ?? throw new ArgumentNullException(nameof(psk)));
        var binder = KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, early.ResumptionBinderKey(), SHA256.HashData(draft.AsSpan(0, offset)));
        if (corruptBinder)
        {
            binder[0] ^= 1;
        }

        return Encode(binder);
    }

    /// <summary>One offered identity of <see cref="HelloOffering"/>: the ticket, its age as sent, and the PSK its binder is keyed with.</summary>
    public sealed record Offer(byte[] Ticket, uint ObfuscatedAge, byte[] Psk, bool CorruptBinder = false);

    /// <summary>
    /// openssl's recorded ClientHello plus <paramref name="extra"/> extensions and a pre_shared_key offering every one of
    /// <paramref name="offers"/>, in order, each with the binder its own PSK gives (SHA-256 PSKs only).
    /// </summary>
    public static byte[] HelloOffering(IEnumerable<Extension> extra, params Offer[] offers)
    {
        var template = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));
        var extensions = template.Extensions.Concat(extra).ToList();
        byte[] Encode(IEnumerable<Bytes> binders) => ClientHelloCodec.Encode(template with
        {
            Extensions = [.. extensions, new Extension(
                ExtensionType.PreSharedKey,
                ExtensionBodies.PreSharedKeyOffered(offers.Select(offer => new PskIdentity(offer.Ticket, offer.ObfuscatedAge)), binders))],
        });

        var draft = Encode(offers.Select(_ => new Bytes(new byte[32])));
        var offset = FinAssert.Succeeds(ClientHelloCodec.Parse(draft)).PreSharedKey.Match(p => p.BindersOffset, () => -1);
        var truncated = SHA256.HashData(draft.AsSpan(0, offset));
        return Encode(offers.Select(offer =>
        {
            using var early = new SecretChain(HashAlgorithmName.SHA256, offer.Psk);
            var binder = KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, early.ResumptionBinderKey(), truncated);
            binder[0] ^= offer.CorruptBinder ? (byte)1 : (byte)0;
            return new Bytes(binder);
        }).ToArray());
    }

    /// <summary>
    /// Runs one connection of <paramref name="context"/> with <paramref name="clientHello"/>: the server's flight is
    /// opened, a correct Finished sent, and every NewSessionTicket read until the server closes. The context's key log
    /// is taken over for the run.
    /// </summary>
    public static async Task<ScriptedRun> RunAsync(TicketServerContext context, byte[] clientHello)
    {
        var keyLog = new StringWriter();
        context.KeyLogWriter = keyLog;
        using var pair = await SocketPair.CreateAsync();
        var connection = context.CreateConnection(pair.Server);
        try
        {
            // Disposes the connection itself once the handshake is over, to read the tickets up to the close.
            return await RunAsync(connection, pair.Client, keyLog, clientHello);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="clientHello"/> to a fresh connection that must refuse it: returns the handshake failure
    /// the server raised after sending its alert.
    /// </summary>
    public static async Task<TlsHandshakeException> RefusedAsync(TicketServerContext context, byte[] clientHello)
    {
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(Record(ContentType.Handshake, clientHello), SocketFlags.None);
        var (type, _) = await ReadRecordAsync(pair.Client);
        Assert.Equal(ContentType.Alert, type);
        return await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<ScriptedRun> RunAsync(
        TicketServerConnection connection, Socket client, StringWriter keyLog, byte[] clientHello)
    {
        var handshake = connection.HandshakeAsync();
        await client.SendAsync(Record(ContentType.Handshake, clientHello), SocketFlags.None);

        var (type, serverHelloMessage) = await ReadRecordAsync(client);
        Assert.Equal(ContentType.Handshake, type);
        var serverHello = FinAssert.Succeeds(ServerHelloCodec.Decode(serverHelloMessage));
        var suite = CipherSuiteParameters.For(serverHello.CipherSuite);
        using var transcript = new TranscriptHash(suite.Hash);
        transcript.Append(clientHello);
        transcript.Append(serverHelloMessage);

        var clientRandom = Convert.ToHexStringLower(clientHello.AsSpan(6, 32));
        using var serverHandshake = RecordOpener.FromSecret(suite, Secret(keyLog, "SERVER_HANDSHAKE_TRAFFIC_SECRET", clientRandom));
        var flight = await ReadHandshakeMessagesAsync(client, serverHandshake, until: HandshakeType.Finished);
        foreach (var message in flight)
        {
            transcript.Append(message);
        }

        var encryptedExtensions = FinAssert.Succeeds(EncryptedExtensionsCodec.Decode(flight[0]));

        var clientHandshakeSecret = Secret(keyLog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientRandom);
        var finished = FinishedCodec.Encode(new Finished(KeySchedule.FinishedVerifyData(suite.Hash, clientHandshakeSecret, transcript.Current())));
        using var clientHandshake = RecordSealer.FromSecret(suite, clientHandshakeSecret);
        var sealedRecord = new byte[finished.Length + 64];
        var length = clientHandshake.Seal(ContentType.Handshake, finished, sealedRecord);
        await client.SendAsync(sealedRecord.AsMemory(0, length), SocketFlags.None);

        TlsHandshakeException? failure = null;
        try
        {
            await handshake.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TlsHandshakeException error)
        {
            failure = error;
        }

        var reported = new ReportedSession(connection.ServerName, connection.ApplicationProtocol, connection.PeerIdentity, connection.Resumption);
        // The tickets went out in one write after the Finished; closing our side ends the read below.
        await connection.DisposeAsync();
        var tickets = new List<NewSessionTicket>();
        if (failure is null)
        {
            using var serverApplication = RecordOpener.FromSecret(suite, Secret(keyLog, "SERVER_TRAFFIC_SECRET_0", clientRandom));
            foreach (var message in await ReadHandshakeMessagesAsync(client, serverApplication, until: null))
            {
                tickets.Add(FinAssert.Succeeds(NewSessionTicketCodec.Decode(message)));
            }
        }

        return new ScriptedRun(serverHello, encryptedExtensions, tickets, failure)
        {
            Reported = reported,
            ServerFlight = flight.Select(message => (HandshakeType)message[0]).ToArray(),
            KeyLog = keyLog.ToString(),
        };
    }

    internal static byte[] Secret(StringWriter keyLog, string label, string clientRandom)
    {
        var line = keyLog.ToString().Split('\n', StringSplitOptions.TrimEntries)
            .Single(candidate => candidate.StartsWith($"{label} {clientRandom} ", StringComparison.Ordinal));
        return Convert.FromHexString(line[(line.LastIndexOf(' ') + 1)..]);
    }

    internal static byte[] Record(ContentType type, byte[] content) =>
        [(byte)type, 3, 3, (byte)(content.Length >> 8), (byte)content.Length, .. content];

    /// <summary>Opens records (skipping the middlebox change_cipher_spec) and splits their handshake messages.</summary>
    internal static async Task<List<byte[]>> ReadHandshakeMessagesAsync(Socket socket, RecordOpener opener, HandshakeType? until)
    {
        var messages = new List<byte[]>();
        var buffered = new List<byte>();
        while (true)
        {
            var record = await TryReadRawRecordAsync(socket);
            if (record is null)
            {
                Assert.Null(until);
                return messages;
            }

            var (header, body) = record.Value;
            if ((ContentType)header[0] == ContentType.ChangeCipherSpec)
            {
                continue;
            }

            var opened = opener.Open(header, body, body);
            Assert.True(opened.IsOk, opened.Status.ToString());
            Assert.Equal(ContentType.Handshake, opened.ContentType);
            buffered.AddRange(body.AsSpan(0, opened.Length).ToArray());
            while (buffered.Count >= 4)
            {
                var length = (buffered[1] << 16) | (buffered[2] << 8) | buffered[3];
                if (buffered.Count < 4 + length)
                {
                    break;
                }

                var message = buffered.GetRange(0, 4 + length).ToArray();
                buffered.RemoveRange(0, 4 + length);
                messages.Add(message);
                if (until is { } last && (HandshakeType)message[0] == last)
                {
                    return messages;
                }
            }
        }
    }

    internal static async Task<(ContentType Type, byte[] Content)> ReadRecordAsync(Socket socket)
    {
        var record = await TryReadRawRecordAsync(socket) ?? throw new InvalidOperationException("the server closed before its ServerHello");
        return ((ContentType)record.Header[0], record.Body);
    }

    internal static async Task<(byte[] Header, byte[] Body)?> TryReadRawRecordAsync(Socket socket)
    {
        var header = await ReceiveExactlyAsync(socket, 5);
        if (header is null)
        {
            return null;
        }

        var body = await ReceiveExactlyAsync(socket, (header[3] << 8) | header[4]) ?? throw new InvalidOperationException("record cut short");
        return (header, body);
    }

    private static async Task<byte[]?> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, deadline.Token);
            if (read == 0)
            {
                return filled == 0 ? null : throw new InvalidOperationException($"connection closed after {filled} of {count} bytes");
            }

            filled += read;
        }

        return buffer;
    }
}
