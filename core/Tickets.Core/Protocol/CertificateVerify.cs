using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>CertificateVerify (RFC 8446 §4.4.3): the scheme and the signature over the transcript.</summary>
/// <param name="Scheme">The signature scheme used.</param>
/// <param name="Signature">The signature over the transcript and the role's context string (§4.4.3).</param>
public sealed record CertificateVerify(SignatureScheme Scheme, Bytes Signature);

/// <summary>Encodes and decodes <see cref="CertificateVerify"/> messages.</summary>
internal static class CertificateVerifyCodec
{
    /// <summary>The whole handshake message, header included.</summary>
    public static byte[] Encode(CertificateVerify verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var writer = new WireWriter(verify.Signature.Length + 4);
        writer.WriteUInt16((ushort)verify.Scheme);
        writer.WriteVector16(verify.Signature);
        return HandshakeFraming.Frame(HandshakeType.CertificateVerify, writer.ToArray());
    }

    /// <summary>Decodes a CertificateVerify; any framing fault is decode_error. Verifying it is the shell's job.</summary>
    public static Fin<CertificateVerify> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.CertificateVerify, out var body);
        if (problem is not null) return FinFail<CertificateVerify>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadUInt16(out var scheme) || !reader.TryReadVector16(0, 0xFFFF, out var signature) || !reader.IsEmpty)
            return FinFail<CertificateVerify>(AlertError.Of(AlertDescription.DecodeError, "CertificateVerify malformed"));
        return FinSucc(new CertificateVerify((SignatureScheme)scheme, Bytes.Own(signature.ToArray())));
    }
}
