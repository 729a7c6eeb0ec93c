using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// Fewer writes per connection (TicketServerConnection.Coalescing): the tickets after the handshake wait for the
/// response when the client's request is already buffered, leave at once otherwise, and leave before any read has to
/// wait; WriteAndShutdownAsync sends a response and close_notify together. The server's writes are counted on its
/// transport stream; a raw client sends its Finished and request in one segment, so the order is deterministic.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class WriteCoalescingTests
{
    [Fact]
    public async Task Tickets_travel_with_the_response_when_the_request_came_with_the_Finished()
    {
        await using var run = await RawClientRun.StartAsync(requestWithFinished: "GET /"u8.ToArray());
        Assert.Equal(1, run.ServerWrites);                 // the ServerHello flight only: the tickets wait

        Assert.Equal("GET /", await run.ServerReadAsync());
        await run.Connection.WriteAndShutdownAsync("the page"u8.ToArray());
        Assert.Equal(2, run.ServerWrites);                 // tickets, page and close_notify in one write

        var records = await run.ClientReadAsync(untilCloseNotify: true);
        Assert.Equal([ContentType.Handshake, ContentType.ApplicationData, ContentType.Alert], records.Select(r => r.Type));
        Assert.Equal(2, RawClientRun.CountTickets(records[0].Content));
        Assert.Equal("the page", Encoding.ASCII.GetString(records[1].Content));
        Assert.Equal([(byte)AlertLevel.Warning, (byte)AlertDescription.CloseNotify], records[2].Content);
        Assert.Equal(2, run.Connection.IssuedTickets.Count);
        await Assert.ThrowsAsync<IOException>(async () => await run.Connection.WriteAsync("more"u8.ToArray()));
    }

    [Fact]
    public async Task Tickets_leave_at_once_when_nothing_from_the_client_is_waiting()
    {
        await using var run = await RawClientRun.StartAsync(requestWithFinished: null);
        Assert.Equal(2, run.ServerWrites);                 // the flight, then the tickets straight after the Finished

        var records = await run.ClientReadAsync(untilCloseNotify: false);
        Assert.Equal(2, RawClientRun.CountTickets(Assert.Single(records).Content));
    }

    [Fact]
    public async Task Waiting_tickets_leave_before_a_read_has_to_wait_for_the_client()
    {
        await using var run = await RawClientRun.StartAsync(requestWithFinished: "first"u8.ToArray());
        Assert.Equal("first", await run.ServerReadAsync());
        Assert.Equal(1, run.ServerWrites);

        // Nothing more is buffered: this read must wait, and the tickets must not wait with it.
        var second = run.ServerReadAsync();
        var records = await run.ClientReadAsync(untilCloseNotify: false);
        Assert.Equal(2, RawClientRun.CountTickets(Assert.Single(records).Content));
        Assert.Equal(2, run.ServerWrites);
        Assert.False(second.IsCompleted);

        await run.ClientSendAsync("second"u8.ToArray());
        Assert.Equal("second", await second.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_large_last_response_arrives_whole_before_its_close_notify()
    {
        await using var run = await RawClientRun.StartAsync(requestWithFinished: "GET /big"u8.ToArray());
        Assert.Equal("GET /big", await run.ServerReadAsync());
        var page = new byte[150_000];
        Random.Shared.NextBytes(page);
        await run.Connection.WriteAndShutdownAsync(page);

        var records = await run.ClientReadAsync(untilCloseNotify: true);
        Assert.Equal(ContentType.Handshake, records[0].Type);
        Assert.Equal(ContentType.Alert, records[^1].Type);
        var data = records.Skip(1).SkipLast(1).ToList();
        Assert.All(data, record => Assert.Equal(ContentType.ApplicationData, record.Type));
        Assert.Equal(page, data.SelectMany(record => record.Content).ToArray());
    }

    [Fact]
    public async Task The_record_layer_tells_a_whole_buffered_record_from_a_partial_one_without_consuming_it()
    {
        var incoming = new Pipe();
        var outgoing = new Pipe();
        using var records = new RecordLayer(incoming.Reader, outgoing.Writer);
        Assert.False(records.HasWholeRecordBuffered());

        byte[] record = [(byte)ContentType.Handshake, 3, 3, 0, 4, 1, 0, 0, 0];
        await incoming.Writer.WriteAsync(record.AsMemory(0, 7));
        Assert.False(records.HasWholeRecordBuffered());
        await incoming.Writer.WriteAsync(record.AsMemory(7));
        Assert.True(records.HasWholeRecordBuffered());
        Assert.True(records.HasWholeRecordBuffered());

        var read = await records.ReadAsync(CancellationToken.None);
        Assert.Equal(ContentType.Handshake, read!.Value.Type);
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, read.Value.Content.ToArray());
        Assert.False(records.HasWholeRecordBuffered());
    }

    /// <summary>Counts the server's writes to its transport: each is one send on a real socket.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private int writes;

        public int Writes => Volatile.Read(ref writes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Interlocked.Increment(ref writes);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref writes);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// One connection driven by a raw client (openssl's recorded ClientHello, secrets from the server's key log, as in
    /// <see cref="ScriptedClient"/>) that can put its Finished and its first application data in one send.
    /// </summary>
    private sealed class RawClientRun : IAsyncDisposable
    {
        private readonly SocketPair pair;
        private readonly CountingStream stream;
        private readonly TicketServerContext context;
        private readonly RecordSealer clientApplication;
        private readonly RecordOpener serverApplication;

        private RawClientRun(SocketPair pair, CountingStream stream, TicketServerContext context, TicketServerConnection connection,
            RecordSealer clientApplication, RecordOpener serverApplication)
        {
            this.pair = pair;
            this.stream = stream;
            this.context = context;
            Connection = connection;
            this.clientApplication = clientApplication;
            this.serverApplication = serverApplication;
        }

        public TicketServerConnection Connection { get; }

        public int ServerWrites => stream.Writes;

        public static async Task<RawClientRun> StartAsync(byte[]? requestWithFinished)
        {
            var context = new TicketServerContext(TestCertificates.EcdsaP256);
            var keyLog = new LockedLog();
            context.KeyLogWriter = keyLog;
            var pair = await SocketPair.CreateAsync();
            var stream = new CountingStream(new NetworkStream(pair.Server, ownsSocket: true));
            var connection = context.CreateConnection(stream);
            var handshake = connection.HandshakeAsync();

            var clientHello = ScriptedClient.Hello([]);
            await pair.Client.SendAsync(ScriptedClient.Record(ContentType.Handshake, clientHello), SocketFlags.None);
            var (_, serverHelloMessage) = await ScriptedClient.ReadRecordAsync(pair.Client);
            var suite = CipherSuiteParameters.For(FinAssert.Succeeds(ServerHelloCodec.Decode(serverHelloMessage)).CipherSuite);
            using var transcript = new TranscriptHash(suite.Hash);
            transcript.Append(clientHello);
            transcript.Append(serverHelloMessage);

            var random = Convert.ToHexStringLower(clientHello.AsSpan(6, 32));
            using (var serverHandshake = RecordOpener.FromSecret(suite, await keyLog.SecretAsync("SERVER_HANDSHAKE_TRAFFIC_SECRET", random)))
            {
                foreach (var message in await ScriptedClient.ReadHandshakeMessagesAsync(pair.Client, serverHandshake, until: HandshakeType.Finished))
                {
                    transcript.Append(message);
                }
            }

            var clientHandshakeSecret = await keyLog.SecretAsync("CLIENT_HANDSHAKE_TRAFFIC_SECRET", random);
            var finished = FinishedCodec.Encode(new Finished(KeySchedule.FinishedVerifyData(suite.Hash, clientHandshakeSecret, transcript.Current())));
            using var clientHandshake = RecordSealer.FromSecret(suite, clientHandshakeSecret);
            var clientApplication = RecordSealer.FromSecret(suite, await keyLog.SecretAsync("CLIENT_TRAFFIC_SECRET_0", random));
            var serverApplication = RecordOpener.FromSecret(suite, await keyLog.SecretAsync("SERVER_TRAFFIC_SECRET_0", random));

            var flight = Seal(clientHandshake, ContentType.Handshake, finished);
            if (requestWithFinished is not null)
            {
                flight = [.. flight, .. Seal(clientApplication, ContentType.ApplicationData, requestWithFinished)];
            }

            await pair.Client.SendAsync(flight, SocketFlags.None);
            await handshake.WaitAsync(TimeSpan.FromSeconds(10));
            return new RawClientRun(pair, stream, context, connection, clientApplication, serverApplication);
        }

        public async Task<string> ServerReadAsync()
        {
            var buffer = new byte[1024];
            var read = await Connection.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }

        public Task ClientSendAsync(byte[] data) =>
            pair.Client.SendAsync(Seal(clientApplication, ContentType.ApplicationData, data), SocketFlags.None);

        /// <summary>Records from the server, opened: up to its close_notify, or else whatever the first segment held.</summary>
        public async Task<List<(ContentType Type, byte[] Content)>> ClientReadAsync(bool untilCloseNotify)
        {
            var records = new List<(ContentType, byte[])>();
            do
            {
                var (header, body) = await ScriptedClient.TryReadRawRecordAsync(pair.Client) ?? throw new InvalidOperationException("closed");
                var opened = serverApplication.Open(header, body, body);
                Assert.True(opened.IsOk, opened.Status.ToString());
                records.Add((opened.ContentType, body[..opened.Length]));
            }
            while (untilCloseNotify ? records[^1].Item1 != ContentType.Alert : pair.Client.Available > 0);

            return records;
        }

        /// <summary>NewSessionTicket messages back to back in one record's content.</summary>
        public static int CountTickets(byte[] content)
        {
            var count = 0;
            for (var at = 0; at < content.Length; at += 4 + ((content[at + 1] << 16) | (content[at + 2] << 8) | content[at + 3]))
            {
                Assert.Equal(HandshakeType.NewSessionTicket, (HandshakeType)content[at]);
                count++;
            }

            return count;
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            clientApplication.Dispose();
            serverApplication.Dispose();
            pair.Dispose();
            context.Dispose();
        }

        private static byte[] Seal(RecordSealer sealer, ContentType type, byte[] content)
        {
            var record = new byte[content.Length + 64];
            return record[..sealer.Seal(type, content, record)];
        }
    }

    /// <summary>The server writes its key log from its own thread while the client polls it.</summary>
    private sealed class LockedLog : TextWriter
    {
        private readonly StringBuilder text = new();

        public override Encoding Encoding => Encoding.ASCII;

        public override void Write(char value)
        {
            lock (text)
            {
                text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (text)
            {
                text.Append(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (text)
            {
                text.Append(buffer, index, count);
            }
        }

        /// <summary>The secret for <paramref name="label"/>, waiting for the server to log it (it may still be deriving it).</summary>
        public async Task<byte[]> SecretAsync(string label, string clientRandom)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                string snapshot;
                lock (text)
                {
                    snapshot = text.ToString();
                }

                var line = snapshot.Split('\n', StringSplitOptions.TrimEntries)
                    .FirstOrDefault(candidate => candidate.StartsWith($"{label} {clientRandom} ", StringComparison.Ordinal));
                if (line is not null)
                {
                    return Convert.FromHexString(line[(line.LastIndexOf(' ') + 1)..]);
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"{label} never logged");
        }
    }
}
