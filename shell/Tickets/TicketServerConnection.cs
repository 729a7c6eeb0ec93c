using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Handshake;
using Tickets.Records;
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
    // What the connection's identity stands under, which its tickets are bound to: the handshake's, then each
    // completed post-handshake authentication's.
    private AuthenticationContext? ticketAuthentication;
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
    public async Task HandshakeAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref handshakeStarted, 1) != 0)
        {
            throw new InvalidOperationException("The handshake has already been started on this connection.");
        }

        records.Trace = ConnectionTrace.Start(Id, TraceSink, context.TraceTrafficSecrets);
        using var handshake = new ServerHandshake(context, records, ExpectedTicketCount);
        try
        {
            var summary = await handshake.RunAsync(cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                ticketAuthentication = summary.AuthenticationContext;
            }

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
        finally
        {
            Resumption = handshake.Resumption;
        }
    }

    /// <summary>A Stream over this connection's application data, for code that wants one.</summary>
    public Stream GetStream() => new TicketConnectionStream(this);

    private HandshakeSummary RequireSession() =>
        session ?? throw new InvalidOperationException("The handshake has not completed.");

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
