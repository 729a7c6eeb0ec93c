using System.Net.Sockets;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// What `tickets serve` does with each connection the library's <see cref="TicketServer"/> accepts: before the handshake
/// (<see cref="Accepted"/>) the refusal line, the trace and a watch on the handshake's failure; after it
/// (<see cref="RunAsync"/>) the connection's log lines, then the --www page or the echo loop. Never throws: every ending
/// is a log line or a normal close, so one bad client cannot disturb the others or the server.
/// </summary>
/// <remarks>
/// The connection numbers in the log are the library's <see cref="TicketServerConnection.Id"/>: the server numbers every
/// accepted socket, refused ones included, in the order they came.
/// </remarks>
internal sealed class ConnectionHandler(ServeLog log, bool www, OpenConnections? connections = null, string? phaPath = null, bool trace = false)
{
    /// <summary>Longest silence from an established client in echo mode (--idle-timeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = ServeOptions.DefaultIdleTimeout;

    /// <summary>
    /// The server's pre-handshake callback. A connection over --max-connections comes refused already: it is closed before
    /// any TLS byte, so the refusal costs a descriptor for an instant, and gets its line. Any other gets --trace, and its
    /// failure line should its handshake fail.
    /// </summary>
    public void Accepted(TicketConnectionAcceptedContext accepted)
    {
        var connection = accepted.Connection;
        var id = connection.Id;
        var remote = Remote(connection);
        if (accepted.IsRefused)
        {
            log.Connection($"conn {id} {remote} refused: {connection.Context.MaxConnections} connections open (--max-connections)");
            return;
        }

        if (trace)
        {
            // Numbered like the log lines, which is the number a reader of the output knows the connection by.
            connection.TraceSink = log.Trace(id);
        }

        connection.HandshakeFailed += (_, failure) => HandshakeFailed(id, remote, connection, failure);
    }

    /// <summary>The server's handler: the connection finished its handshake; the server disposes it when this returns.</summary>
    public async Task RunAsync(TicketServerConnection connection, CancellationToken stop)
    {
        var id = connection.Id;
        var remote = Remote(connection);
        try
        {
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

    private static string Remote(TicketServerConnection connection) => connection.RemoteEndPoint?.ToString() ?? "unknown";

    /// <summary>The failed handshake's line, the connection's only one (with the verdicts on the tickets it offered).</summary>
    private void HandshakeFailed(long id, string remote, TicketServerConnection connection, Exception failure)
    {
        switch (failure)
        {
            case TlsHandshakeException handshake:
                log.Connection($"conn {id} {remote} failed {Describe(handshake)}");
                LogRefusedTickets(id, connection);
                break;
            case TimeoutException:
                log.Connection($"conn {id} {remote} failed: no handshake within {connection.HandshakeTimeout.TotalSeconds:0} s");
                break;
            default:
                // Only the server's stop cancels a handshake here.
                log.Connection($"conn {id} {remote} failed: handshake abandoned at shutdown");
                break;
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
