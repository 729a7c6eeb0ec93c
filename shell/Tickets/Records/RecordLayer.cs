using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Records;

/// <summary>
/// TLS 1.3 records over a pair of pipes (RFC 8446 §5): frames incoming bytes into records, removes
/// protection once keys are installed, and fragments and protects outgoing content. Reading is meant for
/// one reader at a time; writers must be serialised by the caller (the connection holds a write lock),
/// because a KeyUpdate answer can be written while application data is being written.
/// </summary>
internal sealed class RecordLayer : IDisposable
{
    private readonly PipeReader input;
    private readonly PipeWriter output;

    // Room for one maximum-size record: a received record's plaintext lands here (decrypted straight out of
    // the pipe when the record sits in one segment, else copied and opened in place). Rented from the shared
    // pool when a record arrives and handed back when the reader next has to wait for the network, so an
    // idle connection holds no record buffer and a busy one allocates none. Dispose may run on another
    // thread while a read is decrypting into it, so whoever is last (see readerState) hands it back.
    private const int RecordBufferLength = Crypto.RecordLimits.HeaderLength + Crypto.RecordLimits.MaxCiphertext;
    private byte[]? recordBuffer;
    private int recordBufferUsed;

    private const int Idle = 0, Reading = 1, Disposed = 2;
    private int readerState = Idle;

    private RecordOpener? opener;
    private RecordSealer? sealer;

    public RecordLayer(PipeReader input, PipeWriter output)
    {
        this.input = input;
        this.output = output;
    }

    /// <summary>
    /// While true, a plaintext change_cipher_spec record holding the single byte 1 is dropped: clients in
    /// middlebox compatibility mode send one between their first ClientHello and their Finished (RFC 8446
    /// §5, Appendix D.4). Outside that window it is an unexpected_message.
    /// </summary>
    public bool IgnoreMiddleboxChangeCipherSpec { get; set; }

    public bool ReadProtected => opener is not null;

    /// <summary>Told about every record in both directions when the connection is traced; null otherwise.</summary>
    public Trace.ConnectionTrace? Trace { get; set; }

    /// <summary>Installs the key for records we receive from now on; the previous key is destroyed.</summary>
    public void SetReadKey(RecordOpener next)
    {
        opener?.Dispose();
        opener = next;
    }

    /// <summary>Installs the key for records we send from now on; the previous key is destroyed.</summary>
    public void SetWriteKey(RecordSealer next)
    {
        sealer?.Dispose();
        sealer = next;
    }

    // Pooled builder: the state machine of a read that has to wait is reused instead of allocated, and
    // every handshake and every application read waits at least once.
    /// <summary>The next record, or null when the peer closed the transport at a record boundary.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TlsRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref readerState, Reading, Idle) != Idle)
        {
            throw readerState == Disposed
                ? new IOException("The connection was closed.")
                : new InvalidOperationException("Records are read by one reader at a time.");
        }

