using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>CertificateVerify (RFC 8446 §4.4.3): the scheme and the signature over the transcript.</summary>
public sealed record CertificateVerify(SignatureScheme Scheme, byte[] Signature);

public static class CertificateVerifyCodec
{
    public static byte[] Encode(CertificateVerify verify)
    {
        var writer = new WireWriter(verify.Signature.Length + 4);
        writer.WriteUInt16((ushort)verify.Scheme);
        writer.WriteVector16(verify.Signature);
        return HandshakeFraming.Frame(HandshakeType.CertificateVerify, writer.ToArray());
    }

    public static Fin<CertificateVerify> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.CertificateVerify, out var body);
        if (problem is not null) return FinFail<CertificateVerify>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadUInt16(out var scheme) || !reader.TryReadVector16(0, 0xFFFF, out var signature) || !reader.IsEmpty)
            return FinFail<CertificateVerify>(AlertError.Of(AlertDescription.DecodeError, "CertificateVerify malformed"));
        return FinSucc(new CertificateVerify((SignatureScheme)scheme, signature.ToArray()));
    }
}
