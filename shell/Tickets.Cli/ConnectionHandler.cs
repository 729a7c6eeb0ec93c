using System.Net.Sockets;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// One accepted connection from handshake to close: the handshake (with a deadline, so a silent client cannot hold
/// a slot forever), its log line, then the --www page or the echo loop. Never throws: every ending is a log line
/// or a normal close, so one bad client cannot disturb the others or the accept loop.
/// </summary>
internal sealed class ConnectionHandler(
    TicketServerContext context, ServeLog log, bool www, OpenConnections? connections = null, string? phaPath = null, bool trace = false)
{
    /// <summary>From accept to the client's Finished (--handshake-timeout).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = ServeOptions.DefaultHandshakeTimeout;

    /// <summary>Longest silence from an established client in echo mode (--idle-timeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = ServeOptions.DefaultIdleTimeout;

    /// <summary>Over the connection limit: close before any TLS byte, so the refusal costs a descriptor for an instant.</summary>
    public void Refuse(long id, Socket socket, int maxConnections)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "unknown";
        socket.Dispose();
        log.Connection($"conn {id} {remote} refused: {maxConnections} connections open (--max-connections)");
    }

    /// <remarks>
    /// Runs on the accepting thread until the handshake first waits for the client, with no hop to the thread pool
    /// first: with inline socket completions (see SocketEngineSettings) the server works like an event loop, and a
    /// hand-off per connection cost more than it spread. In alternating runs on 2 cores, yielding first cost 12–25 %
    /// more CPU per handshake with one client and ~10 % with 40 (tests/bench, docs/performance.md), for no more
    /// requests per second. The accept loop waits meanwhile; the connection's later steps run on its socket's own
    /// event thread.
    /// </remarks>
    public async Task RunAsync(long id, Socket socket, CancellationToken stop)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "unknown";
        try
        {
            await using var connection = context.CreateConnection(socket);
            if (trace)
            {
                // Numbered like the log lines, which is the number a reader of the output knows the connection by.
                connection.TraceSink = log.Trace(id);
            }

            if (!await HandshakeAsync(id, remote, connection, stop))
            {
                return;
            }

            // From here on the standard-input commands can reach it, until it closes; registered before the log line,
            // so a command typed in answer to that line finds the connection.
            connections?.Add(id, connection);
            if (log.WritesConnectionLines)
            {
                log.Connection(ConnectionReport.Of(id, remote, connection).LogLine());
                LogRefusedTickets(id, connection);
            }

            if (connection.PeerIdentity is { } peer)
            {
                // "client external PSK identity=…" when the PSK was used now; "client restored from ticket …" when a ticket
                // brought the identity back, whichever way it was first proven.
                var how = connection.UsedExternalPsk ? "" : connection.Resumed ? "restored from ticket " : "certificate ";
                log.Connection($"conn {id} client {how}{PeerDescription.Of(peer)}");
            }

            try
            {
                if (www)
                {
                    var authenticate = new WwwResponder.ClientAuthentication(phaPath, result => log.Connection(PeerDescription.Authenticated(id, result)));
                    await WwwResponder.ServeAsync(connection, () => ConnectionReport.Of(id, remote, connection), stop, authenticate);
                }
                else if (!await EchoResponder.ServeAsync(connection, IdleTimeout, stop))
                {
                    log.Connection($"conn {id} {remote} closed: idle for {IdleTimeout.TotalSeconds:0} s");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Server shutdown: say goodbye properly so the client sees a clean close, not a truncation.
                await connection.ShutdownAsync();
            }
            finally
            {
                connections?.Remove(id);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown while closing: nothing more to report.
        }
        catch (TlsWriteTimeoutException stalled)
        {
            // A client that stopped reading: the engine dropped it, so its slot is free again.
            log.Connection($"conn {id} {remote} closed: took no data for {stalled.Timeout.TotalSeconds:0} s (--write-timeout)");
        }
        catch (Exception error) when (PeerHungUp(error))
        {
            // After the handshake, a client that resets (say, closing without reading its tickets) just left; its
            // handshake line already records the connection, and a second line per hang-up would be noise.
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // After the handshake: the peer broke the protocol (the engine sent the alert) or vanished, or --www timed out.
            log.Connection($"conn {id} {remote} error: {PeerText.Escape(error.Message)}");
        }
    }

    /// <summary>
    /// Why a client that offered tickets did not resume, one verdict per identity, e.g. "conn 7 ticket not resumed:
    /// identity 0 authentication context differs": a full handshake where a resumption was expected is otherwise a
    /// mystery to the operator. Nothing is logged when no ticket was offered or one resumed.
    /// </summary>
    private void LogRefusedTickets(long id, TicketServerConnection connection)
    {
        if (connection.Resumption is { Resumes: false } decision)
        {
            var verdicts = decision.Verdicts.Select((check, index) => $"identity {index} {check.Verdict.ShortName()}");
            log.Connection($"conn {id} ticket not resumed: {string.Join(", ", verdicts)}");
        }
    }

    private static bool PeerHungUp(Exception error) =>
        (error as SocketException ?? error.InnerException as SocketException)?.SocketErrorCode
            is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    /// <summary>True when the handshake completed; otherwise the failure has been logged as the connection's line.</summary>
    private async Task<bool> HandshakeAsync(long id, string remote, TicketServerConnection connection, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(HandshakeTimeout);
        try
        {
            await connection.HandshakeAsync(deadline.Token);
            return true;
        }
        catch (TlsHandshakeException failure)
        {
            log.Connection($"conn {id} {remote} failed {Describe(failure)}");
            LogRefusedTickets(id, connection);
        }
        catch (OperationCanceledException)
        {
            log.Connection(stop.IsCancellationRequested
                ? $"conn {id} {remote} failed: handshake abandoned at shutdown"
                : $"conn {id} {remote} failed: no handshake within {HandshakeTimeout.TotalSeconds:0} s");
        }

        return false;
    }

    /// <summary>
    /// "alert=NAME: reason" when we rejected the peer, "peer-alert=NAME: reason" when the peer aborted, and
    /// "transport: reason" when the connection simply broke; alert names in RFC spelling, as peers log them.
    /// </summary>
    private static string Describe(TlsHandshakeException failure)
    {
        if (failure.InnerException is IOException or ObjectDisposedException or SocketException)
        {
            return $"transport: {PeerText.Escape(failure.Message)}";
        }

        // Reasons can quote what the peer sent (a certificate's chain problems, say): escaped like every peer string.
        var name = AlertNames.Of(failure.Alert);
        var reason = PeerText.Escape(failure.Message);
        return failure.SentByPeer ? $"peer-alert={name}: {reason}" : $"alert={name}: {reason}";
    }
}
