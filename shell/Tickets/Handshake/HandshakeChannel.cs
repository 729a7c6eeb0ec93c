using System.Buffers;
using System.Runtime.CompilerServices;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Handshake;

/// <summary>
/// Handshake messages over the record layer: reads whole messages (reassembled across records) and
/// queues ours as handshake records. Anything else arriving during the handshake ends it: an alert from
/// the peer, or application data, which TLS 1.3 forbids before the handshake completes (we accept no
/// early data).
/// </summary>
/// <remarks>Its reads and flushes use pooled async builders: each handshake awaits them several times.</remarks>
internal sealed class HandshakeChannel(RecordLayer records, int maxMessageLength)
{
    // Whole messages already reassembled but not yet read, and the partial tail of the next one.
    private readonly Queue<byte[]> complete = new();
    private HandshakeReassembler reassembler = new(maxMessageLength);

    // Our messages wait here so that consecutive ones share records (EncryptedExtensions through Finished
    // usually fit one record), as OpenSSL and the RFC 8448 traces do. Pooled: nothing to allocate per flight.
    private readonly PooledBufferWriter outgoing = new();

    public RecordLayer Records { get; } = records;

    /// <summary>True when the peer has sent part of a message we have not read yet.</summary>
    public bool HasBufferedData => complete.Count > 0 || reassembler.HasPartialMessage;

    /// <summary>
    /// The next handshake message, which must be of <paramref name="expected"/> type, header included.
    /// 
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadAsync(HandshakeType expected, CancellationToken cancellationToken)
    {
        var (type, message) = await ReadAnyAsync(cancellationToken).ConfigureAwait(false);
        if (type != expected)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"expected {expected}, received {type}");
        }

        return message;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(HandshakeType Type, ReadOnlyMemory<byte> Message)> ReadAnyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (complete.TryDequeue(out var message))
            {
                return ((HandshakeType)message[0], message);
            }

            var record = await Records.ReadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new PeerAlertException(null);
            switch (record.Type)
            {
                case ContentType.Handshake:
                    var (messages, next) = TlsAlertException.Expect(reassembler.Append(record.Content.Span));
                    reassembler = next;
                    foreach (var whole in messages)
                    {
                        complete.Enqueue(whole);
                    }

                    break;
                case ContentType.Alert:
                    throw AlertRecord.ToException(record.Content.Span);
                default:
                    throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{record.Type} record during the handshake");
            }
        }
    }

    /// <summary>
    /// Keys may change only at a message boundary that is also a record boundary (RFC 8446 §5.1): bytes
    /// already buffered under the old key would otherwise be read as if protected by the new one.
    /// </summary>
    public void EnsureNothingBufferedBeforeKeyChange()
    {
        if (HasBufferedData)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "handshake data not aligned with a key change");
        }
    }

    /// <summary>Queues one whole handshake message; it goes out with the next flush or key change.</summary>
    public void Write(ReadOnlySpan<byte> message) => outgoing.Write(message);

    /// <summary>
    /// Queues a record that is not a handshake message (the middlebox change_cipher_spec), after the
    /// handshake messages queued before it.
    /// </summary>
    public void WriteRecord(ContentType type, ReadOnlySpan<byte> content)
    {
        EmitQueued();
        Records.Write(type, content);
    }

    /// <summary>Messages queued so far go out under the old key; everything after under <paramref name="next"/>.</summary>
    public void SetWriteKey(RecordSealer next)
    {
        EmitQueued();
        Records.SetWriteKey(next);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        EmitQueued();
        await Records.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EmitQueued()
    {
        if (outgoing.WrittenCount > 0)
        {
            Records.Write(ContentType.Handshake, outgoing.WrittenSpan);
            outgoing.Clear();
        }
    }
}
