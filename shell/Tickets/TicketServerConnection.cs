using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Handshake;
using Tickets.Records;
using Tickets.Sessions;
using Tickets.Trace;
using Tickets.Transport;

namespace Tickets;

/// <summary>
/// One server-side TLS 1.3 connection, in the role of OpenSSL's SSL object: it runs the handshake,
/// issues the tickets the core decides right after the client's Finished, and then carries application
/// data. Its ticket count is copied from the context when it is created and can be changed until the
/// handshake completes.
/// </summary>
public sealed partial class TicketServerConnection : IAsyncDisposable
{
    private readonly TicketServerContext context;
    private readonly PipeTransport transport;
    private readonly RecordLayer records;
    private HandshakeReassembler postHandshakeMessages;

    // Writers (application data, KeyUpdate answers, tickets, alerts) take turns; reads have one reader.
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly SemaphoreSlim readLock = new(1, 1);

    // The core's view of this connection, replaced as a whole by each ticket decision.
    private readonly object gate = new();
    private Connection core;
    private readonly List<IssuedTicket> issuedTickets = [];

    private HandshakeSummary? session;
    private int handshakeStarted;
    private bool peerClosed;
    private bool sentCloseNotify;
    private int transportClosed;

    // Application data from a record larger than the caller's buffer waits here for the next read. Rented
    // only then and returned once drained, so a connection that is not mid-record holds no 16 KiB for it.
    private byte[]? pending;
    private int pendingStart;
    private int pendingEnd;

    internal TicketServerConnection(TicketServerContext context, PipeTransport transport, Connection core)
    {
        this.context = context;
        this.transport = transport;
        this.core = core;
        postHandshakeMessages = new HandshakeReassembler(context.MaxHandshakeMessageLength);
        records = new RecordLayer(transport.Input, transport.Output);
        Id = context.NextConnectionId();
        TraceSink = context.TraceSink;
    }

    /// <summary>This connection's number within its context (1, 2, ...), as trace events report it.</summary>
    public long Id { get; }

    /// <summary>≈ SSL_set_msg_callback: copied from the context; may be replaced before the handshake starts.</summary>
    public ITlsTraceSink? TraceSink { get; set; }

    /// <summary>A ticket went out; raised once per NewSessionTicket, after the flight was written.</summary>
    public event EventHandler<IssuedTicket>? TicketIssued;

    /// <summary>The server's clock, for ticket issue times and ages; replaceable in tests.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The core's current state of this connection.</summary>
    internal Connection CoreState
    {
        get
        {
            lock (gate)
            {
                return core;
            }
        }
    }

    public bool IsHandshakeComplete => session is not null;

    /// <summary>True when the client resumed a session with one of our tickets.</summary>
    public bool Resumed => session?.Resumed ?? false;

    /// <summary>The negotiated cipher suite, e.g. TLS_AES_128_GCM_SHA256; empty before the handshake.</summary>
    public string CipherSuite => session?.Suite.Name ?? string.Empty;

    /// <summary>The key exchange group, e.g. x25519; empty before the handshake.</summary>
    public string Group => session?.Group.ToString() ?? string.Empty;

    /// <summary>The CertificateVerify scheme; "none" for a resumed session, which sends no certificate.</summary>
    public string SignatureScheme => session switch
    {
        null => string.Empty,
        { SignatureScheme: { } scheme } => scheme.ToString(),
        _ => "none",
    };

    public string? ServerName => session?.ServerName;

    public string? ApplicationProtocol => session?.ApplicationProtocol;

    /// <summary>Every ticket issued on this connection so far, in order.</summary>
    public IReadOnlyList<IssuedTicket> IssuedTickets
    {
        get
        {
            lock (gate)
            {
                return issuedTickets.ToArray();
            }
        }
    }

    /// <summary>≈ SSL_get_num_tickets.</summary>
    public int GetNumTickets() => CoreState.GetNumTickets();

