using Tickets.Core.Protocol;
using Tickets.Records;

namespace Tickets;

/// <summary>
/// Receiving: application data for the caller, with the post-handshake messages (KeyUpdate, the answer to a
/// post-handshake CertificateRequest) handled on the way.
/// </summary>
public sealed partial class TicketServerConnection
{
    // KeyUpdates received since the last application data (see RecordLimits.MaxConsecutiveKeyUpdates). Guarded by the
    // read lock, like the rest of the receive state.
    private int consecutiveKeyUpdates;

    /// <summary>
    /// Reads application data into <paramref name="buffer"/>; 0 once the peer sent close_notify or closed
    /// the transport. Post-handshake messages (KeyUpdate) are handled on the way. A protocol error sends
    /// the alert, closes the connection and throws <see cref="IOException"/>.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var traffic = RequireSession().Traffic;
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await readLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref transportClosed) != 0 && pending is null && !HasHeldApplicationData)
            {
                return peerClosed ? 0 : throw new IOException("The TLS connection is closed.");
            }

            while (true)
            {
                if (pending is not null)
                {
                    var count = Math.Min(buffer.Length, pendingEnd - pendingStart);
                    pending.AsSpan(pendingStart, count).CopyTo(buffer.Span);
                    pendingStart += count;
                    if (pendingStart == pendingEnd)
                    {
                        ReleasePending();
                    }

                    return count;
                }

                // Data a post-handshake authentication read on our behalf comes first, in order.
                if (TakeHeldApplicationData())
                {
                    continue;
                }

                if (peerClosed)
                {
                    return 0;
                }

                var record = await records.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (record is not { } received)
                {
                    PeerClosed();
                    return 0;
                }

                if (received.Type == ContentType.ApplicationData && !received.Content.IsEmpty)
                {
                    consecutiveKeyUpdates = 0;
                }

                switch (received.Type)
                {
                    case ContentType.ApplicationData when received.Content.Length <= buffer.Length:
                        // Straight into the caller's buffer; an empty record reads as nothing and we go on.
                        received.Content.Span.CopyTo(buffer.Span);
                        if (received.Content.IsEmpty)
                        {
                            break;
                        }

                        return received.Content.Length;
                    case ContentType.ApplicationData:
                        pending = System.Buffers.ArrayPool<byte>.Shared.Rent(received.Content.Length);
                        received.Content.Span.CopyTo(pending);
                        pendingStart = 0;
                        pendingEnd = received.Content.Length;
                        break;
                    case ContentType.Handshake:
                        await HandlePostHandshakeAsync(received.Content, traffic, cancellationToken).ConfigureAwait(false);
                        break;
                    case ContentType.Alert when AlertRecord.IsCloseNotify(received.Content.Span):
                        PeerClosed();
                        return 0;
                    default:
                        throw AlertRecord.ToException(received.Content.Span);
                }
            }
        }
        catch (Exception error) when (error is TlsAlertException or PeerAlertException)
        {
            throw await ReadFailedAsync(error).ConfigureAwait(false);
        }
        finally
        {
            readLock.Release();
        }
    }

    private void ReleasePending()
    {
        // Application data is secret too: wipe it before the pool hands the array to someone else.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(pending.AsSpan(0, pendingEnd));
        System.Buffers.ArrayPool<byte>.Shared.Return(pending!);
        pending = null;
        pendingStart = pendingEnd = 0;
    }

    /// <summary>
    /// After the handshake the client may send KeyUpdate, and, while we wait for its answer to a post-handshake
    /// CertificateRequest, Certificate, CertificateVerify and Finished. A KeyUpdate switches its sending key at
    /// once; if it asks, we update ours too (RFC 8446 §4.6.3).
    /// </summary>
    private async ValueTask HandlePostHandshakeAsync(ReadOnlyMemory<byte> content, ApplicationTraffic traffic, CancellationToken cancellationToken)
    {
        var (messages, next) = TlsAlertException.Expect(postHandshakeMessages.Append(content.Span));
        postHandshakeMessages = next;
        var remaining = messages.Count;
        foreach (var message in messages)
        {
            remaining--;
            if ((HandshakeType)message[0] is HandshakeType.Certificate or HandshakeType.CertificateVerify or HandshakeType.Finished)
            {
                await AcceptAuthenticationMessageAsync(message, traffic, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((HandshakeType)message[0] != HandshakeType.KeyUpdate)
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{(HandshakeType)message[0]} after the handshake");
            }

            var request = TlsAlertException.Expect(KeyUpdateCodec.Decode(message));
            // The new key applies to the next record, so nothing may follow a KeyUpdate in its record.
            if (remaining > 0 || postHandshakeMessages.HasPartialMessage)
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, "KeyUpdate not at a record boundary");
            }

            // Each KeyUpdate costs a derivation, and an answer to write when it asks for one: only so many in a row.
            if (++consecutiveKeyUpdates > Crypto.RecordLimits.MaxConsecutiveKeyUpdates)
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage,
                    $"more than {Crypto.RecordLimits.MaxConsecutiveKeyUpdates} KeyUpdates without application data between them");
            }

            records.SetReadKey(traffic.NextReadKey());
            if (request == KeyUpdateRequest.UpdateRequested)
            {
                await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // Our answer still goes under the old key; everything after it under the new one.
                    records.Write(ContentType.Handshake, KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateNotRequested));
                    records.SetWriteKey(traffic.NextWriteKey());
                    await records.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
    }
}
