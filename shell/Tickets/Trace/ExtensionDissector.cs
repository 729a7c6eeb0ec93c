using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Tickets.Core.Protocol;

namespace Tickets.Trace;

/// <summary>
/// Decodes one extension's body for display (RFC 8446 §4.2 and the RFCs that added the others). Never throws
/// and never refuses: a body that does not parse is shown as malformed with its length, because the point of a
/// trace is to show what actually arrived, including what the codec would reject.
/// </summary>
internal static class ExtensionDissector
{
    /// <summary>
    /// A node named "name (number)" whose value summarises the body and whose children hold the details, e.g.
    /// "key_share (51)" = "x25519" with a child "x25519: 32-byte key".
    /// </summary>
    public static TraceNode Dissect(ushort type, ReadOnlySpan<byte> data, ExtensionContext context)
    {
        var name = $"{TlsNames.Extension(type)} ({type.ToString(CultureInfo.InvariantCulture)})";
        var children = new List<TraceNode>();
        var value = Decode(type, data, context, children) ?? $"malformed ({Bytes(data.Length)})";
        return new TraceNode(name, value, children);
    }

    // Null means "did not parse"; children may then hold whatever was understood before the fault.
    private static string? Decode(ushort type, ReadOnlySpan<byte> data, ExtensionContext context, List<TraceNode> children)
    {
        var reader = new WireReader(data);
        switch ((ExtensionType)type)
        {
            case ExtensionType.ServerName when context == ExtensionContext.ClientHello:
                return ServerNames(ref reader);
            case ExtensionType.ServerName:
                return data.IsEmpty ? "acknowledged (the server used the name)" : null;
            case ExtensionType.SupportedGroups:
                return UInt16List(ref reader, TlsNames.Group);
            case ExtensionType.SignatureAlgorithms or ExtensionType.SignatureAlgorithmsCert:
                return UInt16List(ref reader, TlsNames.SignatureScheme);
            case ExtensionType.ApplicationLayerProtocolNegotiation:
                return Protocols(ref reader);
            case ExtensionType.SupportedVersions when context == ExtensionContext.ClientHello:
                return reader.TryReadVector8(2, 254, out var versions) && reader.IsEmpty && versions.Length % 2 == 0
                    ? Joined(versions, TlsNames.Version)
                    : null;
            case ExtensionType.SupportedVersions:
                return reader.TryReadUInt16(out var selected) && reader.IsEmpty ? $"selected {TlsNames.Version(selected)}" : null;
            case ExtensionType.KeyShare:
                return KeyShare(ref reader, context, children);
            case ExtensionType.PskKeyExchangeModes:
                return reader.TryReadVector8(1, 255, out var modes) && reader.IsEmpty
                    ? string.Join(", ", modes.ToArray().Select(TlsNames.PskMode))
                    : null;
            case ExtensionType.PreSharedKey:
                return PreSharedKey(ref reader, context, children);
            case ExtensionType.PostHandshakeAuth:
                return data.IsEmpty ? "the client accepts a CertificateRequest after the handshake" : null;
            case ExtensionType.EarlyData when context == ExtensionContext.NewSessionTicket:
                return reader.TryReadUInt32(out var maximum) && reader.IsEmpty ? $"max_early_data_size {maximum}" : null;
            case ExtensionType.EarlyData:
                return data.IsEmpty ? "early data offered" : null;
            case ExtensionType.Cookie:
                return reader.TryReadVector16(1, ushort.MaxValue, out var cookie) && reader.IsEmpty ? Bytes(cookie.Length) : null;
            case ExtensionType.TicketRequest when context == ExtensionContext.ClientHello:
                // RFC 9149 §3: how many tickets the client would like after a full handshake and after a resumption.
                return data.Length == 2 ? $"new_session_count {data[0]}, resumption_count {data[1]}" : null;
            case ExtensionType.TicketRequest:
                return data.Length == 1 ? $"expected_count {data[0]}" : null;
            case ExtensionType.Padding:
                return $"{Bytes(data.Length)}{(data.IndexOfAnyExcept((byte)0) < 0 ? " of zeros" : ", not all zero")}";
            case ExtensionType.RecordSizeLimit:
                return reader.TryReadUInt16(out var limit) && reader.IsEmpty ? $"{limit} bytes" : null;
            case ExtensionType.EcPointFormats:
                return reader.TryReadVector8(1, 255, out var formats) && reader.IsEmpty
                    ? string.Join(", ", formats.ToArray().Select(PointFormat))
                    : null;
            case ExtensionType.CompressCertificate:
                return reader.TryReadVector8(2, 254, out var algorithms) && reader.IsEmpty && algorithms.Length % 2 == 0
                    ? Joined(algorithms, CertificateCompression)
                    : null;
            case ExtensionType.ExtendedMasterSecret or ExtensionType.EncryptThenMac or ExtensionType.SessionTicket
                or ExtensionType.StatusRequest or ExtensionType.SignedCertificateTimestamp or ExtensionType.RenegotiationInfo:
                // TLS 1.2 mechanisms a TLS 1.3 server ignores; their presence is the information.
                return data.IsEmpty ? "empty (ignored in TLS 1.3)" : $"{Bytes(data.Length)} (ignored in TLS 1.3)";
            default:
                return data.IsEmpty ? "empty" : Bytes(data.Length);
        }
    }

    private static string? ServerNames(ref WireReader reader)
    {
        if (!reader.TryReadVector16(1, ushort.MaxValue, out var list) || !reader.IsEmpty)
        {
            return null;
        }

        var names = new List<string>();
        var entries = new WireReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt8(out var nameType) || !entries.TryReadVector16(1, ushort.MaxValue, out var name))
            {
                return null;
            }

