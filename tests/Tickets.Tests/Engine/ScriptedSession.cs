using System.Net.Sockets;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// A <see cref="ScriptedClient"/> connection that stays open: the handshake runs as there (secrets read from the
/// server's key log), with a hook before the client's Finished, and afterwards the test holds the client's keys and
/// sends and receives records of its own making, protected or not. For attacks on the record layer that no real client
/// mounts: injected plaintext alerts, floods of KeyUpdates or empty records, early data the server refuses.
/// </summary>
internal sealed class ScriptedSession : IAsyncDisposable
{
    private readonly SocketPair pair;
    private readonly StringWriter keyLog;
    private string clientRandom = "";
    private byte[] clientApplicationSecret = [];
    private byte[] serverApplicationSecret = [];
    // The transcript through the client's Finished, which a post-handshake authentication extends (RFC 8446 §4.4.1).
    private TranscriptHash? handshakeTranscript;

    private ScriptedSession(SocketPair pair, StringWriter keyLog, TicketServerConnection connection)
    {
        this.pair = pair;
        this.keyLog = keyLog;
        Connection = connection;
    }

    public TicketServerConnection Connection { get; }

    public Socket Client => pair.Client;

    /// <summary>The server's HandshakeAsync, started before the ClientHello was sent.</summary>
    public Task Handshake { get; private set; } = Task.CompletedTask;

    public CipherSuiteParameters Suite { get; private set; } = null!;

    /// <summary>The client's handshake traffic key: what protects its Finished (and what the hook may use).</summary>
    public RecordSealer HandshakeSealer { get; private set; } = null!;

    /// <summary>The client's application traffic key; its sequence number advances with every record sent.</summary>
    public RecordSealer ApplicationSealer { get; private set; } = null!;

    /// <summary>Opens what the server sends after its Finished (tickets, data, alerts).</summary>
    public RecordOpener ApplicationOpener { get; private set; } = null!;

