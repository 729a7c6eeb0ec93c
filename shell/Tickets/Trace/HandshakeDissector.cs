using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Trace;

/// <summary>
/// Turns one whole handshake message (4-byte header included) into a tree of named fields, in wire order, as
/// RFC 8446 §4 defines them. Written apart from the codecs on purpose: the codecs stop at the first fault and keep
/// only what the server needs, while a dissector shows every field of whatever arrived and names what it cannot
/// parse. Never throws.
/// </summary>
internal static class HandshakeDissector
{
    private const int HeaderLength = 4;

    /// <summary>
    /// The message as a tree whose root is named after the message type ("ClientHello", ...) with the body length
    /// as its value.
    /// </summary>
    public static TraceNode Dissect(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            return new TraceNode("truncated handshake message", ExtensionDissector.Bytes(message.Length));
        }

        var type = message[0];
        var declared = (message[1] << 16) | (message[2] << 8) | message[3];
        var body = message[HeaderLength..];
        var children = new List<TraceNode>();
        if (declared != body.Length)
        {
            children.Add(new TraceNode("length mismatch", $"header says {declared}, message has {body.Length}"));
        }
        else
        {
            var reader = new WireReader(body);
            var understood = (HandshakeType)type switch
            {
                HandshakeType.ClientHello => ClientHello(ref reader, children),
                HandshakeType.ServerHello => ServerHello(ref reader, IsHelloRetryRequest(body), children),
                HandshakeType.EncryptedExtensions => Extensions(ref reader, ExtensionContext.EncryptedExtensions, children),
                HandshakeType.CertificateRequest => CertificateRequest(ref reader, children),
                HandshakeType.Certificate => Certificate(ref reader, children),
                HandshakeType.CertificateVerify => CertificateVerify(ref reader, children),
                HandshakeType.Finished => Finished(ref reader, children),
                HandshakeType.NewSessionTicket => NewSessionTicket(ref reader, children),
                HandshakeType.KeyUpdate => KeyUpdate(ref reader, children),
                _ => Opaque(ref reader, children),
            };
            if (!understood || !reader.IsEmpty)
            {
                children.Add(new TraceNode("malformed", $"{ExtensionDissector.Bytes(reader.Remaining)} not understood at offset {reader.Position}"));
            }
        }

