using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>The 4-byte header in front of every handshake message (RFC 8446 §4).</summary>
/// <param name="Type">msg_type: which message follows (any byte; unknown values stay plain numbers).</param>
/// <param name="BodyLength">The 24-bit length of the body that follows the header.</param>
internal readonly record struct HandshakeHeader(HandshakeType Type, int BodyLength)
{
    /// <summary>The whole message's length: header and body.</summary>
    public int MessageLength => HandshakeFraming.HeaderLength + BodyLength;
}

/// <summary>
/// The 4-byte handshake message header (RFC 8446 §4): msg_type (1 byte) and a 24-bit body length.
/// </summary>
internal static class HandshakeFraming
{
    /// <summary>The header's size: msg_type (1) and length (3).</summary>
    public const int HeaderLength = 4;

    /// <summary>
    /// The header at the front of <paramref name="buffer"/>; none while fewer than 4 bytes are there. Says nothing about
    /// whether the body is complete: compare <see cref="HandshakeHeader.MessageLength"/> with what is buffered.
    /// </summary>
    public static Option<HandshakeHeader> ReadHeader(ReadOnlySpan<byte> buffer) =>
        TryRead(buffer, out var type, out var bodyLength) ? Some(new HandshakeHeader(type, bodyLength)) : None;

    /// <summary>Reads the header if at least 4 bytes are buffered (the allocation-free form the reassembler loops on).</summary>
    internal static bool TryRead(ReadOnlySpan<byte> buffer, out HandshakeType type, out int bodyLength)
    {
        if (buffer.Length < HeaderLength)
        {
            type = default;
            bodyLength = 0;
            return false;
        }
        type = (HandshakeType)buffer[0];
        bodyLength = (buffer[1] << 16) | (buffer[2] << 8) | buffer[3];
        return true;
    }

    /// <summary>Prepends the header to a body.</summary>
    public static byte[] Frame(HandshakeType type, ReadOnlySpan<byte> body)
    {
        if (body.Length > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(body), "handshake body exceeds 2^24-1 bytes");
        var message = new byte[HeaderLength + body.Length];
        message[0] = (byte)type;
        message[1] = (byte)(body.Length >> 16);
        message[2] = (byte)(body.Length >> 8);
        message[3] = (byte)body.Length;
        body.CopyTo(message.AsSpan(HeaderLength));
        return message;
    }

    /// <summary>
    /// The synthetic message_hash message that stands in for ClientHello1 in the transcript once a
    /// HelloRetryRequest was sent (§4.4.1): type 254, then Hash(ClientHello1).
    /// </summary>
    public static byte[] MessageHash(ReadOnlySpan<byte> clientHello1Hash) => Frame(HandshakeType.MessageHash, clientHello1Hash);

    /// <summary>
    /// Checks that <paramref name="message"/> is exactly one whole message of the expected type and hands
    /// back its body. The wrong type is unexpected_message; a length that disagrees with the bytes is
    /// decode_error. Returns null when the framing is sound.
    /// </summary>
    internal static AlertError? CheckBody(ReadOnlySpan<byte> message, HandshakeType expected, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (!TryRead(message, out var type, out var bodyLength))
            return AlertError.Of(AlertDescription.DecodeError, $"{expected} message shorter than its 4-byte header");
        if (type != expected)
            return AlertError.Of(AlertDescription.UnexpectedMessage, $"expected {expected}, got handshake type {(byte)type}");
        if (bodyLength != message.Length - HeaderLength)
            return AlertError.Of(AlertDescription.DecodeError, $"{expected} header says {bodyLength} bytes, message holds {message.Length - HeaderLength}");
        body = message[HeaderLength..];
        return null;
    }
}
