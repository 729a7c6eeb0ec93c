using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// The 5-byte TLS record header (RFC 8446 §5.1): content type, legacy_record_version, length; and the rules a received
/// header must meet before its body is worth waiting for. The shell's record layer frames with <see cref="Parse"/>,
/// holds plaintext records to <see cref="CheckLength"/>'s plaintext limit, and writes headers with <see cref="WriteTo"/>.
/// </summary>
/// <remarks>A value type, so framing a record allocates nothing.</remarks>
/// <param name="Type">The outer content type; under traffic keys always application_data (the real type is inside).</param>
/// <param name="LegacyVersion">legacy_record_version: ignored on receipt (§5.1), <see cref="LegacyRecordVersion"/> when sent.</param>
/// <param name="Length">The length of the fragment (or encrypted record) that follows.</param>
internal readonly record struct RecordHeader(ContentType Type, ushort LegacyVersion, int Length)
{
    /// <summary>The header's size: type (1), legacy_record_version (2), length (2).</summary>
    public const int Size = 5;

    /// <summary>Largest TLSPlaintext fragment (2^14, §5.1).</summary>
    public const int MaxPlaintextLength = 1 << 14;

    /// <summary>Largest TLSInnerPlaintext: content, content type and padding (2^14 + 1, §5.2).</summary>
    public const int MaxInnerPlaintextLength = MaxPlaintextLength + 1;

    /// <summary>Largest TLSCiphertext fragment (2^14 + 256, §5.2).</summary>
    public const int MaxCiphertextLength = MaxPlaintextLength + 256;

    /// <summary>
    /// The legacy_record_version a TLS 1.3 server writes on every record (0x0303, §5.1). Only a client's first
    /// ClientHello may say 0x0301; on receipt the field is ignored, so any value is accepted.
    /// </summary>
    public const ushort LegacyRecordVersion = ProtocolVersion.Tls12;

    /// <summary>A header for a record this server sends: <paramref name="type"/>, 0x0303 and <paramref name="length"/>.</summary>
    public static RecordHeader For(ContentType type, int length) => new(type, LegacyRecordVersion, length);

    /// <summary>
    /// The longest fragment a record may carry: <see cref="MaxCiphertextLength"/> when it may be protected (it then holds
    /// the inner content type, padding and the AEAD tag too), else <see cref="MaxPlaintextLength"/>.
    /// </summary>
    public static int MaxLength(bool protectedRecord) => protectedRecord ? MaxCiphertextLength : MaxPlaintextLength;

    /// <summary>Whether <paramref name="type"/> is one of the four content types TLS 1.3 defines (§5, §B.1).</summary>
    public static bool IsDefined(ContentType type) =>
        type is ContentType.ChangeCipherSpec or ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData;

    /// <summary>
    /// A fragment of <paramref name="length"/> bytes within <see cref="MaxLength"/>; longer is record_overflow (§5.1,
    /// §5.2).
    /// </summary>
    public static Fin<Unit> CheckLength(int length, bool protectedRecord)
    {
        return length > MaxLength(protectedRecord) ? FinFail<Unit>(TooLong(length, protectedRecord)) : FinSucc(unit);
    }

    /// <summary>
    /// Parses a header. <paramref name="protectedRecord"/> selects the length limit (see <see cref="MaxLength"/>). An
    /// undefined content type is unexpected_message (§5), judged from the header alone: an HTTP request sent to a TLS port
    /// reads as type 'G' with a length of 8239, and waiting for that body would leave the client hanging. Too long is
    /// record_overflow, before any byte of the body is buffered. Fewer than 5 bytes is decode_error: call once 5 bytes
    /// are there. legacy_record_version is read but never judged.
    /// </summary>
    public static Fin<RecordHeader> Parse(ReadOnlySpan<byte> header, bool protectedRecord)
    {
        if (header.Length < Size)
            return FinFail<RecordHeader>(AlertError.Of(AlertDescription.DecodeError, "record header shorter than 5 bytes"));
        var type = (ContentType)header[0];
        if (!IsDefined(type))
            return FinFail<RecordHeader>(AlertError.Of(AlertDescription.UnexpectedMessage, $"record of unknown content type {header[0]}"));
        var version = (ushort)((header[1] << 8) | header[2]);
        var length = (header[3] << 8) | header[4];
        // The same rule as CheckLength, spelt out so that a header that passes allocates nothing (no closure).
        return length > MaxLength(protectedRecord)
            ? FinFail<RecordHeader>(TooLong(length, protectedRecord))
            : FinSucc(new RecordHeader(type, version, length));
    }

    private static AlertError TooLong(int length, bool protectedRecord) =>
        AlertError.Of(AlertDescription.RecordOverflow, $"record of {length} bytes exceeds {MaxLength(protectedRecord)}");

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

    /// <summary>The 5 header bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }
}
