using System.Buffers;

namespace Tickets.Records;

/// <summary>
/// Finds record boundaries in buffered transport bytes (RFC 8446 §5.1). It only frames: it checks the
/// announced length against the ciphertext limit before any bytes of the body arrive, so a peer cannot
/// make us buffer more than one maximum-size record.
/// </summary>
internal static class RecordFraming
{
    /// <summary>
    /// Reads one whole record from the front of <paramref name="buffer"/>. Returns false when more bytes are
    /// needed; <paramref name="consumed"/> then stays at the start. Throws a record_overflow alert when the
    /// header announces a body larger than any legal record.
    /// </summary>
    public static bool TryRead(
        in ReadOnlySequence<byte> buffer,
        out byte contentType,
        out ReadOnlySequence<byte> header,
        out ReadOnlySequence<byte> body,
        out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        contentType = 0;
        header = default;
        body = default;
        consumed = buffer.Start;

        if (!reader.TryRead(out contentType)
            || !reader.TryReadBigEndian(out short _)
            || !reader.TryReadBigEndian(out short rawLength))
        {
            return false;
        }

        // TLS 1.3 knows four record types (RFC 8446 §5, B.1); anything else is unexpected_message, and saying so
        // from the header alone matters: a plaintext "GET / HTTP/1.1" reads as type 'G' with a length of 8239, and
        // waiting for that body would leave an HTTP client hanging until the handshake timeout instead of told.
        if (contentType is < (byte)Tickets.Core.Protocol.ContentType.ChangeCipherSpec or > (byte)Tickets.Core.Protocol.ContentType.ApplicationData)
        {
            throw new TlsAlertException(Tickets.Core.Protocol.AlertDescription.UnexpectedMessage,
                $"record of unknown type {contentType}");
        }

        int length = (ushort)rawLength;
        if (length > Crypto.RecordLimits.MaxCiphertext)
        {
            throw new TlsAlertException(Tickets.Core.Protocol.AlertDescription.RecordOverflow,
                $"record of {length} bytes exceeds 2^14+256");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        header = buffer.Slice(0, Crypto.RecordLimits.HeaderLength);
        body = buffer.Slice(Crypto.RecordLimits.HeaderLength, length);
        consumed = body.End;
        return true;
    }
}
