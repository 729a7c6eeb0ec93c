using Tickets.Core.Protocol;
using Tickets.Traffic;

namespace Tickets;

/// <summary>
/// Sending, under the write turn: application data, the handshake messages the traffic state asks for (tickets, a
/// CertificateRequest, our KeyUpdate), close_notify, and the fatal alert that ends a failed connection.
/// </summary>
public sealed partial class TicketServerConnection
{
    // Flushing every few records bounds how much ciphertext the pipe holds for a large write.
    private const int RecordsPerFlush = 4;

    /// <summary>Sends application data, in records of at most 2^14 bytes.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var state = RequireTraffic();
        await writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosedForWriting();
            await QueueApplicationDataAsync(state, data, cancellationToken).ConfigureAwait(false);
            await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeTurn.Release();
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> (write turn held) as application-data records of at most 2^14 bytes, one empty
    /// record when it is empty, flushing every <see cref="RecordsPerFlush"/> records. The last records stay queued: the
    /// caller flushes them, together with whatever it writes after them.
    /// </summary>
    private async ValueTask QueueApplicationDataAsync(TrafficState state, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var queued = 0;
        do
        {
            if (queued == RecordsPerFlush)
            {
                queued = 0;
                await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
            }

            var slice = data[..Math.Min(RecordHeader.MaxPlaintextLength, data.Length)];
            data = data[slice.Length..];
            UpdateWriteKeyIfDue(state);
            records.Write(ContentType.ApplicationData, slice.Span);
            queued++;
        }
        while (!data.IsEmpty);
    }

    /// <summary>
    /// Sends handshake messages (a ticket flight, a CertificateRequest) in one write under our current key, replacing the
    /// key first if it is worn out. With <paramref name="mayWaitForNextWrite"/> (the tickets after the handshake) they
    /// wait for the next write instead when the client's next record is already here (see Coalescing).
    /// </summary>
    /// <exception cref="IOException">We sent close_notify, or the connection is closed.</exception>
    private async ValueTask SendHandshakeAsync(
        TrafficState state, ReadOnlyMemory<byte> messages, CancellationToken cancellationToken, bool mayWaitForNextWrite = false)
    {
        await writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosedForWriting();
            UpdateWriteKeyIfDue(state);
            records.Write(ContentType.Handshake, messages.Span);
            if (mayWaitForNextWrite && records.HasWholeRecordBuffered())
            {
                ticketsAwaitFlush = true;
                return;
            }

            await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeTurn.Release();
        }
    }

    /// <summary>
    /// Answers the client's KeyUpdate(update_requested) with ours, under the old key, and switches to the next. After our
    /// close_notify we send nothing, not even this answer: the client's read side is closed already.
    /// </summary>
    private async ValueTask AnswerKeyUpdateAsync(TrafficState state, CancellationToken cancellationToken)
    {
        await writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify)
            {
                return;
            }

            UpdateWriteKey(state);
            await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeTurn.Release();
        }
    }

    /// <summary>
    /// Before another record goes out under our key (write turn held): once the key has protected as many records as its
    /// AEAD safely allows (RFC 8446 §5.5, <see cref="Crypto.RecordLimits.RecordsPerKey"/>), it is replaced. The client need
    /// not answer.
    /// </summary>
    private void UpdateWriteKeyIfDue(TrafficState state)
    {
        if (state.WriteKeyDue(records.WriteSequenceNumber))
        {
            UpdateWriteKey(state);
        }
    }

    /// <summary>Our KeyUpdate under the current key tells the client; everything after it goes under the next key.</summary>
    private void UpdateWriteKey(TrafficState state)
    {
        records.Write(ContentType.Handshake, TrafficState.OwnKeyUpdate.Span);
        records.SetWriteKey(state.NextWriteKey());
    }

    private void ThrowIfClosedForWriting()
    {
        if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
        {
            throw new IOException("The TLS connection is closed for writing.");
        }
    }

    /// <summary>≈ SSL_shutdown: sends close_notify once; we send nothing after it. The peer may still send.</summary>
    public async Task ShutdownAsync()
    {
        await writeTurn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                return;
            }

            sentCloseNotify = true;
            records.WriteAlert(AlertDescription.CloseNotify);
            await FlushQueuedAsync(CancellationToken.None).ConfigureAwait(false);
            AlertSent(AlertDescription.CloseNotify);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The peer is already gone; there is nobody to tell.
        }
        finally
        {
            writeTurn.Release();
        }
    }

    /// <summary>Best effort: send a fatal alert, then close. The peer may already be gone.</summary>
    private async Task FailAsync(AlertDescription alert)
    {
        if (Volatile.Read(ref transportClosed) == 0 && await writeTurn.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
        {
            try
            {
                records.WriteAlert(alert);
                AlertSent(alert);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await records.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
            }
            finally
            {
                writeTurn.Release();
            }
        }

        await CloseTransportAsync().ConfigureAwait(false);
    }
}