        var name = type == (byte)HandshakeType.ServerHello && IsHelloRetryRequest(body)
            ? "HelloRetryRequest"
            : TlsNames.HandshakeMessage(type);
        return new TraceNode(name, ExtensionDissector.Bytes(body.Length), children);
    }

    private static bool IsHelloRetryRequest(ReadOnlySpan<byte> body) =>
        body.Length >= 34 && body.Slice(2, 32).SequenceEqual(HelloRetryRequest.SpecialRandom);

    // RFC 8446 §4.1.2.
    private static bool ClientHello(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadUInt16(out var legacyVersion) || !reader.TryReadBytes(32, out _))
        {
            return false;
        }

        children.Add(new TraceNode("legacy_version", $"{TlsNames.Hex(legacyVersion)} ({TlsNames.Version(legacyVersion)})"));
        children.Add(new TraceNode("random", "32 bytes"));
        if (!reader.TryReadVector8(0, 32, out var sessionId))
        {
            return false;
        }

        children.Add(new TraceNode("legacy_session_id", SessionIdMeaning(sessionId.Length)));
        if (!reader.TryReadVector16(2, ushort.MaxValue - 1, out var suites) || suites.Length % 2 != 0)
        {
            return false;
        }

        var suiteNodes = new List<TraceNode>();
        for (var index = 0; index < suites.Length; index += 2)
        {
            var suite = BinaryPrimitives.ReadUInt16BigEndian(suites[index..]);
            suiteNodes.Add(new TraceNode(TlsNames.CipherSuite(suite), TlsNames.Hex(suite)));
        }

        children.Add(new TraceNode("cipher_suites", Count(suiteNodes.Count, "suite"), suiteNodes));
        if (!reader.TryReadVector8(1, 255, out var compression))
        {
            return false;
        }

        children.Add(new TraceNode("legacy_compression_methods", string.Join(", ", compression.ToArray())));
        return Extensions(ref reader, ExtensionContext.ClientHello, children);
    }

    // RFC 8446 §4.1.3 and §4.1.4: a HelloRetryRequest is a ServerHello with a special random.
    private static bool ServerHello(ref WireReader reader, bool retry, List<TraceNode> children)
    {
        if (!reader.TryReadUInt16(out var legacyVersion) || !reader.TryReadBytes(32, out _)
            || !reader.TryReadVector8(0, 32, out var sessionId) || !reader.TryReadUInt16(out var suite)
            || !reader.TryReadUInt8(out var compression))
        {
            return false;
        }

        children.Add(new TraceNode("legacy_version", $"{TlsNames.Hex(legacyVersion)} ({TlsNames.Version(legacyVersion)})"));
        children.Add(new TraceNode("random", retry ? "the HelloRetryRequest constant (SHA-256 of \"HelloRetryRequest\")" : "32 bytes"));
        children.Add(new TraceNode("legacy_session_id_echo", SessionIdMeaning(sessionId.Length)));
        children.Add(new TraceNode("cipher_suite", TlsNames.CipherSuite(suite)));
        children.Add(new TraceNode("legacy_compression_method", compression.ToString(CultureInfo.InvariantCulture)));
        return Extensions(ref reader, retry ? ExtensionContext.HelloRetryRequest : ExtensionContext.ServerHello, children);
    }

    // RFC 8446 §4.3.2.
    private static bool CertificateRequest(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadVector8(0, 255, out var context))
        {
            return false;
        }

        children.Add(new TraceNode("certificate_request_context", ExtensionDissector.Bytes(context.Length)));
        return Extensions(ref reader, ExtensionContext.CertificateRequest, children);
    }

    // RFC 8446 §4.4.2: certificates are public, so subjects and sizes are shown.
    private static bool Certificate(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadVector8(0, 255, out var context) || !reader.TryReadVector24(0, (1 << 24) - 1, out var list))
        {
            return false;
        }

        children.Add(new TraceNode("certificate_request_context", ExtensionDissector.Bytes(context.Length)));
        var entries = new WireReader(list);
        var certificates = new List<TraceNode>();
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector24(1, (1 << 24) - 1, out var der) || !entries.TryReadVector16(0, ushort.MaxValue, out var extensions))
            {
                return false;
            }

            var details = new List<TraceNode>();
            if (!extensions.IsEmpty)
            {
                details.Add(new TraceNode("extensions", ExtensionDissector.Bytes(extensions.Length)));
            }

            certificates.Add(new TraceNode(
                $"certificate {certificates.Count.ToString(CultureInfo.InvariantCulture)}", $"{ExtensionDissector.Bytes(der.Length)}, {Subject(der)}", details));
        }

        children.Add(new TraceNode("certificate_list", certificates.Count == 0 ? "empty (no certificate)" : Count(certificates.Count, "certificate"), certificates));
        return true;
    }

    // RFC 8446 §4.4.3.
    private static bool CertificateVerify(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadUInt16(out var scheme) || !reader.TryReadVector16(0, ushort.MaxValue, out var signature))
        {
            return false;
        }

        children.Add(new TraceNode("algorithm", TlsNames.SignatureScheme(scheme)));
        children.Add(new TraceNode("signature", ExtensionDissector.Bytes(signature.Length)));
        return true;
    }

    // RFC 8446 §4.4.4: verify_data is an HMAC over the transcript, as long as the suite's hash.
    private static bool Finished(ref WireReader reader, List<TraceNode> children)
    {
        var verifyData = Rest(ref reader);
        children.Add(new TraceNode("verify_data", $"{ExtensionDissector.Bytes(verifyData.Length)} (HMAC of the transcript)"));
        return true;
    }

    // RFC 8446 §4.6.1.
    private static bool NewSessionTicket(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadUInt32(out var lifetime) || !reader.TryReadUInt32(out var ageAdd) || !reader.TryReadVector8(0, 255, out var nonce)
            || !reader.TryReadVector16(1, ushort.MaxValue, out var ticket))
        {
            return false;
        }

        children.Add(new TraceNode("ticket_lifetime", $"{lifetime.ToString(CultureInfo.InvariantCulture)} s"));
        children.Add(new TraceNode("ticket_age_add", $"0x{ageAdd.ToString("x8", CultureInfo.InvariantCulture)}"));
        children.Add(new TraceNode("ticket_nonce", NonceText(nonce)));
        children.Add(new TraceNode("ticket", ExtensionDissector.Bytes(ticket.Length)));
        return Extensions(ref reader, ExtensionContext.NewSessionTicket, children);
    }

    // RFC 8446 §4.6.3.
    private static bool KeyUpdate(ref WireReader reader, List<TraceNode> children)
    {
        if (!reader.TryReadUInt8(out var request))
        {
            return false;
        }

        children.Add(new TraceNode("request_update", request switch
        {
            0 => "update_not_requested",
            1 => "update_requested",
            _ => $"invalid ({request})",
        }));
        return true;
    }

    private static bool Opaque(ref WireReader reader, List<TraceNode> children)
    {
        children.Add(new TraceNode("body", ExtensionDissector.Bytes(Rest(ref reader).Length)));
        return true;
    }

    private static bool Extensions(ref WireReader reader, ExtensionContext context, List<TraceNode> children)
    {
        if (!reader.TryReadVector16(0, ushort.MaxValue, out var list))
        {
            return false;
        }

        var entries = new WireReader(list);
        var nodes = new List<TraceNode>();
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt16(out var type) || !entries.TryReadVector16(0, ushort.MaxValue, out var data))
            {
                children.Add(new TraceNode("extensions", Count(nodes.Count, "extension"), nodes));
                return false;
            }

            nodes.Add(ExtensionDissector.Dissect(type, data, context));
        }

        children.Add(new TraceNode("extensions", Count(nodes.Count, "extension"), nodes));
        return true;
    }

    /// <summary>The nonce in hex, and as the counter it is when it has our 8-byte big-endian form.</summary>
    internal static string NonceText(ReadOnlySpan<byte> nonce) => nonce.Length == 8
        ? $"{Convert.ToHexStringLower(nonce)} (counter {BinaryPrimitives.ReadUInt64BigEndian(nonce).ToString(CultureInfo.InvariantCulture)})"
        : nonce.IsEmpty ? "empty" : Convert.ToHexStringLower(nonce);

    private static ReadOnlySpan<byte> Rest(ref WireReader reader)
    {
        reader.TryReadBytes(reader.Remaining, out var rest);
        return rest;
    }

    private static string SessionIdMeaning(int length) => length == 0
        ? "empty"
        : $"{ExtensionDissector.Bytes(length)} (middlebox compatibility mode, RFC 8446 D.4)";

    private static string Count(int count, string noun) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";

    private static string Subject(ReadOnlySpan<byte> der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            // The peer chose its subject: a newline in it must not start a line of its own in the trace.
            return $"subject {PeerText.Escape(certificate.Subject)}";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "not a parseable X.509 certificate";
        }
    }
}
