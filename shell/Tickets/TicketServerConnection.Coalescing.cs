using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// Fewer, fuller writes to the socket. On loopback and on busy servers every send costs a system call and a trip
/// through both TCP stacks, whatever its size; a short-lived HTTPS connection used to make four (our handshake
/// flight, the tickets, the response, close_notify), nginx makes five (OpenSSL writes each ticket on its own).
/// Two rules bring that to two:
/// <list type="bullet">
/// <item>The tickets after the handshake wait for the connection's next write when the client's next record is
/// already here (typically its request, sent right behind its Finished): the server is about to read it and answer,
/// so the tickets travel with the answer. They go out on their own before any read has to wait for the peer, so a
/// client that waits for them is never kept waiting. With nothing from the client buffered they leave at once.</item>
/// <item><see cref="WriteAndShutdownAsync"/> sends a last response and close_notify in one write.</item>
/// </list>
/// </summary>
public sealed partial class TicketServerConnection
{
    // Set when the post-handshake ticket flight sits unflushed in the pipe; cleared by whoever flushes next.
    private volatile bool ticketsAwaitFlush;

    /// <summary>True when the ticket flight is queued behind data from the client (see the class remarks).</summary>
    private bool DeferTicketFlush() => records.HasWholeRecordBuffered();

    /// <summary>
    /// Called by a read before it waits for the network: deferred tickets must not wait with it. Takes the write lock,
    /// like every other writer, so it cannot interleave with an application write on another thread.
    /// </summary>
    private async ValueTask FlushDeferredTicketsBeforeWaitingAsync(CancellationToken cancellationToken)
    {
        if (!ticketsAwaitFlush || records.HasWholeRecordBuffered())
        {
            return;
        }

        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ticketsAwaitFlush && Volatile.Read(ref transportClosed) == 0)
            {
                ticketsAwaitFlush = false;
                await records.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            writeLock.Release();
        }
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
        RequireSession();
        // As in WriteAsync: a large response is flushed every few records, the last part together with the alert.
        const int chunk = 4 * Crypto.RecordLimits.MaxPlaintext;
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw new IOException("The TLS connection is closed for writing.");
            }

            while (data.Length > chunk)
            {
                records.Write(ContentType.ApplicationData, data.Span[..chunk]);
                data = data[chunk..];
                await records.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!data.IsEmpty)
            {
                records.Write(ContentType.ApplicationData, data.Span);
            }

            sentCloseNotify = true;
            ticketsAwaitFlush = false;
            records.WriteAlert(AlertDescription.CloseNotify);
            await records.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }
}
