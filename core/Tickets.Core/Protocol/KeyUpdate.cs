using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>KeyUpdate (RFC 8446 §4.6.3): one byte saying whether the peer should update its keys too.</summary>
internal static class KeyUpdateCodec
{
    /// <summary>The whole handshake message, header included.</summary>
    public static byte[] Encode(KeyUpdateRequest request) => HandshakeFraming.Frame(HandshakeType.KeyUpdate, [(byte)request]);

    /// <summary>Any value other than 0 or 1 is illegal_parameter, as §4.6.3 requires.</summary>
    public static Fin<KeyUpdateRequest> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.KeyUpdate, out var body);
        if (problem is not null) return FinFail<KeyUpdateRequest>(problem);
        if (body.Length != 1) return FinFail<KeyUpdateRequest>(AlertError.Of(AlertDescription.DecodeError, "KeyUpdate body must be 1 byte"));
        return body[0] switch
        {
            0 => FinSucc(KeyUpdateRequest.UpdateNotRequested),
            1 => FinSucc(KeyUpdateRequest.UpdateRequested),
            var other => FinFail<KeyUpdateRequest>(AlertError.Of(AlertDescription.IllegalParameter, $"KeyUpdate request_update {other}")),
        };
    }
}