    /// <summary>
    /// Connects to a fresh connection of <paramref name="context"/>: sends <paramref name="clientHello"/> (openssl's by
    /// default) and then <paramref name="afterHello"/> as raw bytes, reads the server's flight, runs
    /// <paramref name="beforeFinished"/> (false: stop there, no Finished), and sends a correct Finished.
    /// </summary>
    public static async Task<ScriptedSession> ConnectAsync(
        TicketServerContext context,
        byte[]? clientHello = null,
        byte[]? afterHello = null,
        Func<ScriptedSession, Task<bool>>? beforeFinished = null)
    {
        var keyLog = new StringWriter();
        // The server writes from its own threads while the test reads: every access takes the writer's lock.
        context.KeyLogWriter = new LockedWriter(keyLog);
        var pair = await SocketPair.CreateAsync();
        var session = new ScriptedSession(pair, keyLog, context.CreateConnection(pair.Server));
        try
        {
            await session.HandshakeAsync(clientHello ?? TestData.FixtureHandshake("openssl-s_client"), afterHello, beforeFinished);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(byte[] clientHello, byte[]? afterHello, Func<ScriptedSession, Task<bool>>? beforeFinished)
    {
        Handshake = Connection.HandshakeAsync();
        await SendRawAsync([.. ScriptedClient.Record(ContentType.Handshake, clientHello), .. afterHello ?? []]);

        var (type, serverHelloMessage) = await ScriptedClient.ReadRecordAsync(Client);
        Assert.Equal(ContentType.Handshake, type);
        var serverHello = FinAssert.Succeeds(ServerHelloCodec.Decode(serverHelloMessage));
        Suite = CipherSuiteParameters.For(serverHello.CipherSuite);
        using var transcript = new TranscriptHash(Suite.Hash);
        transcript.Append(clientHello);
        transcript.Append(serverHelloMessage);

        clientRandom = Convert.ToHexStringLower(clientHello.AsSpan(6, 32));
        using var serverHandshake = RecordOpener.FromSecret(Suite, Secret("SERVER_HANDSHAKE_TRAFFIC_SECRET"));
        foreach (var message in await ScriptedClient.ReadHandshakeMessagesAsync(Client, serverHandshake, until: HandshakeType.Finished))
        {
            transcript.Append(message);
        }

        var clientHandshakeSecret = Secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
        HandshakeSealer = RecordSealer.FromSecret(Suite, clientHandshakeSecret);
        if (beforeFinished is not null && !await beforeFinished(this))
        {
            return;
        }

        var finished = FinishedCodec.Encode(new Finished(KeySchedule.FinishedVerifyData(Suite.Hash, clientHandshakeSecret, transcript.Current())));
        await SendAsync(HandshakeSealer, ContentType.Handshake, finished);
        transcript.Append(finished);
        handshakeTranscript = transcript.Fork();

        // The server logs its application secrets right after flushing its flight, so they may come a moment after it.
        clientApplicationSecret = await SecretSoonAsync("CLIENT_TRAFFIC_SECRET_0");
        serverApplicationSecret = await SecretSoonAsync("SERVER_TRAFFIC_SECRET_0");
        ApplicationSealer = RecordSealer.FromSecret(Suite, clientApplicationSecret);
        ApplicationOpener = RecordOpener.FromSecret(Suite, serverApplicationSecret);
    }

    private byte[] Secret(string label)
    {
        lock (keyLog)
        {
            return ScriptedClient.Secret(keyLog, label, clientRandom);
        }
    }

    private async Task<byte[]> SecretSoonAsync(string label)
    {
        var prefix = $"{label} {clientRandom} ";
        for (var waited = 0; ; waited += 10)
        {
            lock (keyLog)
            {
                if (keyLog.ToString().Contains(prefix, StringComparison.Ordinal) || waited >= 10_000)
                {
                    return ScriptedClient.Secret(keyLog, label, clientRandom);
                }
            }

            await Task.Delay(10);
        }
    }

    /// <summary>One record of <paramref name="type"/> protected with <paramref name="sealer"/>.</summary>
    public static byte[] Sealed(RecordSealer sealer, ContentType type, ReadOnlySpan<byte> content)
    {
        var record = new byte[RecordLimits.ProtectedRecordLength(content.Length)];
        var length = sealer.Seal(type, content, record);
        return record[..length];
    }

    public Task SendAsync(RecordSealer sealer, ContentType type, ReadOnlySpan<byte> content) => SendRawAsync(Sealed(sealer, type, content));

    /// <summary>Application data (or any inner type) under the client's current application key.</summary>
    public Task SendAsync(ContentType type, ReadOnlySpan<byte> content) => SendAsync(ApplicationSealer, type, content);

    public async Task SendRawAsync(byte[] bytes) => await Client.SendAsync(bytes, SocketFlags.None);

    /// <summary>A plaintext record, as an attacker on the path would inject it.</summary>
    public static byte[] Plaintext(ContentType type, params byte[] content) => ScriptedClient.Record(type, content);

    /// <summary>The next record from the server after its Finished, opened; null once it closed the connection.</summary>
    public async Task<(ContentType Type, byte[] Content)?> ReceiveAsync()
    {
        var record = await ScriptedClient.TryReadRawRecordAsync(Client);
        if (record is not var (header, body))
        {
            return null;
        }

        if ((ContentType)header[0] != ContentType.ApplicationData)
        {
            return ((ContentType)header[0], body);
        }

        var opened = ApplicationOpener.Open(header, body, body);
        Assert.True(opened.IsOk, opened.Status.ToString());
        var content = body[..opened.Length];
        if (opened.ContentType == ContentType.Handshake && content[0] == (byte)HandshakeType.KeyUpdate)
        {
            // The server moved to its next key: everything after this record is protected with it (RFC 8446 §4.6.3).
            serverApplicationSecret = KeySchedule.NextApplicationTrafficSecret(Suite.Hash, serverApplicationSecret);
            ApplicationOpener.Dispose();
            ApplicationOpener = RecordOpener.FromSecret(Suite, serverApplicationSecret);
            KeyUpdatesReceived++;
        }

        return (opened.ContentType, content);
    }

    /// <summary>KeyUpdates the server sent so far (each one switched <see cref="ApplicationOpener"/>).</summary>
    public int KeyUpdatesReceived { get; private set; }

    /// <summary>Sends a KeyUpdate under the current key and moves the client's sending key to the next one.</summary>
    public async Task SendKeyUpdateAsync(KeyUpdateRequest request)
    {
        await SendAsync(ContentType.Handshake, KeyUpdateCodec.Encode(request));
        clientApplicationSecret = KeySchedule.NextApplicationTrafficSecret(Suite.Hash, clientApplicationSecret);
        ApplicationSealer.Dispose();
        ApplicationSealer = RecordSealer.FromSecret(Suite, clientApplicationSecret);
    }

    /// <summary>
    /// Declines the post-handshake <paramref name="certificateRequest"/>: an empty Certificate answering its context, and
    /// the Finished over the handshake, the request and that Certificate, keyed with the client's current application
    /// secret; both messages in one record, Finished corrupted when asked.
    /// </summary>
    public async Task DeclineCertificateRequestAsync(byte[] certificateRequest, bool corruptFinished = false)
    {
        var request = FinAssert.Succeeds(CertificateRequestCodec.Decode(certificateRequest));
        var certificate = CertificateCodec.Encode(new CertificateMessage(request.Context.ToArray(), []));
        using var answer = (handshakeTranscript ?? throw new InvalidOperationException("the handshake did not finish")).Fork();
        answer.Append(certificateRequest);
        answer.Append(certificate);
        var verifyData = KeySchedule.FinishedVerifyData(Suite.Hash, clientApplicationSecret, answer.Current());
        verifyData[0] ^= corruptFinished ? (byte)1 : (byte)0;
        await SendAsync(ContentType.Handshake, [.. certificate, .. FinishedCodec.Encode(new Finished(verifyData))]);
    }

    /// <summary>Reads until the server closes; returns the alert it sent last, if any.</summary>
    public async Task<AlertDescription?> ReadUntilClosedAsync()
    {
        AlertDescription? alert = null;
        try
        {
            while (await ReceiveAsync() is var (type, content))
            {
                if (type == ContentType.Alert && content.Length == 2)
                {
                    alert = (AlertDescription)content[1];
                }
            }
        }
        catch (SocketException)
        {
            // A reset after the alert still ends the stream.
        }

        return alert;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        handshakeTranscript?.Dispose();
        HandshakeSealer?.Dispose();
        ApplicationSealer?.Dispose();
        ApplicationOpener?.Dispose();
        pair.Dispose();
    }

    /// <summary>A writer taking the inner writer's lock for each call, so the test can read it under the same lock.</summary>
    private sealed class LockedWriter(StringWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (inner)
            {
                inner.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (inner)
            {
                inner.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (inner)
            {
                inner.WriteLine(value);
            }
        }
    }
}
