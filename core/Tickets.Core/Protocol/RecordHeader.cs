using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// The 5-byte TLS record header (RFC 8446 §5.1): content type, legacy_record_version, length.
/// </summary>
public sealed record RecordHeader(ContentType Type, ushort LegacyVersion, int Length)
{
    public const int Size = 5;

    /// <summary>Largest TLSPlaintext fragment (2^14).</summary>
    public const int MaxPlaintextLength = 1 << 14;

    /// <summary>Largest TLSCiphertext fragment (2^14 + 256, §5.2).</summary>
    public const int MaxCiphertextLength = (1 << 14) + 256;

    /// <summary>
    /// Parses a header. <paramref name="protectedRecord"/> selects the length limit: records read under
    /// traffic keys may be 256 bytes longer to hold the inner type, padding and tag. Too long is
    /// record_overflow (§5.1, §5.2); an undefined content type (e.g. an HTTP request sent to a TLS port)
    /// is unexpected_message (§5). Fewer than 5 bytes is decode_error: call once 5 bytes are buffered.
    /// </summary>
    public static Fin<RecordHeader> Parse(ReadOnlySpan<byte> header, bool protectedRecord)
    {
        if (header.Length < Size)
            return FinFail<RecordHeader>(AlertError.Of(AlertDescription.DecodeError, "record header shorter than 5 bytes"));
        var type = (ContentType)header[0];
        if (type is not (ContentType.ChangeCipherSpec or ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData))
            return FinFail<RecordHeader>(AlertError.Of(AlertDescription.UnexpectedMessage, $"record content type {header[0]} is not defined"));
        var version = (ushort)((header[1] << 8) | header[2]);
        var length = (header[3] << 8) | header[4];
        var limit = protectedRecord ? MaxCiphertextLength : MaxPlaintextLength;
        if (length > limit)
            return FinFail<RecordHeader>(AlertError.Of(AlertDescription.RecordOverflow, $"record of {length} bytes exceeds {limit}"));
        return FinSucc(new RecordHeader(type, version, length));
    }

    /// <summary>Writes the header into the first 5 bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (Length is < 0 or > 0xFFFF) throw new InvalidOperationException("record length must fit in 16 bits");
        destination[0] = (byte)Type;
        destination[1] = (byte)(LegacyVersion >> 8);
        destination[2] = (byte)LegacyVersion;
        destination[3] = (byte)(Length >> 8);
        destination[4] = (byte)Length;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }
}
