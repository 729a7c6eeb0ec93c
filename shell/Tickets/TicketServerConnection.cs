using System.Diagnostics;
using System.Net;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Diagnostics;
using Tickets.Handshake;
using Tickets.Records;
using Tickets.Trace;
using Tickets.Traffic;
using Tickets.Transport;

namespace Tickets;

/// <summary>
/// One server-side TLS 1.3 connection, in the role of OpenSSL's SSL object: it runs the handshake,
/// issues the tickets the core decides right after the client's Finished, and then carries application
/// data. Its ticket count is copied from the context when it is created and can be changed until the
/// handshake completes.
/// </summary>
/// <remarks>
/// <para>The connection decides nothing after its handshake: its <see cref="TrafficState"/> answers each post-handshake
/// message and each request with effects, and the connection carries them out (reads, writes, keys, tickets).</para>
/// <para>Two locks, each held across awaits, and nothing else locks:</para>
/// <list type="bullet">
/// <item><c>readTurn</c>: one reader of records at a time, the application's <see cref="ReadAsync"/> or a post-handshake
/// authentication reading while nobody else does. It guards everything received: the record layer's read side and read
/// key, <c>unread</c>, <c>peerClosed</c>, and the traffic state's receive side (its reassembler, its KeyUpdate count, the
/// client's traffic secret).</item>
/// <item><c>writeTurn</c>: one writer of records at a time, whatever it writes (data, tickets, a KeyUpdate, a
/// CertificateRequest, alerts). It guards the record layer's write side and write key, our traffic secret, and
/// <c>sentCloseNotify</c>.</item>
/// </list>
/// <para>A reader may take the write turn (to answer a KeyUpdate or send tickets), never the reverse, so the two cannot
/// deadlock. The core's view of the connection (<see cref="TicketLedger"/>) and the traffic state's waiting
/// authentication change by compare-and-swap; <c>traffic</c> is written once, before anything can use it.</para>
/// </remarks>
public sealed partial class TicketServerConnection : IAsyncDisposable
{
    private readonly TicketServerContext context;
    private readonly PipeTransport transport;
    private readonly RecordLayer records;
    private readonly TicketLedger ledger;
    // Read when the connection is created, like the other limits (see TicketServerContext.MaxHandshakeMessageLength).
    private readonly int maxPostHandshakeMessageLength;
    private readonly Microsoft.Extensions.Logging.ILogger logger;
    private readonly TicketsMetrics metrics;

    private readonly SemaphoreSlim readTurn = new(1, 1);
    private readonly SemaphoreSlim writeTurn = new(1, 1);

    // Everything after the handshake: null until it completed.
    private TrafficState? traffic;
    private int handshakeStarted;
    private int resumptionSettled;
    private int transportClosed;
    private int disposed;
    private TimeSpan handshakeTimeout;

    // Read turn: application data received and not yet read, and whether the client ended its side.
    private readonly UnreadData unread = new();
    private bool peerClosed;

    // Write turn: we sent close_notify, so we send nothing more.
    private bool sentCloseNotify;

    internal TicketServerConnection(TicketServerContext context, PipeTransport transport, Connection core)
    {
        this.context = context;
        this.transport = transport;
        ledger = new TicketLedger(context, core);
        maxPostHandshakeMessageLength = context.MaxHandshakeMessageLength;
        records = new RecordLayer(transport.Input, transport.Output, transport.Abort) { WriteTimeout = context.WriteTimeout };
        Id = context.NextConnectionId();
        TraceSink = context.TraceSink;
        handshakeTimeout = context.HandshakeTimeout;
        logger = context.ConnectionLogger;
        metrics = context.Metrics;
        metrics.ConnectionOpened();
    }

    /// <summary>The peer's address: the socket's, or what was given with the stream or pipe; null when unknown.</summary>
    public EndPoint? RemoteEndPoint { get; internal init; }

    /// <summary>Our address: the socket's, or what was given with the stream or pipe; null when unknown.</summary>
    public EndPoint? LocalEndPoint { get; internal init; }

