using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>Finished (RFC 8446 §4.4.4): verify_data, as long as the suite's hash output.</summary>
public sealed record Finished(byte[] VerifyData);

public static class FinishedCodec
{
    public static byte[] Encode(Finished finished) => HandshakeFraming.Frame(HandshakeType.Finished, finished.VerifyData);

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
        return FinSucc(new Finished(body.ToArray()));
    }
}
