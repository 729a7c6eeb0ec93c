using System.Buffers;
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
    private const int RecordBufferLength = RecordHeader.Size + RecordHeader.MaxCiphertextLength;
    private byte[]? recordBuffer;
    private int recordBufferUsed;

    private const int Idle = 0, Reading = 1, Disposed = 2;
    private int readerState = Idle;

    private RecordOpener? opener;
    private RecordSealer? sealer;

    // Closes the transport at once when a write outlives WriteTimeout (null: nothing to close, e.g. in tests).
    private readonly Action? abort;

    public RecordLayer(PipeReader input, PipeWriter output, Action? abort = null)
    {
        this.input = input;
        this.output = output;
        this.abort = abort;
    }

    /// <summary>
    /// The longest a flush may wait for the peer to take our bytes (<see cref="TicketServerContext.WriteTimeout"/>);
    /// past it the transport is closed and <see cref="TlsWriteTimeoutException"/> thrown. Infinite by default.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// While true, a plaintext change_cipher_spec record holding the single byte 1 is dropped: clients in
    /// middlebox compatibility mode send one between their first ClientHello and their Finished (RFC 8446
    /// §5, Appendix D.4). Outside that window it is an unexpected_message.
    /// </summary>
    public bool IgnoreMiddleboxChangeCipherSpec { get; set; }

    public bool ReadProtected => opener is not null;

    /// <summary>
    /// Set when the client's handshake key is installed, cleared by the first record that opens under it. In between, a
    /// client that could not process our ServerHello has no keys and may send its alert in the clear (RFC 8446
    /// Appendix A.1), so a plaintext alert is read as the client's, as OpenSSL reads it. Outside this window a plaintext
    /// alert is unexpected_message: it ends nothing but a handshake no data has crossed yet.
    /// </summary>
    public bool AcceptPlaintextAlerts { get; set; }

    /// <summary>
    /// Set while early data the server declined may still arrive (see <see cref="RejectedEarlyData"/>); cleared by the
    /// first record that opens under the handshake key, or by the handshake after a second ClientHello.
    /// </summary>
    public RejectedEarlyData? EarlyData { get; set; }

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
                        Trace?.Received(type, RecordHeader.Size + (int)body.Length, record,
                            ReadProtected && type == (byte)ContentType.ApplicationData);
                    }
                    finally
                    {
                        // After Unprotect: it may decrypt straight out of the pipe's memory.
                        input.AdvanceTo(consumed);
                    }

                    if (record is { } whole)
                    {
                        CountEmpty(whole.Content.IsEmpty);
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

    // Records in a row that carried nothing (see RecordLimits.MaxConsecutiveEmptyRecords); reset by any that did.
    private int consecutiveEmptyRecords;

    /// <summary>Counts a record that carried nothing (empty, or an ignored change_cipher_spec) and stops a flood of them.</summary>
    private void CountEmpty(bool empty)
    {
        if (!empty)
        {
            consecutiveEmptyRecords = 0;
            return;
        }

        if (++consecutiveEmptyRecords > Crypto.RecordLimits.MaxConsecutiveEmptyRecords)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage,
                $"more than {Crypto.RecordLimits.MaxConsecutiveEmptyRecords} records in a row without data");
        }
    }

    /// <summary>Records protected under the current write key so far (0 before there is one).</summary>
    public ulong WriteSequenceNumber => sealer?.SequenceNumber ?? 0;

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
        var recordLength = RecordHeader.Size + contentLength;

        if (outerType == (byte)ContentType.ChangeCipherSpec)
        {
            // Never encrypted and never meaningful in TLS 1.3; anything but the compatibility record is an attack.
            if (IgnoreMiddleboxChangeCipherSpec && contentLength == 1 && body.FirstSpan[0] == 1)
            {
                CountEmpty(empty: true);
                return null;
            }

            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "change_cipher_spec outside the handshake");
        }

        // Once keys are on, every record travels protected with the outer type application_data (RFC 8446 §5; the
        // compatibility change_cipher_spec was handled above). A plaintext alert then is not the peer's: anyone on the
        // path can inject one, and reading a forged close_notify as the end of the stream would drop, unnoticed,
        // whatever the peer really sent after it. OpenSSL answers it with unexpected_message too. The one exception is
        // the client's alert before its first protected record (see AcceptPlaintextAlerts).
        var inTheClear = opener is null || (AcceptPlaintextAlerts && outerType == (byte)ContentType.Alert);
        if (!inTheClear && outerType != (byte)ContentType.ApplicationData)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage,
                $"plaintext {TypeName(outerType)} record after keys were installed (protected records are application_data)");
        }

        var target = RentRecordBuffer();
        recordBufferUsed = Math.Max(recordBufferUsed, recordLength);
        var content = target.AsMemory(RecordHeader.Size, contentLength);

        if (inTheClear || opener is null)
        {
            // After a HelloRetryRequest, the early data the client sent behind its first ClientHello (protected, so of
            // outer type application_data) is skipped until its second ClientHello.
            if (outerType == (byte)ContentType.ApplicationData && EarlyData is { } rejected)
            {
                rejected.Skip(contentLength);
                return null;
            }

            // Before keys exist everything is plaintext, held to the plaintext limit; so is an alert the window lets in.
            TlsAlertException.Expect(RecordHeader.CheckLength(contentLength, protectedRecord: false));

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
            // Early data under a key we never derived fails authentication: skipped, within the limit, while no record
            // has opened under the handshake key yet.
            if (opened.Status == RecordOpenStatus.BadRecordMac && EarlyData is { } rejected)
            {
                rejected.Skip(contentLength);
                return null;
            }

            throw new TlsAlertException(opened.Alert, $"cannot open record: {opened.Status}");
        }

        // The first record that opens ends the client's early data and its plaintext alerts: from here on a record that
        // fails is an attack, and so is a record in the clear.
        EarlyData = null;
        AcceptPlaintextAlerts = false;

        if (opened.ContentType is not (ContentType.Handshake or ContentType.Alert or ContentType.ApplicationData))
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"unexpected protected record of type {opened.ContentType}");
        }

        return Checked(opened.ContentType, content[..opened.Length]);
    }

    private static string TypeName(byte type) => type switch
    {
        (byte)ContentType.Alert => "alert",
        (byte)ContentType.Handshake => "handshake",
        _ => $"type {type}",
    };

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
            var fragment = content[..Math.Min(content.Length, RecordHeader.MaxPlaintextLength)];
            content = content[fragment.Length..];
            Trace?.Sent(type, fragment, sealer is not null);
            if (sealer is null)
            {
                var span = output.GetSpan(RecordHeader.Size + fragment.Length);
                RecordHeader.For(type, fragment.Length).WriteTo(span);
                fragment.CopyTo(span[RecordHeader.Size..]);
                output.Advance(RecordHeader.Size + fragment.Length);
            }
            else
            {
                var span = output.GetSpan(Crypto.RecordLimits.ProtectedRecordLength(fragment.Length));
                output.Advance(sealer.Seal(type, fragment, span));
            }
        }
        while (!content.IsEmpty);
    }

    /// <summary>Queues an alert record at the level the core gives it (RFC 8446 §6: only closure alerts are warnings).</summary>
    public void WriteAlert(AlertDescription alert) => Write(ContentType.Alert, AlertCodec.Encode(AlertMessage.For(alert)));

    /// <summary>
    /// Sends what was queued. Usually the peer's socket takes it at once and this completes without waiting; when it does
    /// not, the wait is bounded by <see cref="WriteTimeout"/>: a peer that stopped reading is dropped, so every write,
    /// whatever it carries (data, tickets, a KeyUpdate answer, close_notify), has a deadline.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var flush = output.FlushAsync(cancellationToken);
        if (!flush.IsCompletedSuccessfully)
        {
            return FlushSlowlyAsync(flush);
        }

        var result = flush.Result;
        return result.IsCompleted || result.IsCanceled
            ? ValueTask.FromException(new IOException("the transport is closed"))
            : ValueTask.CompletedTask;
    }

    private async ValueTask FlushSlowlyAsync(ValueTask<FlushResult> pending)
    {
        if (WriteTimeout == Timeout.InfiniteTimeSpan)
        {
            ThrowIfClosed(await pending.ConfigureAwait(false));
            return;
        }

        var flush = pending.AsTask();
        try
        {
            ThrowIfClosed(await flush.WaitAsync(WriteTimeout).ConfigureAwait(false));
        }
        catch (TimeoutException)
        {
            // The peer has not taken a byte for the whole deadline: drop it. Closing the transport fails the write still
            // waiting underneath, whose outcome nobody wants any more.
            _ = flush.ContinueWith(static abandoned => _ = abandoned.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            abort?.Invoke();
            throw new TlsWriteTimeoutException(WriteTimeout);
        }
    }

    // Only the transport's closing cancels a flush (PipeTransport.Abort and DisposeAsync): both mean closed.
    private static void ThrowIfClosed(FlushResult result)
    {
        if (result.IsCompleted || result.IsCanceled)
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
