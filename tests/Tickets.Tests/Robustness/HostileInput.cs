using System.Buffers.Binary;
using System.Text;
using Tickets.Core.Protocol;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Robustness;

/// <summary>The byte strings a hostile or confused client sends, and the alert record each must earn.</summary>
internal static class HostileInput
{
    /// <summary>A fatal alert in a plaintext record, as the server sends it before any keys exist.</summary>
    public static byte[] FatalAlert(AlertDescription alert) => [21, 3, 3, 0, 2, 2, (byte)alert];

    /// <summary>Bytes that are not TLS at all: a record type no version of TLS defines, then noise.</summary>
    public static byte[] Garbage { get; } = [0x99, 0x7e, 0x01, 0x00, 0x10, .. Enumerable.Range(0, 16).Select(i => (byte)(i * 37))];

    /// <summary>What a browser pointed at the TLS port by mistake sends.</summary>
    public static byte[] PlaintextHttp { get; } = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

    /// <summary>A handshake record header announcing 2^14 + 257 bytes: one more than any record may carry.</summary>
    public static byte[] OversizedRecordHeader { get; } = [22, 3, 1, 0x41, 0x01];

    /// <summary>OpenSSL's real ClientHello record with its last 40 bytes missing; the caller then ends the stream.</summary>
    public static byte[] TruncatedClientHelloRecord()
    {
        var record = TestData.FixtureRecords("openssl-s_client");
        return record[..^40];
    }

    /// <summary>The first half of OpenSSL's real ClientHello: a client that stalls and never sends the rest.</summary>
    public static byte[] HalfClientHello()
    {
        var record = TestData.FixtureRecords("openssl-s_client");
        return record[..(record.Length / 2)];
    }

    /// <summary>
    /// A ClientHello as a TLS 1.2-only client sends it: version 0x0303, ECDHE suites, groups and signature
    /// algorithms, and no supported_versions extension, which is what tells a TLS 1.3 server it must refuse.
    /// </summary>
    public static byte[] Tls12OnlyClientHello()
    {
        var body = new List<byte>();
        body.AddRange([3, 3]);
        body.AddRange(Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)));
        body.Add(0);                                                     // legacy_session_id
        body.AddRange([0, 4, 0xC0, 0x2F, 0xC0, 0x2B]);                   // ECDHE-RSA/ECDSA-AES128-GCM-SHA256
        body.AddRange([1, 0]);                                           // compression: null
        var extensions = new List<byte>();
        extensions.AddRange([0x00, 0x0A, 0, 6, 0, 4, 0, 0x1D, 0, 0x17]); // supported_groups: x25519, secp256r1
        extensions.AddRange([0x00, 0x0B, 0, 2, 1, 0]);                   // ec_point_formats: uncompressed
        extensions.AddRange([0x00, 0x0D, 0, 6, 0, 4, 4, 3, 8, 4]);       // signature_algorithms
        body.AddRange(BigEndian16(extensions.Count));
        body.AddRange(extensions);

        byte[] message = [(byte)HandshakeType.ClientHello, 0, .. BigEndian16(body.Count), .. body];
        return [22, 3, 1, .. BigEndian16(message.Length), .. message];
    }

    private static byte[] BigEndian16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)value));
        return bytes;
    }
}
