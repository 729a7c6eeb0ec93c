using Tickets.Core.Protocol;
using Tickets.Records;

namespace Tickets;

/// <summary>Sending: application data, close_notify, and the fatal alert that ends a failed connection.</summary>
public sealed partial class TicketServerConnection
{
    /// <summary>Sends application data, in records of at most 2^14 bytes.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var traffic = RequireSession().Traffic;
        // Flushing every few records bounds how much ciphertext the pipe holds for a large write.
        const int recordsPerFlush = 4;
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw new IOException("The TLS connection is closed for writing.");
            }

            var queued = 0;
            do
            {
                var slice = data[..Math.Min(RecordHeader.MaxPlaintextLength, data.Length)];
                data = data[slice.Length..];
                UpdateWriteKeyIfDue(traffic);
                records.Write(ContentType.ApplicationData, slice.Span);
                if (++queued == recordsPerFlush || data.IsEmpty)
                {
                    queued = 0;
                    await records.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            while (!data.IsEmpty);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// Before another record goes out under our key (write lock held): once the key has protected as many records as its
    /// AEAD safely allows (RFC 8446 §5.5, <see cref="Crypto.RecordLimits.RecordsPerKey"/>), a KeyUpdate under the old key
    /// tells the client, and everything after goes under the next one. The client need not answer (update_not_requested).
    /// </summary>
    private void UpdateWriteKeyIfDue(ApplicationTraffic traffic)
    {
        var limit = context.RecordsPerWriteKey ?? Crypto.RecordLimits.RecordsPerKey(traffic.Suite.Aead);
        if (records.WriteSequenceNumber < limit)
        {
            return;
        }

        records.Write(ContentType.Handshake, KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateNotRequested));
        records.SetWriteKey(traffic.NextWriteKey());
    }

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
}