            // Host names are ASCII (RFC 6066 §3); anything else is shown escaped rather than trusted to a terminal.
            names.Add(nameType == 0 ? Printable(name) : $"name type {nameType}, {Bytes(name.Length)}");
        }

        return string.Join(", ", names);
    }

    private static string? Protocols(ref WireReader reader)
    {
        if (!reader.TryReadVector16(2, ushort.MaxValue, out var list) || !reader.IsEmpty)
        {
            return null;
        }

        var protocols = new List<string>();
        var entries = new WireReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector8(1, 255, out var protocol))
            {
                return null;
            }

            protocols.Add(Printable(protocol));
        }

        return string.Join(", ", protocols);
    }

    private static string? KeyShare(ref WireReader reader, ExtensionContext context, List<TraceNode> children)
    {
        switch (context)
        {
            case ExtensionContext.HelloRetryRequest:
                // The server names the group it wants a share in (RFC 8446 §4.2.8).
                return reader.TryReadUInt16(out var wanted) && reader.IsEmpty ? $"selected_group {TlsNames.Group(wanted)}" : null;
            case ExtensionContext.ServerHello:
                return reader.TryReadUInt16(out var group) && reader.TryReadVector16(1, ushort.MaxValue, out var key) && reader.IsEmpty
                    ? $"{TlsNames.Group(group)}, {KeyLength(key.Length)}"
                    : null;
            default:
                if (!reader.TryReadVector16(0, ushort.MaxValue, out var list) || !reader.IsEmpty)
                {
                    return null;
                }

                var groups = new List<string>();
                var entries = new WireReader(list);
                while (!entries.IsEmpty)
                {
                    if (!entries.TryReadUInt16(out var offered) || !entries.TryReadVector16(1, ushort.MaxValue, out var share))
                    {
                        return null;
                    }

                    groups.Add(TlsNames.Group(offered));
                    children.Add(new TraceNode(TlsNames.Group(offered), KeyLength(share.Length)));
                }

                return groups.Count == 0 ? "no shares (asks the server to choose a group)" : string.Join(", ", groups);
        }
    }

    private static string? PreSharedKey(ref WireReader reader, ExtensionContext context, List<TraceNode> children)
    {
        if (context == ExtensionContext.ServerHello)
        {
            return reader.TryReadUInt16(out var index) && reader.IsEmpty ? $"selected_identity {index}" : null;
        }

        if (!reader.TryReadVector16(7, ushort.MaxValue, out var identities) || !reader.TryReadVector16(33, ushort.MaxValue, out var binders)
            || !reader.IsEmpty)
        {
            return null;
        }

        var count = 0;
        var entries = new WireReader(identities);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector16(1, ushort.MaxValue, out var identity) || !entries.TryReadUInt32(out var age))
            {
                return null;
            }

            // The identity is our own sealed ticket; its length and the obfuscated age are what a learner compares
            // with the NewSessionTicket that delivered it (age = real age + ticket_age_add, mod 2^32).
            children.Add(new TraceNode(
                $"identity {count.ToString(CultureInfo.InvariantCulture)}",
                $"ticket of {Bytes(identity.Length)}, obfuscated_ticket_age 0x{age.ToString("x8", CultureInfo.InvariantCulture)}"));
            count++;
        }

        var binderIndex = 0;
        var binderEntries = new WireReader(binders);
        while (!binderEntries.IsEmpty)
        {
            if (!binderEntries.TryReadVector8(32, 255, out var binder))
            {
                return null;
            }

            children.Add(new TraceNode($"binder {binderIndex.ToString(CultureInfo.InvariantCulture)}", $"HMAC of {Bytes(binder.Length)}"));
            binderIndex++;
        }

        return $"{count} {(count == 1 ? "identity" : "identities")}, {binderIndex} {(binderIndex == 1 ? "binder" : "binders")}";
    }

    private static string? UInt16List(ref WireReader reader, Func<ushort, string> name) =>
        reader.TryReadVector16(2, ushort.MaxValue, out var list) && reader.IsEmpty && list.Length % 2 == 0 ? Joined(list, name) : null;

    private static string Joined(ReadOnlySpan<byte> pairs, Func<ushort, string> name)
    {
        var names = new string[pairs.Length / 2];
        for (var index = 0; index < names.Length; index++)
        {
            names[index] = name(BinaryPrimitives.ReadUInt16BigEndian(pairs[(2 * index)..]));
        }

        return string.Join(", ", names);
    }

    private static string PointFormat(byte format) => format switch
    {
        0 => "uncompressed",
        1 => "ansiX962_compressed_prime",
        2 => "ansiX962_compressed_char2",
        _ => $"unknown ({format})",
    };

    private static string CertificateCompression(ushort algorithm) => algorithm switch
    {
        1 => "zlib",
        2 => "brotli",
        3 => "zstd",
        _ => TlsNames.IsGrease(algorithm) ? $"GREASE ({TlsNames.Hex(algorithm)})" : $"unknown ({TlsNames.Hex(algorithm)})",
    };

    /// <summary>Text from the wire, escaped (see <see cref="PeerText"/>) so a trace cannot be forged or drive the terminal.</summary>
    internal static string Printable(ReadOnlySpan<byte> text) => PeerText.Escape(text);

    private static string KeyLength(int count) => $"key of {Bytes(count)}";

    internal static string Bytes(int count) => count == 1 ? "1 byte" : $"{count.ToString(CultureInfo.InvariantCulture)} bytes";
}