        try
        {
            while (true)
            {
                if (!input.TryRead(out var result))
                {
                    // About to wait for the peer, possibly for a long time: the previous record's content is no
                    // longer valid (see TlsRecord), so its buffer goes back to the pool meanwhile.
                    ReleaseRecordBuffer();
                    result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                }

                if (result.IsCanceled)
                {
                    // Only the transport's disposal cancels reads: the connection is being closed locally.
                    throw new IOException("The connection was closed.");
                }

                var buffer = result.Buffer;
                if (RecordFraming.TryRead(buffer, out var type, out var header, out var body, out var consumed))
                {
                    TlsRecord? record;
                    try
                    {
                        record = Unprotect(type, header, body);
                        Trace?.Received(type, Crypto.RecordLimits.HeaderLength + (int)body.Length, record,
                            ReadProtected && type == (byte)ContentType.ApplicationData);
                    }
                    finally
                    {
                        // After Unprotect: it may decrypt straight out of the pipe's memory.
                        input.AdvanceTo(consumed);
                    }

                    if (record is { } whole)
                    {
                        return whole;
                    }

                    continue;
                }

                // Not a whole record yet: keep everything, and tell the pipe we looked at all of it so the next
                // read waits for more bytes instead of returning the same ones.
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty)
                    {
                        return null;
                    }

                    throw new TlsAlertException(AlertDescription.DecodeError, "connection closed in the middle of a record");
                }
            }
        }
        finally
        {
            // Disposed meanwhile: Dispose left the buffer to us, as we might have been using it.
            if (Interlocked.CompareExchange(ref readerState, Idle, Reading) == Disposed)
            {
                ReleaseRecordBuffer();
            }
        }
    }

    private byte[] RentRecordBuffer() => recordBuffer ??= ArrayPool<byte>.Shared.Rent(RecordBufferLength);

    private void ReleaseRecordBuffer()
    {
        if (recordBuffer is { } held)
        {
            // The pool is shared with the whole process: leave no plaintext behind in it.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(held.AsSpan(0, recordBufferUsed));
            recordBuffer = null;
            recordBufferUsed = 0;
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>Checks and decrypts one framed record into the record buffer; null for a record to ignore.</summary>
    private TlsRecord? Unprotect(byte outerType, in ReadOnlySequence<byte> header, in ReadOnlySequence<byte> body)
    {
        var contentLength = (int)body.Length;
        var recordLength = Crypto.RecordLimits.HeaderLength + contentLength;

        if (outerType == (byte)ContentType.ChangeCipherSpec)
        {
            // Never encrypted and never meaningful in TLS 1.3; anything but the compatibility record is an attack.
            if (IgnoreMiddleboxChangeCipherSpec && contentLength == 1 && body.FirstSpan[0] == 1)
            {
                return null;
            }

            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "change_cipher_spec outside the handshake");
        }

        var target = RentRecordBuffer();
        recordBufferUsed = Math.Max(recordBufferUsed, recordLength);
        var content = target.AsMemory(Crypto.RecordLimits.HeaderLength, contentLength);

        if (opener is null || outerType == (byte)ContentType.Alert)
        {
            // Before keys exist everything is plaintext. A plaintext alert after that comes from a peer that
            // failed before it could install keys; it is read as is, because all it can do is end the connection.
            if (contentLength > Crypto.RecordLimits.MaxPlaintext)
            {
                throw new TlsAlertException(AlertDescription.RecordOverflow, "plaintext record over 2^14 bytes");
            }

            if (outerType is not ((byte)ContentType.Handshake or (byte)ContentType.Alert))
            {
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"unexpected plaintext record of type {outerType}");
            }

            body.CopyTo(content.Span);
            return Checked((ContentType)outerType, content);
        }

        RecordOpenResult opened;
        if (header.IsSingleSegment && body.IsSingleSegment)
        {
            // The usual case: the whole record is contiguous in the pipe, so decrypt from there into our
            // buffer instead of copying the ciphertext first (one pass over the bytes instead of two).
            opened = opener.Open(header.FirstSpan, body.FirstSpan, content.Span);
        }
        else
        {
            header.CopyTo(target);
            body.CopyTo(content.Span);
            opened = opener.OpenInPlace(target.AsSpan(0, recordLength));
        }

        if (!opened.IsOk)
        {
            throw new TlsAlertException(opened.Alert, $"cannot open record: {opened.Status}");
        }

        if (opened.ContentType is not (ContentType.Handshake or ContentType.Alert or ContentType.ApplicationData))
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"unexpected protected record of type {opened.ContentType}");
        }

        return Checked(opened.ContentType, content[..opened.Length]);
    }

    private static TlsRecord Checked(ContentType type, ReadOnlyMemory<byte> content)
    {
        // Zero-length fragments are allowed only for application data (RFC 8446 §5.1, §5.4).
        if (content.IsEmpty && type != ContentType.ApplicationData)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"empty {type} record");
        }

        return new TlsRecord(type, content);
    }

    /// <summary>
    /// Queues <paramref name="content"/> as records of <paramref name="type"/>, at most 2^14 bytes of
    /// content each, protected once a write key is installed. Nothing is sent until <see cref="FlushAsync"/>.
    /// </summary>
    public void Write(ContentType type, ReadOnlySpan<byte> content)
    {
        do
        {
            var fragment = content[..Math.Min(content.Length, Crypto.RecordLimits.MaxPlaintext)];
            content = content[fragment.Length..];
            Trace?.Sent(type, fragment, sealer is not null);
            if (sealer is null)
            {
                var span = output.GetSpan(Crypto.RecordLimits.HeaderLength + fragment.Length);
                span[0] = (byte)type;
                // Initial records may say TLS 1.0 for old middleboxes; a server's may just say TLS 1.2.
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], Crypto.RecordLimits.LegacyRecordVersion);
                BinaryPrimitives.WriteUInt16BigEndian(span[3..], (ushort)fragment.Length);
                fragment.CopyTo(span[Crypto.RecordLimits.HeaderLength..]);
                output.Advance(Crypto.RecordLimits.HeaderLength + fragment.Length);
            }
            else
            {
                var span = output.GetSpan(Crypto.RecordLimits.ProtectedRecordLength(fragment.Length));
                output.Advance(sealer.Seal(type, fragment, span));
            }
        }
        while (!content.IsEmpty);
    }

    /// <summary>Queues an alert record; close_notify is a warning, everything else fatal (RFC 8446 §6).</summary>
    public void WriteAlert(AlertDescription alert)
    {
        var level = alert is AlertDescription.CloseNotify or AlertDescription.UserCanceled
            ? AlertLevel.Warning
            : AlertLevel.Fatal;
        Write(ContentType.Alert, [(byte)level, (byte)alert]);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("the transport is closed");
        }
    }

    /// <summary>
    /// True when a whole record from the peer is already buffered, so the next <see cref="ReadAsync"/> will not wait
    /// for the network. Looks without consuming; for the single reader, between reads.
    /// </summary>
    public bool HasWholeRecordBuffered()
    {
        if (Volatile.Read(ref readerState) != Idle || !input.TryRead(out var result))
        {
            return false;
        }

        var whole = false;
        try
        {
            whole = RecordFraming.TryRead(result.Buffer, out _, out _, out _, out _);
        }
        catch (TlsAlertException)
        {
            // A malformed header: the next read reports it; nothing is waiting to be read.
        }
        finally
        {
            // Nothing consumed and nothing examined: the next read sees the same bytes without waiting.
            input.AdvanceTo(result.Buffer.Start);
        }

        return whole;
    }

    public void Dispose()
    {
        // With no read running the buffer is ours to return; otherwise the reader returns it on its way out.
        if (Interlocked.Exchange(ref readerState, Disposed) == Idle)
        {
            ReleaseRecordBuffer();
        }

        opener?.Dispose();
        sealer?.Dispose();
        opener = null;
        sealer = null;
    }
}
