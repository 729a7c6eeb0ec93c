using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// CertificateRequest (RFC 8446 §4.3.2). The context is empty during the handshake and unique per
/// request after it (post-handshake auth), so the client's Certificate can be matched to its request.
/// </summary>
/// <param name="Context">certificate_request_context: empty in the handshake, unique per request after it.</param>
/// <param name="SignatureAlgorithms">The schemes the server accepts in the client's CertificateVerify.</param>
public sealed record CertificateRequest(Bytes Context, EquatableArray<SignatureScheme> SignatureAlgorithms);

/// <summary>Encodes and decodes <see cref="CertificateRequest"/> messages.</summary>
internal static class CertificateRequestCodec
{
    /// <summary>The whole handshake message, header included, with signature_algorithms as its one extension.</summary>
    public static byte[] Encode(CertificateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SignatureAlgorithms.Count == 0) throw new ArgumentException("CertificateRequest needs at least one signature algorithm", nameof(request));
        var writer = new WireWriter(64);
        writer.WriteVector8(request.Context);
        ExtensionCodec.WriteList(writer, [new Extension(ExtensionType.SignatureAlgorithms, ExtensionBodies.SignatureAlgorithms(request.SignatureAlgorithms))]);
        return HandshakeFraming.Frame(HandshakeType.CertificateRequest, writer.ToArray());
    }

    /// <summary>
    /// Decodes a CertificateRequest (used by tests and tools; the server only sends them). Without
    /// signature_algorithms it is missing_extension (§4.3.2).
    /// </summary>
    public static Fin<CertificateRequest> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.CertificateRequest, out var body);
        if (problem is not null) return FinFail<CertificateRequest>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadVector8(0, 0xFF, out var context))
            return FinFail<CertificateRequest>(AlertError.Of(AlertDescription.DecodeError, "CertificateRequest context truncated"));
        problem = ExtensionCodec.ReadList(ref reader, "CertificateRequest", out var extensions);
        if (problem is not null) return FinFail<CertificateRequest>(problem);
        if (!reader.IsEmpty) return FinFail<CertificateRequest>(AlertError.Of(AlertDescription.DecodeError, "CertificateRequest has trailing bytes"));

        var algorithms = ExtensionCodec.Find(extensions, ExtensionType.SignatureAlgorithms);
        if (algorithms is null)
            return FinFail<CertificateRequest>(AlertError.Of(AlertDescription.MissingExtension, "CertificateRequest without signature_algorithms"));
        var list = new WireReader(algorithms.Data);
        if (!list.TryReadVector16(2, 0xFFFE, out var schemes) || !list.IsEmpty || schemes.Length % 2 != 0)
            return FinFail<CertificateRequest>(AlertError.Of(AlertDescription.DecodeError, "CertificateRequest signature_algorithms malformed"));
        var values = new SignatureScheme[schemes.Length / 2];
        for (var i = 0; i < values.Length; i++) values[i] = (SignatureScheme)((schemes[2 * i] << 8) | schemes[2 * i + 1]);
        return FinSucc(new CertificateRequest(Bytes.Own(context.ToArray()), EquatableArray.Own(values)));
    }
}
