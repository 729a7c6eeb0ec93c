using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// A Certificate handshake message (RFC 8446 §4.4.2): request context and DER certificates, leaf first.
/// Per-entry extensions (OCSP, SCT) are neither sent nor kept; received ones are checked and skipped.
/// An empty list is how a client declines a CertificateRequest.
/// </summary>
public sealed record CertificateMessage(byte[] RequestContext, IReadOnlyList<byte[]> Certificates);

public static class CertificateCodec
{
    public static byte[] Encode(CertificateMessage message)
    {
        var writer = new WireWriter(4096);
        writer.WriteVector8(message.RequestContext);
        var list = writer.BeginVector(3);
        foreach (var certificate in message.Certificates)
        {
            if (certificate.Length == 0) throw new ArgumentException("empty certificate in chain", nameof(message));
            writer.WriteVector24(certificate);
            writer.WriteUInt16(0); // no per-entry extensions
        }
        writer.EndVector(list);
        return HandshakeFraming.Frame(HandshakeType.Certificate, writer.ToArray());
    }

    public static Fin<CertificateMessage> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.Certificate, out var body);
        if (problem is not null) return FinFail<CertificateMessage>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadVector8(0, 0xFF, out var context)) return Fail("request context truncated");
        if (!reader.TryReadVector24(0, 0xFFFFFF, out var list) || !reader.IsEmpty) return Fail("certificate_list length wrong");

        var certificates = new List<byte[]>();
        var entries = new WireReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector24(1, 0xFFFFFF, out var certificate)) return Fail("certificate entry empty or truncated");
            problem = ExtensionCodec.ReadList(ref entries, "CertificateEntry", out _);
            if (problem is not null) return FinFail<CertificateMessage>(problem);
            certificates.Add(certificate.ToArray());
        }
        return FinSucc(new CertificateMessage(context.ToArray(), certificates));
    }

    private static Fin<CertificateMessage> Fail(string reason) =>
        FinFail<CertificateMessage>(AlertError.Of(AlertDescription.DecodeError, "Certificate: " + reason));
}