    /// <summary>
    /// The longest <see cref="HandshakeAsync"/> may take before it gives up with <see cref="TimeoutException"/>: copied
    /// from <see cref="TicketServerContext.HandshakeTimeout"/> when the connection is created; may be changed until the
    /// handshake starts. Positive, or <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or a negative value other than infinite.</exception>
    /// <exception cref="InvalidOperationException">Set after the handshake started.</exception>
    public TimeSpan HandshakeTimeout
    {
        get => handshakeTimeout;
        set
        {
            if (!TicketServerContext.IsTimeout(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A handshake timeout is positive, or Timeout.InfiniteTimeSpan.");
            }

            if (Volatile.Read(ref handshakeStarted) != 0)
            {
                throw new InvalidOperationException("The handshake has already started.");
            }

            handshakeTimeout = value;
        }
    }

    /// <summary>≈ SSL_get_SSL_CTX: the context this connection was created from.</summary>
    public TicketServerContext Context => context;

    /// <summary>This connection's number within its context (1, 2, ...), as trace events report it.</summary>
    public long Id { get; }

    /// <summary>≈ SSL_set_msg_callback: copied from the context; may be replaced before the handshake starts.</summary>
    public ITlsTraceSink? TraceSink { get; set; }

    /// <summary>A ticket went out; raised once per NewSessionTicket, after the flight was written.</summary>
    public event EventHandler<IssuedTicket>? TicketIssued;

    /// <summary>
    /// The handshake failed, with the exception <see cref="HandshakeAsync"/> is about to throw:
    /// <see cref="TlsHandshakeException"/> (an alert, ours or the peer's, or a broken transport), <see cref="TimeoutException"/>
    /// (<see cref="HandshakeTimeout"/> passed) or <see cref="OperationCanceledException"/> (the caller's token fired).
    /// Raised once, after the connection was closed; <see cref="Resumption"/> is readable by then.
    /// </summary>
    public event EventHandler<Exception>? HandshakeFailed;

    /// <summary>The core's current state of this connection.</summary>
    internal Connection CoreState => ledger.Core;

    /// <summary>Every ticket issued on this connection so far, in order.</summary>
    public IReadOnlyList<IssuedTicket> IssuedTickets => ledger.Issued;

    /// <summary>≈ SSL_get_num_tickets: this connection's count, copied from the context when it was created unless set since.</summary>
    public int GetNumTickets() => ledger.Core.GetNumTickets();

    /// <summary>
    /// ≈ SSL_set_num_tickets: this connection's count from now on, for tickets not yet decided (after the handshake, after
    /// each post-handshake authentication). Set it before the handshake, e.g. in
    /// <see cref="TicketServerOptions.OnConnectionAccepted"/>, to change the tickets the handshake brings.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative; nothing changes.</exception>
    public void SetNumTickets(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // Negative counts are the core's only refusal, and were refused above.
        _ = ledger.SetNumTickets(count);
    }

    /// <summary>
    /// Runs the handshake and sends the tickets, within <see cref="HandshakeTimeout"/>. On failure the alert is sent, the
    /// connection closed, <see cref="HandshakeFailed"/> raised and a <see cref="TlsHandshakeException"/> thrown; past the
    /// timeout it closes and throws <see cref="TimeoutException"/>; cancellation closes it and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>
    /// When the client's next record (typically its request) has already arrived, the tickets leave with this
    /// connection's next write instead of on their own, and in any case before a read waits for the client.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The handshake was started before.</exception>
    public async Task HandshakeAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref handshakeStarted, 1) != 0)
        {
            throw new InvalidOperationException("The handshake has already been started on this connection.");
        }

        records.Trace = ConnectionTrace.Start(Id, TraceSink, context.TraceTrafficSecrets);
        using var deadline = HandshakeDeadline(cancellationToken);
        var telemetry = HandshakeTelemetry.Start(this);
        using var handshake = new ServerHandshake(context, records, ledger.ExpectedTicketCount, this);
        try
        {
            var summary = await handshake.RunAsync(deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            SettleResumption(handshake, telemetry);
            var state = new TrafficState(summary, ledger, context, maxPostHandshakeMessageLength);
            Volatile.Write(ref traffic, state);
            records.Trace?.Negotiated(summary);
            await CarryOutAsync(state.AfterHandshake(), deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            telemetry.Completed(this, summary, handshake.SentHelloRetryRequest);
        }
        catch (Exception error)
        {
            // Before the event: its subscribers read Resumption to say why a client did not resume.
            SettleResumption(handshake, telemetry);
            var failure = await HandshakeFailureAsync(error, deadline, cancellationToken).ConfigureAwait(false);
            telemetry.Failed(this, failure, handshake.SentHelloRetryRequest);
            HandshakeFailed?.Invoke(this, failure);
            if (ReferenceEquals(failure, error))
            {
                throw;
            }

            throw failure;
        }
    }

    /// <summary>
    /// Publishes the core's verdicts on the offered PSKs (<see cref="Resumption"/>) and reports them, once: when the
    /// ClientHello has been answered, or when the handshake failed (before or after that point).
    /// </summary>
    private void SettleResumption(ServerHandshake handshake, in HandshakeTelemetry telemetry)
    {
        if (Interlocked.Exchange(ref resumptionSettled, 1) == 0)
        {
            Resumption = handshake.Resumption;
            telemetry.Resumption(this, Resumption);
        }
    }

    /// <summary>The timer of <see cref="HandshakeTimeout"/>, linked to the caller's token; null when there is none.</summary>
    private CancellationTokenSource? HandshakeDeadline(CancellationToken cancellationToken)
    {
        if (handshakeTimeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(handshakeTimeout);
        return deadline;
    }

    /// <summary>
    /// Closes the connection after a failed handshake (with our alert where we rejected the peer) and returns what the
    /// caller gets: a <see cref="TlsHandshakeException"/>, a <see cref="TimeoutException"/>, or the cancellation itself.
    /// </summary>
    private async Task<Exception> HandshakeFailureAsync(Exception error, CancellationTokenSource? deadline, CancellationToken cancellationToken)
    {
        switch (error)
        {
            case TlsAlertException alert:
                await FailAsync(alert.Alert).ConfigureAwait(false);
                return new TlsHandshakeException(alert.Alert, alert.Message, alert);
            case PeerAlertException peer:
                if (peer.Alert is { } received)
                {
                    AlertReceived(received);
                }

                await CloseTransportAsync().ConfigureAwait(false);
                return new TlsHandshakeException(peer.Alert ?? AlertDescription.CloseNotify, peer.Message, peer) { SentByPeer = true };
            case OperationCanceledException when deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested:
                await CloseTransportAsync().ConfigureAwait(false);
                return new TimeoutException(
                    $"The TLS handshake did not complete within {handshakeTimeout.TotalSeconds:0.###} s.", error);
            case OperationCanceledException:
                await CloseTransportAsync().ConfigureAwait(false);
                return error;
            case IOException or ObjectDisposedException:
                // The transport failed; there is nobody left to send an alert to.
                await CloseTransportAsync().ConfigureAwait(false);
                return new TlsHandshakeException(AlertDescription.InternalError, $"transport failed: {error.Message}", error) { SentByPeer = true };
            default:
                // A bug of ours (or an exception from a certificate selection callback): still tell the peer, and never
                // let it escape as anything but a handshake failure.
                await FailAsync(AlertDescription.InternalError).ConfigureAwait(false);
                return new TlsHandshakeException(AlertDescription.InternalError, error.Message, error);
        }
    }

    /// <summary>A Stream over this connection's application data, for code that wants one.</summary>
    public Stream GetStream() => new TicketConnectionStream(this);

    private TrafficState RequireTraffic() =>
        Volatile.Read(ref traffic) ?? throw new InvalidOperationException("The handshake has not completed.");

    private async Task CloseTransportAsync()
    {
        if (Interlocked.Exchange(ref transportClosed, 1) == 0)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        Volatile.Read(ref traffic)?.Abandon(new IOException("The TLS connection was closed before the client answered the CertificateRequest."));
    }

    /// <summary>
    /// Closes the connection (without close_notify: see <see cref="ShutdownAsync"/>) and wipes its secrets. Disposing
    /// aborts whatever is still reading or writing on it, which is how a server ends connections that outlive its
    /// shutdown timeout.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await CloseTransportAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        metrics.ConnectionClosed();
        records.Dispose();
        // Unread data is secret too; a read still running (it fails now) leaves it to the garbage collector instead.
        if (readTurn.Wait(0))
        {
            unread.Clear();
            readTurn.Release();
        }

        if (Volatile.Read(ref traffic)?.Session is { } session)
        {
            session.Traffic.Dispose();
            session.HandshakeTranscript?.Dispose();
            // Every ticket of this connection derives its PSK from it; once closed, no more tickets can be issued.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(session.ResumptionMasterSecret);
        }
    }
}
