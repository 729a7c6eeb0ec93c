using Tickets.Core.Protocol;
using Tickets.Traffic;

namespace Tickets;

/// <summary>
/// Fewer, fuller writes to the socket. On loopback and on busy servers every send costs a system call and a trip
/// through both TCP stacks, whatever its size; a short-lived HTTPS connection used to make four (our handshake
/// flight, the tickets, the response, close_notify), nginx makes five (OpenSSL writes each ticket on its own).
/// Two rules bring that to two:
/// <list type="bullet">
/// <item>The tickets after the handshake (<see cref="TrafficEffect.IssueTickets.MayWaitForNextWrite"/>) wait for the
/// connection's next write when the client's next record is already here (typically its request, sent right behind its
/// Finished): the server is about to read it and answer, so the tickets travel with the answer. They go out on their
/// own before any read has to wait for the peer, so a client that waits for them is never kept waiting. With nothing
/// from the client buffered they leave at once.</item>
/// <item><see cref="WriteAndShutdownAsync"/> sends a last response and close_notify in one write.</item>
/// </list>
/// </summary>
public sealed partial class TicketServerConnection
{
    // Set (write turn) when the ticket flight after the handshake sits unflushed in the pipe; cleared by whoever
    // flushes next. Read without the write turn by a reader about to wait, hence volatile.
    private volatile bool ticketsAwaitFlush;

    /// <summary>
    /// Called by a read (read turn held) before it waits for the network: deferred tickets must not wait with it. Takes
    /// the write turn, like every other writer, so it cannot interleave with an application write on another thread.
    /// </summary>
    private async ValueTask FlushDeferredTicketsBeforeWaitingAsync(CancellationToken cancellationToken)
    {
        if (!ticketsAwaitFlush || records.HasWholeRecordBuffered())
        {
            return;
        }

        await writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ticketsAwaitFlush && Volatile.Read(ref transportClosed) == 0)
            {
                await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            writeTurn.Release();
        }
    }

    /// <summary>
    /// Flushes everything queued (write turn held), deferred tickets included, so they no longer wait. Every flush of
    /// the write side goes through here.
    /// </summary>
    private ValueTask FlushQueuedAsync(CancellationToken cancellationToken)
    {
        ticketsAwaitFlush = false;
        return records.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// ≈ SSL_write then SSL_shutdown, in one write to the transport: <paramref name="data"/> (in records of at most
    /// 2^14 bytes) followed by close_notify. For a last response after which the server closes, such as an HTTP/1.0
    /// page: one TCP segment instead of two. Tickets still waiting from the handshake go out in front of it.
    /// Afterwards nothing more can be written; the peer may still send.
    /// </summary>
    /// <exception cref="IOException">The connection is already closed for writing.</exception>
    public async ValueTask WriteAndShutdownAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var state = RequireTraffic();
        await writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosedForWriting();
            // A large response is flushed every few records, as in WriteAsync; the last ones go with the alert.
            if (!data.IsEmpty)
            {
                await QueueApplicationDataAsync(state, data, cancellationToken).ConfigureAwait(false);
            }

            sentCloseNotify = true;
            records.WriteAlert(AlertDescription.CloseNotify);
            await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
            AlertSent(AlertDescription.CloseNotify);
        }
        finally
        {
            writeTurn.Release();
        }
    }
}
