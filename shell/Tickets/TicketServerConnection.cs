using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
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

    private readonly SemaphoreSlim readTurn = new(1, 1);
    private readonly SemaphoreSlim writeTurn = new(1, 1);

    // Everything after the handshake: null until it completed.
    private TrafficState? traffic;
    private int handshakeStarted;
    private int transportClosed;

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
    }

    /// <summary>This connection's number within its context (1, 2, ...), as trace events report it.</summary>
    public long Id { get; }

    /// <summary>≈ SSL_set_msg_callback: copied from the context; may be replaced before the handshake starts.</summary>
    public ITlsTraceSink? TraceSink { get; set; }

    /// <summary>A ticket went out; raised once per NewSessionTicket, after the flight was written.</summary>
    public event EventHandler<IssuedTicket>? TicketIssued;

    /// <summary>The core's current state of this connection.</summary>
    internal Connection CoreState => ledger.Core;

    /// <summary>Every ticket issued on this connection so far, in order.</summary>
    public IReadOnlyList<IssuedTicket> IssuedTickets => ledger.Issued;

    /// <summary>≈ SSL_get_num_tickets.</summary>
    public int GetNumTickets() => ledger.Core.GetNumTickets();

    /// <summary>≈ SSL_set_num_tickets: takes effect for tickets not yet issued; negative counts fail.</summary>
    public Fin<Unit> SetNumTickets(int count) => ledger.SetNumTickets(count);

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
        using var handshake = new ServerHandshake(context, records, ledger.ExpectedTicketCount);
        try
        {
            var summary = await handshake.RunAsync(cancellationToken).ConfigureAwait(false);
            var state = new TrafficState(summary, ledger, context, maxPostHandshakeMessageLength);
            Volatile.Write(ref traffic, state);
            records.Trace?.Negotiated(summary);
            await CarryOutAsync(state.AfterHandshake(), cancellationToken).ConfigureAwait(false);
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
        finally
        {
            Resumption = handshake.Resumption;
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

    /// <summary>Closes the connection (without close_notify: see <see cref="ShutdownAsync"/>) and wipes its secrets.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseTransportAsync().ConfigureAwait(false);
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
