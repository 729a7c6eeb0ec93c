using System.Buffers;
using Tickets.Core.Protocol;

namespace Tickets.Records;

/// <summary>
/// Finds record boundaries in buffered transport bytes (RFC 8446 §5.1). It only frames: the core's
/// <see cref="RecordHeader.Parse"/> judges the header (content type, length limit) before any byte of the body is
/// waited for, so a peer cannot make us buffer more than one maximum-size record.
/// </summary>
internal static class RecordFraming
{
    /// <summary>
    /// Reads one whole record from the front of <paramref name="buffer"/>. Returns false when more bytes are
    /// needed; <paramref name="consumed"/> then stays at the start. Throws the alert the header earns when it names an
    /// unknown content type (unexpected_message) or a body larger than any legal record (record_overflow).
    /// </summary>
    public static bool TryRead(
        in ReadOnlySequence<byte> buffer,
        out byte contentType,
        out ReadOnlySequence<byte> header,
        out ReadOnlySequence<byte> body,
        out SequencePosition consumed)
    {
        contentType = 0;
        header = default;
        body = default;
        consumed = buffer.Start;
        if (buffer.Length < RecordHeader.Size)
        {
            return false;
        }

        Span<byte> headerBytes = stackalloc byte[RecordHeader.Size];
        buffer.Slice(0, RecordHeader.Size).CopyTo(headerBytes);
        // Any record may be protected here, early data behind a ClientHello included, so the ciphertext limit applies;
        // the record layer holds a record it reads as plaintext to the plaintext limit.
        var parsed = TlsAlertException.Expect(RecordHeader.Parse(headerBytes, protectedRecord: true));
        if (buffer.Length - RecordHeader.Size < parsed.Length)
        {
            return false;
        }

        contentType = (byte)parsed.Type;
        header = buffer.Slice(0, RecordHeader.Size);
        body = buffer.Slice(RecordHeader.Size, parsed.Length);
        consumed = body.End;
        return true;
    }
}
