using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// A Certificate handshake message (RFC 8446 §4.4.2): request context and DER certificates, leaf first.
/// Per-entry extensions (OCSP, SCT) are neither sent nor kept; received ones are checked and skipped.
/// An empty list is how a client declines a CertificateRequest.
/// </summary>
/// <param name="RequestContext">Empty in the handshake; after it, the context of the CertificateRequest answered.</param>
/// <param name="Certificates">The chain in DER, end-entity first; empty when the client declines.</param>
public sealed record CertificateMessage(Bytes RequestContext, EquatableArray<Bytes> Certificates);

/// <summary>Encodes and decodes <see cref="CertificateMessage"/>s.</summary>
internal static class CertificateCodec
{
    /// <summary>The whole handshake message, header included. An empty certificate in the chain is the caller's bug.</summary>
    public static byte[] Encode(CertificateMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
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

    /// <summary>
    /// Decodes a Certificate message; framing faults are decode_error, per-entry extensions are checked for framing and
    /// dropped.
    /// </summary>
    public static Fin<CertificateMessage> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.Certificate, out var body);
        if (problem is not null) return FinFail<CertificateMessage>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadVector8(0, 0xFF, out var context)) return Fail("request context truncated");
        if (!reader.TryReadVector24(0, 0xFFFFFF, out var list) || !reader.IsEmpty) return Fail("certificate_list length wrong");

        var certificates = new Bytes[CountEntries(list)];
        var count = 0;
        var entries = new WireReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector24(1, 0xFFFFFF, out var certificate)) return Fail("certificate entry empty or truncated");
            problem = ExtensionCodec.ReadList(ref entries, "CertificateEntry", out _);
            if (problem is not null) return FinFail<CertificateMessage>(problem);
            certificates[count++] = Bytes.Own(certificate.ToArray());
        }
        return FinSucc(new CertificateMessage(Bytes.Own(context.ToArray()), EquatableArray.Own(certificates)));
    }

    // Entries are (certificate<1..2^24-1>, extensions<0..2^16-1>): counted first so the list is made once, at its size.
    private static int CountEntries(ReadOnlySpan<byte> list)
    {
        var reader = new WireReader(list);
        var count = 0;
        while (reader.TryReadVector24(0, 0xFFFFFF, out _) && reader.TryReadVector16(0, 0xFFFF, out _)) count++;
        return count;
    }

    private static Fin<CertificateMessage> Fail(string reason) =>
        FinFail<CertificateMessage>(AlertError.Of(AlertDescription.DecodeError, "Certificate: " + reason));
}
