using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Crypto;
using Tickets.TicketStore;

namespace Tickets.Benchmarks;

/// <summary>
/// A TLS 1.3 client reduced to a script, so a benchmark times the server and little else. The server's
/// random and x25519 key are fixed (through the context's entropy source), the client's too, so every
/// ClientHello is byte-identical and so is the server's answer up to its signature: the handshake traffic
/// secrets are the same on every run and are learnt once from the key log. Per handshake the client then
/// only writes its recorded ClientHello, opens the server's flight, hashes the transcript and answers with
/// its Finished. The server still does all of its work, except generating its key share's scalar.
/// </summary>
internal sealed class ScriptedClient : IDisposable
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);

    private static readonly byte[] ServerRandom = Convert.FromHexString("a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928");
    private static readonly byte[] ServerPrivateKey = Convert.FromHexString("b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e");
    private static readonly byte[] ClientRandom = Convert.FromHexString("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7");
    private static readonly byte[] ClientPrivateKey = Convert.FromHexString("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005");

    private readonly byte[] clientHelloRecord;
    private readonly byte[] clientHelloMessage;
    private readonly CipherSuiteParameters suite = CipherSuiteParameters.For(CipherSuite.TLS_AES_128_GCM_SHA256);
    private byte[] clientHandshakeSecret = [];
    private TrafficKeys? clientKeys;
    private TrafficKeys? serverKeys;

    private ScriptedClient(TicketServerContext context, byte[] clientHelloMessage)
    {
        Context = context;
        this.clientHelloMessage = clientHelloMessage;
        clientHelloRecord = new byte[5 + clientHelloMessage.Length];
        clientHelloRecord[0] = (byte)ContentType.Handshake;
        clientHelloRecord[1] = 3;
        clientHelloRecord[2] = 1;
        clientHelloRecord[3] = (byte)(clientHelloMessage.Length >> 8);
        clientHelloRecord[4] = (byte)clientHelloMessage.Length;
        clientHelloMessage.CopyTo(clientHelloRecord, 5);
    }

    public TicketServerContext Context { get; }

    /// <summary>A server context with an ECDSA P-256 certificate and fixed handshake entropy.</summary>
    public static TicketServerContext CreateServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        return new TicketServerContext(certificate, null, new FixedClock(), new FixedEntropy());
    }

    /// <summary>The client of full handshakes: openssl's ClientHello with our random and x25519 share.</summary>
    public static ScriptedClient Full(TicketServerContext context) =>
        Learn(new ScriptedClient(context, ClientHelloCodec.Encode(Template())));

    /// <summary>The client of resumed handshakes: the same hello offering one ticket sealed by the server's key.</summary>
    public static ScriptedClient Resuming(TicketServerContext context)
    {
        var psk = RandomNumberGenerator.GetBytes(32);
        const uint ageAdd = 0x01020304;
        var issued = Now.AddSeconds(-10);
        // No server name and no ALPN, like the template hello: a session resumes only with the ones it was made with.
        var session = new ResumableSession(
            ProtocolVersion.Tls13, CipherSuite.TLS_AES_128_GCM_SHA256, issued.ToUnixTimeMilliseconds(), 7200, ageAdd,
            Option<string>.None, Option<string>.None, Option<PeerIdentity>.None, context.AuthenticationContext);
        var keys = ((LocalTicketStore)context.TicketStore).Keys;
        var ticket = keys.Seal(SessionStateFormat.Encode(new SessionState(session, psk)), keys.Retention);
        var identity = new PskIdentity(ticket, unchecked(ageAdd + 10_000));
        var template = Template();
        byte[] Encode(byte[] binder) => ClientHelloCodec.Encode(template with
        {
            Extensions = [.. template.Extensions, new Extension(ExtensionType.PreSharedKey, ExtensionBodies.PreSharedKeyOffered([identity], [binder]))],
        });

        // The binder covers the hello up to the binders list; a placeholder of the right size fixes that offset.
        var draft = Encode(new byte[32]);
        var offset = ClientHelloCodec.Parse(draft).Match(hello => hello.PreSharedKey.Match(p => p.BindersOffset, () => -1), _ => -1);
        using var early = new SecretChain(HashAlgorithmName.SHA256, psk);
        var binder = KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, early.ResumptionBinderKey(), SHA256.HashData(draft.AsSpan(0, offset)));
        var client = Learn(new ScriptedClient(context, Encode(binder)));
        client.RecordFlights();
        return client;
    }

    private static ClientHello Template()
    {
        var openssl = ClientHelloCodec.Parse(Fixtures.Handshake("openssl-s_client"))
            .Match(hello => hello, error => throw new InvalidOperationException(error.Message));
        using var share = X25519KeyExchange.FromPrivateKey(ClientPrivateKey);
        var keyShare = new Extension(ExtensionType.KeyShare, ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.x25519, share.PublicKey)]));
        return openssl with
        {
            Random = ClientRandom,
            // An empty session id: no middlebox change_cipher_spec records to skip.
            LegacySessionId = [],
            Extensions = openssl.Extensions.Select(extension => extension.Type == ExtensionType.KeyShare ? keyShare : extension).ToArray(),
        };
    }

    /// <summary>One handshake with the key log on, to learn the handshake traffic secrets every later run shares.</summary>
    private static ScriptedClient Learn(ScriptedClient client)
    {
        var log = new StringWriter();
        client.Context.KeyLogWriter = log;
        client.RunAsync(() =>
        {
            string Secret(string label) => log.ToString().Split('\n').Single(line => line.StartsWith(label + " ", StringComparison.Ordinal)).Split(' ')[2].Trim();
            client.clientHandshakeSecret = Convert.FromHexString(Secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
            client.clientKeys = TrafficKeys.Derive(client.suite, client.clientHandshakeSecret);
            client.serverKeys = TrafficKeys.Derive(client.suite, Convert.FromHexString(Secret("SERVER_HANDSHAKE_TRAFFIC_SECRET")));
        }).AsTask().GetAwaiter().GetResult();
        client.Context.KeyLogWriter = null;
        return client;
    }

    /// <summary>
    /// One whole handshake against a new server connection; returns whether it resumed. A resumed
    /// handshake has no signature, so the server's answer and our Finished are the same every time: once
    /// recorded, both client flights are simply replayed, and the measurement is the server's alone.
    /// </summary>
    public ValueTask<bool> RunAsync() => recordedFlights is null ? RunAsync(() => { }) : ReplayAsync();

    // ClientHello record and Finished record, back to back: the server reads the second when it is ready.
    private byte[]? recordedFlights;
    private byte[] lastFinishedRecord = [];

    /// <summary>Records the client flights of a resumed handshake for <see cref="ReplayAsync"/>.</summary>
    public void RecordFlights()
    {
        if (!RunAsync().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("only resumed handshakes can be replayed");
        }

        recordedFlights = [.. clientHelloRecord, .. lastFinishedRecord];
    }

    private async ValueTask<bool> ReplayAsync()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await using var connection = Context.CreateConnection(new DuplexPipeStream(toServer.Reader, toClient.Writer));
        var handshake = connection.HandshakeAsync();
        await toServer.Writer.WriteAsync(recordedFlights).ConfigureAwait(false);
        // Completes only if the replayed Finished verified against the server's transcript.
        await handshake.ConfigureAwait(false);
        await toServer.Writer.CompleteAsync().ConfigureAwait(false);
        await toClient.Reader.CompleteAsync().ConfigureAwait(false);
        return connection.Resumed;
    }

    private async ValueTask<bool> RunAsync(Action afterServerFlight)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await using var connection = Context.CreateConnection(new DuplexPipeStream(toServer.Reader, toClient.Writer));
        var handshake = connection.HandshakeAsync();

        await toServer.Writer.WriteAsync(clientHelloRecord).ConfigureAwait(false);
        using var transcript = new TranscriptHash(suite.Hash);
        transcript.Append(clientHelloMessage);
        await ReadServerFlightAsync(toClient.Reader, transcript, afterServerFlight).ConfigureAwait(false);

        var verifyData = KeySchedule.FinishedVerifyData(suite.Hash, clientHandshakeSecret, transcript.Current());
        var finished = new byte[4 + verifyData.Length];
        finished[0] = (byte)HandshakeType.Finished;
        finished[3] = (byte)verifyData.Length;
        verifyData.CopyTo(finished, 4);
        using var sealer = new RecordSealer(clientKeys!);
        var record = new byte[RecordLimits.ProtectedRecordLength(finished.Length)];
        sealer.Seal(ContentType.Handshake, finished, record);
        lastFinishedRecord = record;
        await toServer.Writer.WriteAsync(record).ConfigureAwait(false);

        await handshake.ConfigureAwait(false);
        await toServer.Writer.CompleteAsync().ConfigureAwait(false);
        await toClient.Reader.CompleteAsync().ConfigureAwait(false);
        return connection.Resumed;
    }

    /// <summary>ServerHello in the clear, then records under the server handshake key up to its Finished.</summary>
    private async ValueTask ReadServerFlightAsync(PipeReader reader, TranscriptHash transcript, Action afterServerFlight)
    {
        RecordOpener? opener = null;
        var plaintext = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryTakeRecord(ref buffer, out var record))
                {
                    if (record[0] == (byte)ContentType.Handshake)
                    {
                        transcript.Append(record.AsSpan(5));
                        afterServerFlight();
                        continue;
                    }

                    opener ??= new RecordOpener(serverKeys!);
                    var opened = opener.OpenInPlace(record);
                    if (!opened.IsOk)
                    {
                        throw new InvalidOperationException($"server flight does not open: {opened.Status}");
                    }

                    plaintext.Write(record.AsSpan(5, opened.Length));
                    if (TakeMessages(plaintext, transcript))
                    {
                        reader.AdvanceTo(buffer.Start);
                        return;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new InvalidOperationException("server closed during its flight");
                }
            }
        }
        finally
        {
            opener?.Dispose();
        }
    }

    private static bool TryTakeRecord(ref ReadOnlySequence<byte> buffer, out byte[] record)
    {
        record = [];
        if (buffer.Length < 5)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        var length = 5 + ((header[3] << 8) | header[4]);
        if (buffer.Length < length)
        {
            return false;
        }

        record = buffer.Slice(0, length).ToArray();
        buffer = buffer.Slice(length);
        return true;
    }

    /// <summary>Hashes the whole messages received so far; true once the server's Finished was among them.</summary>
    private static bool TakeMessages(ArrayBufferWriter<byte> plaintext, TranscriptHash transcript)
    {
        var messages = plaintext.WrittenSpan;
        var sawFinished = false;
        var used = 0;
        while (messages.Length - used >= 4)
        {
            var length = 4 + ((messages[used + 1] << 16) | (messages[used + 2] << 8) | messages[used + 3]);
            if (messages.Length - used < length)
            {
                break;
            }

            transcript.Append(messages.Slice(used, length));
            sawFinished |= messages[used] == (byte)HandshakeType.Finished;
            used += length;
        }

        var rest = messages[used..].ToArray();
        plaintext.ResetWrittenCount();
        plaintext.Write(rest);
        return sawFinished;
    }

    public void Dispose()
    {
        clientKeys?.Dispose();
        serverKeys?.Dispose();
        CryptographicOperations.ZeroMemory(clientHandshakeSecret);
    }

    /// <summary>The server's clock, standing at <see cref="Now"/>: ticket issue times and ages are the same every run.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The trace's ServerHello random and x25519 key; every other draw is random.</summary>
    private sealed class FixedEntropy : EntropySource
    {
        public override void Fill(Span<byte> destination, EntropyUse use)
        {
            switch (use)
            {
                case EntropyUse.ServerRandom:
                    ServerRandom.CopyTo(destination);
                    break;
                case EntropyUse.KeySharePrivateKey:
                    ServerPrivateKey.CopyTo(destination);
                    break;
                default:
                    base.Fill(destination, use);
                    break;
            }
        }
    }
}
