using System.Runtime.CompilerServices;
using Tickets.Authentication;
using Tickets.Core.Protocol;
using Tickets.Records;
using Tickets.Traffic;

namespace Tickets;

/// <summary>
/// Receiving, under the read turn: application data for the caller, with the post-handshake messages handed to the
/// traffic state on the way, and reading on behalf of a post-handshake authentication when nobody else reads.
/// </summary>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// Reads application data into <paramref name="buffer"/>; 0 once the peer sent close_notify or closed
    /// the transport. Post-handshake messages (KeyUpdate) are handled on the way. A protocol error sends
    /// the alert, closes the connection and throws <see cref="IOException"/>.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var state = RequireTraffic();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await readTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref transportClosed) != 0 && unread.IsEmpty)
            {
                return peerClosed ? 0 : throw new IOException("The TLS connection is closed.");
            }

            while (true)
            {
                // What arrived before this read (the rest of a long record, data an authentication read ahead) comes first.
                if (!unread.IsEmpty)
                {
                    return unread.Read(buffer.Span);
                }

                if (peerClosed)
                {
                    return 0;
                }

                var data = await ReceiveRecordAsync(state, cancellationToken).ConfigureAwait(false);
                if (data.Length > buffer.Length)
                {
                    unread.Append(data.Span);
                }
                else if (!data.IsEmpty)
                {
                    // Straight into the caller's buffer.
                    data.Span.CopyTo(buffer.Span);
                    return data.Length;
                }
            }
        }
        catch (Exception error) when (error is TlsAlertException or PeerAlertException)
        {
            throw await ReadFailedAsync(state, error).ConfigureAwait(false);
        }
        finally
        {
            readTurn.Release();
        }
    }

    /// <summary>
    /// Reads one record (read turn held) and handles everything in it but application data, which it returns (valid until
    /// the next record is read; empty when the record carried none). The end of the stream and close_notify set
    /// <c>peerClosed</c>; any other alert is thrown.
    /// </summary>
    // Pooled builder, like the record layer's read: every application read that waits for the peer waits in here.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlyMemory<byte>> ReceiveRecordAsync(TrafficState state, CancellationToken cancellationToken)
    {
        if (ticketsAwaitFlush)
        {
            await FlushDeferredTicketsBeforeWaitingAsync(cancellationToken).ConfigureAwait(false);
        }

        var record = await records.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (record is not { } received)
        {
            PeerClosed(state);
            return default;
        }

        switch (received.Type)
        {
            case ContentType.ApplicationData:
                state.ApplicationDataReceived(received.Content.Length);
                return received.Content;
            case ContentType.Handshake:
                var effects = await state.ReceiveAsync(received.Content).ConfigureAwait(false);
                await CarryOutAsync(effects, cancellationToken).ConfigureAwait(false);
                return default;
            case ContentType.Alert when AlertRecord.IsCloseNotify(received.Content.Span):
                PeerClosed(state);
                return default;
            default:
                throw AlertRecord.ToException(received.Content.Span);
        }
    }

    /// <summary>
    /// Reads for a post-handshake authentication whenever no application read holds the connection, one record per
    /// turn, until the answer is complete. Taking turns record by record lets an application read that starts meanwhile
    /// get its data promptly; the application data read here waits in <c>unread</c> for it, up to
    /// <see cref="UnreadData.MaxReadAhead"/>.
    /// </summary>
    private async Task ReadUntilAnsweredAsync(TrafficState state, PostHandshakeAuthentication authentication, CancellationToken cancellationToken)
    {
        while (!authentication.Completion.IsCompleted)
        {
            var turn = readTurn.WaitAsync(cancellationToken);
            if (await Task.WhenAny(authentication.Completion, turn).ConfigureAwait(false) != turn)
            {
                // The application's read finished the job; give the turn back whenever it comes after all.
                _ = turn.ContinueWith(
                    acquired => { if (acquired.IsCompletedSuccessfully) readTurn.Release(); },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }

            await turn.ConfigureAwait(false);
            try
            {
                if (authentication.Completion.IsCompleted)
                {
                    return;
                }

                if (unread.IsFull || peerClosed || Volatile.Read(ref transportClosed) != 0)
                {
                    break;
                }

                var data = await ReceiveRecordAsync(state, cancellationToken).ConfigureAwait(false);
                if (!data.IsEmpty)
                {
                    unread.Append(data.Span);
                }
            }
            catch (Exception error) when (error is TlsAlertException or PeerAlertException)
            {
                throw await ReadFailedAsync(state, error).ConfigureAwait(false);
            }
            finally
            {
                readTurn.Release();
            }
        }

        // Too much read ahead, or the connection ended: the outcome now depends on the application's reads (or is
        // already a failure); wait for it.
        await authentication.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What a failed read becomes for its caller, whichever side was reading: a post-handshake authentication still
    /// waiting fails with the same error, and after our alert (or the peer's) the connection is closed.
    /// </summary>
    private async Task<Exception> ReadFailedAsync(TrafficState state, Exception error)
    {
        if (error is TlsAlertException alert)
        {
            var failure = state.Abandon(new IOException($"TLS connection failed ({alert.Alert}): {alert.Message}", alert));
            await FailAsync(alert.Alert).ConfigureAwait(false);
            return failure;
        }

        var closed = state.Abandon(new IOException(error.Message, error));
        await CloseTransportAsync().ConfigureAwait(false);
        return closed;
    }

    /// <summary>close_notify or end of stream: no answer can come any more.</summary>
    private void PeerClosed(TrafficState state)
    {
        peerClosed = true;
        state.Abandon(new IOException("The client closed the connection before answering the CertificateRequest."));
    }
}
