using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>Finished (RFC 8446 §4.4.4): verify_data, as long as the suite's hash output.</summary>
/// <param name="VerifyData">The HMAC over the transcript (§4.4.4).</param>
public sealed record Finished(Bytes VerifyData);

/// <summary>Encodes and decodes <see cref="Finished"/> messages.</summary>
internal static class FinishedCodec
{
    /// <summary>The whole handshake message, header included.</summary>
    public static byte[] Encode(Finished finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        return HandshakeFraming.Frame(HandshakeType.Finished, finished.VerifyData);
    }

    /// <summary>
    /// The body has no length field of its own, so the caller states the hash length; any other size is
    /// decode_error. Comparing the value is the caller's job (constant time, decrypt_error on mismatch).
    /// </summary>
    public static Fin<Finished> Decode(ReadOnlySpan<byte> message, int verifyDataLength)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.Finished, out var body);
        if (problem is not null) return FinFail<Finished>(problem);
        if (body.Length != verifyDataLength)
            return FinFail<Finished>(AlertError.Of(AlertDescription.DecodeError, $"Finished holds {body.Length} bytes, expected {verifyDataLength}"));
        return FinSucc(new Finished(Bytes.Own(body.ToArray())));
    }
}