    /// <summary>≈ SSL_set_num_tickets: takes effect for tickets not yet issued; negative counts fail.</summary>
    public Fin<Unit> SetNumTickets(int count)
    {
        lock (gate)
        {
            return core.SetNumTickets(count).Map(next =>
            {
                core = next;
                return Unit.Default;
            });
        }
    }

    /// <summary>
    /// Runs the handshake and sends the tickets. On failure the alert is sent, the connection closed, and
    /// a <see cref="TlsHandshakeException"/> thrown; cancellation closes the connection and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>
    /// When the client's next record (typically its request) has already arrived, the tickets leave with this
    /// connection's next write instead of on their own, and in any case before a read waits for the client.
    /// </remarks>
    public async Task HandshakeAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref handshakeStarted, 1) != 0)
        {
            throw new InvalidOperationException("The handshake has already been started on this connection.");
        }

        records.Trace = ConnectionTrace.Start(Id, TraceSink, context.TraceTrafficSecrets);
        using var handshake = new ServerHandshake(context, records, Clock, ExpectedTicketCount);
        try
        {
            var summary = await handshake.RunAsync(cancellationToken).ConfigureAwait(false);
            session = summary;
            records.Trace?.Negotiated(summary);
            await IssueTicketsAsync(summary, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsAlertException error)
        {
            await FailAsync(error.Alert).ConfigureAwait(false);
            throw new TlsHandshakeException(error.Alert, error.Message, error);
        }
        catch (PeerAlertException error)
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(error.Alert ?? AlertDescription.CloseNotify, error.Message, error) { SentByPeer = true };
        }
        catch (OperationCanceledException)
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The transport failed; there is nobody left to send an alert to.
            await CloseTransportAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(AlertDescription.InternalError, $"transport failed: {error.Message}", error) { SentByPeer = true };
        }
        catch (Exception error)
        {
            // A bug of ours: still tell the peer, and never let it escape as anything but a handshake failure.
            await FailAsync(AlertDescription.InternalError).ConfigureAwait(false);
            throw new TlsHandshakeException(AlertDescription.InternalError, error.Message, error);
        }
    }

    /// <summary>
    /// Asks the core how many tickets to send after this handshake, adopts its next connection state, and
    /// sends the whole flight in one write.
    /// </summary>
    private async Task IssueTicketsAsync(HandshakeSummary summary, CancellationToken cancellationToken)
    {
        var outcome = HandshakeOutcomes.Of(summary);

        TicketDecision decision;
        lock (gate)
        {
            decision = TicketPolicy.Decide(context.Settings, core, outcome).Match(
                Succ: value => value,
                Fail: error => throw new TlsAlertException(AlertDescription.InternalError, $"ticket policy refused: {error.Message}"));
            core = decision.Next;
        }

        await SendTicketFlightAsync(summary, decision, cancellationToken, mayWaitForNextWrite: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the tickets of one decision as one flight, in one write, then records and announces them. Used after
    /// the handshake, after each post-handshake authentication and for extra tickets alike.
    /// </summary>
    /// <param name="mayWaitForNextWrite">After the handshake: the flight may wait for the next write (see Coalescing).</param>
    private async Task<IReadOnlyList<IssuedTicket>> SendTicketFlightAsync(
        HandshakeSummary summary, TicketDecision decision, CancellationToken cancellationToken, bool mayWaitForNextWrite = false)
    {
        // Stateful tickets are cache ids, sealed by no key; the trace then shows an empty key name.
        records.Trace?.Decided(decision,
            context.Settings.TicketMode == TicketMode.Stateless ? context.TicketProtection.Keys.CurrentKeyName : []);
        if (decision.Count == 0)
        {
            return [];
        }

        var (flight, issued) = await TicketIssuer.BuildAsync(
            decision, summary, context.TicketProtection, context.Settings.TicketMode, Clock()).ConfigureAwait(false);
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw new IOException("The TLS connection is closed for writing.");
            }

            records.Write(ContentType.Handshake, flight.Span);
            if (mayWaitForNextWrite && DeferTicketFlush())
            {
                ticketsAwaitFlush = true;
            }
            else
            {
                await records.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            writeLock.Release();
        }

        lock (gate)
        {
            issuedTickets.AddRange(issued);
        }

        foreach (var ticket in issued)
        {
            TicketIssued?.Invoke(this, ticket);
        }

        return issued;
    }

    /// <summary>
    /// RFC 9149's expected_count: the decision the core would take now for <paramref name="outcome"/>, thrown away.
    /// Exact unless the count is changed between EncryptedExtensions and the client's Finished.
    /// </summary>
    private int ExpectedTicketCount(HandshakeOutcome outcome)
    {
        lock (gate)
        {
            return TicketPolicy.ExpectedTicketCount(context.Settings, core, outcome).Match(Succ: count => count, Fail: _ => 0);
        }
    }

    /// <summary>
    /// Reads application data into <paramref name="buffer"/>; 0 once the peer sent close_notify or closed
    /// the transport. Post-handshake messages (KeyUpdate) are handled on the way. A protocol error sends
    /// the alert, closes the connection and throws <see cref="IOException"/>.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var traffic = RequireSession().Traffic;
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await readLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref transportClosed) != 0 && pending is null && !HasHeldApplicationData)
            {
                return peerClosed ? 0 : throw new IOException("The TLS connection is closed.");
            }

            while (true)
            {
                if (pending is not null)
                {
                    var count = Math.Min(buffer.Length, pendingEnd - pendingStart);
                    pending.AsSpan(pendingStart, count).CopyTo(buffer.Span);
                    pendingStart += count;
                    if (pendingStart == pendingEnd)
                    {
                        ReleasePending();
                    }

                    return count;
                }

                // Data a post-handshake authentication read on our behalf comes first, in order.
                if (TakeHeldApplicationData())
                {
                    continue;
                }

                if (peerClosed)
                {
                    return 0;
                }

                await FlushDeferredTicketsBeforeWaitingAsync(cancellationToken).ConfigureAwait(false);
                var record = await records.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (record is not { } received)
                {
                    PeerClosed();
                    return 0;
                }

                switch (received.Type)
                {
                    case ContentType.ApplicationData when received.Content.Length <= buffer.Length:
                        // Straight into the caller's buffer; an empty record reads as nothing and we go on.
                        received.Content.Span.CopyTo(buffer.Span);
                        if (received.Content.IsEmpty)
                        {
                            break;
                        }

                        return received.Content.Length;
                    case ContentType.ApplicationData:
                        pending = System.Buffers.ArrayPool<byte>.Shared.Rent(received.Content.Length);
                        received.Content.Span.CopyTo(pending);
                        pendingStart = 0;
                        pendingEnd = received.Content.Length;
                        break;
                    case ContentType.Handshake:
                        await HandlePostHandshakeAsync(received.Content, traffic, cancellationToken).ConfigureAwait(false);
                        break;
                    case ContentType.Alert when AlertRecord.IsCloseNotify(received.Content.Span):
                        PeerClosed();
                        return 0;
                    default:
                        throw AlertRecord.ToException(received.Content.Span);
                }
            }
        }
        catch (Exception error) when (error is TlsAlertException or PeerAlertException)
        {
            throw await ReadFailedAsync(error).ConfigureAwait(false);
        }
        finally
        {
            readLock.Release();
        }
    }

    private void ReleasePending()
    {
        // Application data is secret too: wipe it before the pool hands the array to someone else.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(pending.AsSpan(0, pendingEnd));
        System.Buffers.ArrayPool<byte>.Shared.Return(pending!);
        pending = null;
        pendingStart = pendingEnd = 0;
    }

    /// <summary>
    /// After the handshake the client may send KeyUpdate, and, while we wait for its answer to a post-handshake
    /// CertificateRequest, Certificate, CertificateVerify and Finished. A KeyUpdate switches its sending key at
    /// once; if it asks, we update ours too (RFC 8446 §4.6.3).
    /// </summary>
    private async ValueTask HandlePostHandshakeAsync(ReadOnlyMemory<byte> content, ApplicationTraffic traffic, CancellationToken cancellationToken)
    {
        var (messages, next) = TlsAlertException.Expect(postHandshakeMessages.Append(content.Span));
        postHandshakeMessages = next;
        var remaining = messages.Count;
        foreach (var message in messages)
        {
            remaining--;
            if ((HandshakeType)message[0] is HandshakeType.Certificate or HandshakeType.CertificateVerify or HandshakeType.Finished)
            {
                await AcceptAuthenticationMessageAsync(message, traffic, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((HandshakeType)message[0] != HandshakeType.KeyUpdate)
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{(HandshakeType)message[0]} after the handshake");
            }

            var request = TlsAlertException.Expect(KeyUpdateCodec.Decode(message));
            // The new key applies to the next record, so nothing may follow a KeyUpdate in its record.
            if (remaining > 0 || postHandshakeMessages.HasPartialMessage)
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, "KeyUpdate not at a record boundary");
            }

            records.SetReadKey(traffic.NextReadKey());
            if (request == KeyUpdateRequest.UpdateRequested)
            {
                await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // Our answer still goes under the old key; everything after it under the new one.
                    records.Write(ContentType.Handshake, KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateNotRequested));
                    records.SetWriteKey(traffic.NextWriteKey());
                    await records.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
    }

    /// <summary>Sends application data, in records of at most 2^14 bytes.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        RequireSession();
        // Flushing every few records bounds how much ciphertext the pipe holds for a large write.
        const int chunk = 4 * Crypto.RecordLimits.MaxPlaintext;
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw new IOException("The TLS connection is closed for writing.");
            }

            do
            {
                var slice = data[..Math.Min(chunk, data.Length)];
                data = data[slice.Length..];
                records.Write(ContentType.ApplicationData, slice.Span);
                await records.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (!data.IsEmpty);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>A Stream over this connection's application data, for code that wants one.</summary>
    public Stream GetStream() => new TicketConnectionStream(this);

    /// <summary>≈ SSL_shutdown: sends close_notify once; we send nothing after it. The peer may still send.</summary>
    public async Task ShutdownAsync()
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                return;
            }

            sentCloseNotify = true;
            records.WriteAlert(AlertDescription.CloseNotify);
            await records.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The peer is already gone; there is nobody to tell.
        }
        finally
        {
            writeLock.Release();
        }
    }

    private HandshakeSummary RequireSession() =>
        session ?? throw new InvalidOperationException("The handshake has not completed.");

    /// <summary>Best effort: send a fatal alert, then close. The peer may already be gone.</summary>
    private async Task FailAsync(AlertDescription alert)
    {
        if (Volatile.Read(ref transportClosed) == 0 && await writeLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
        {
            try
            {
                records.WriteAlert(alert);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await records.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
            }
            finally
            {
                writeLock.Release();
            }
        }

        await CloseTransportAsync().ConfigureAwait(false);
    }

    private async Task CloseTransportAsync()
    {
        if (Interlocked.Exchange(ref transportClosed, 1) == 0)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        AbandonAuthentication(new IOException("The TLS connection was closed before the client answered the CertificateRequest."));
    }

    public async ValueTask DisposeAsync()
    {
        await CloseTransportAsync().ConfigureAwait(false);
        records.Dispose();
        session?.Traffic.Dispose();
        session?.HandshakeTranscript?.Dispose();
        // Every ticket of this connection derives its PSK from it; once closed, no more tickets can be issued.
        if (session is not null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(session.ResumptionMasterSecret);
        }
    }
}
