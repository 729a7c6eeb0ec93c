namespace Tickets.Core.Protocol;

/// <summary>
/// The fixed ServerHello layout shared by ServerHello and HelloRetryRequest: legacy_version 0x0303,
/// random, session id echo, suite, compression 0, extensions, and supported_versions = TLS 1.3.
/// </summary>
internal static class ServerHelloLayout
{
    internal readonly record struct Fields(Bytes Random, Bytes SessionId, CipherSuite Suite, EquatableArray<Extension> Extensions);

    internal static byte[] Encode(ReadOnlySpan<byte> random, ReadOnlySpan<byte> sessionIdEcho, CipherSuite suite, IEnumerable<Extension> extensions)
    {
        if (sessionIdEcho.Length > ClientHelloCodec.MaxSessionIdLength) throw new ArgumentException("legacy_session_id_echo exceeds 32 bytes", nameof(sessionIdEcho));
        var writer = new WireWriter(160);
        writer.WriteUInt8((byte)HandshakeType.ServerHello);
        var body = writer.BeginVector(3);
        writer.WriteUInt16(ProtocolVersion.Tls12);
        writer.WriteBytes(random);
        writer.WriteVector8(sessionIdEcho);
        writer.WriteUInt16((ushort)suite);
        writer.WriteUInt8(0);
        ExtensionCodec.WriteList(writer, extensions);
        writer.EndVector(body);
        return writer.ToArray();
    }

    internal static AlertError? Decode(ReadOnlySpan<byte> message, out Fields fields)
    {
        fields = default;
        var framing = HandshakeFraming.CheckBody(message, HandshakeType.ServerHello, out var body);
        if (framing is not null) return framing;
        var reader = new WireReader(body);
        if (!reader.TryReadUInt16(out var legacyVersion)
            || !reader.TryReadBytes(ClientHelloCodec.RandomLength, out var random)
            || !reader.TryReadVector8(0, ClientHelloCodec.MaxSessionIdLength, out var sessionId)
            || !reader.TryReadUInt16(out var suite)
            || !reader.TryReadUInt8(out var compression))
            return AlertError.Of(AlertDescription.DecodeError, "ServerHello truncated");
        if (legacyVersion != ProtocolVersion.Tls12 || compression != 0)
            return AlertError.Of(AlertDescription.IllegalParameter, "ServerHello legacy_version or compression is not the TLS 1.3 value");
        var problem = ExtensionCodec.ReadList(ref reader, "ServerHello", out var extensions);
        if (problem is not null) return problem;
        if (!reader.IsEmpty) return AlertError.Of(AlertDescription.DecodeError, "ServerHello has bytes after its extensions");

        var version = ExtensionCodec.Find(extensions, ExtensionType.SupportedVersions);
        if (version is null) return AlertError.Of(AlertDescription.MissingExtension, "ServerHello without supported_versions");
        if (version.Data.Length != 2 || ((version.Data[0] << 8) | version.Data[1]) != ProtocolVersion.Tls13)
            return AlertError.Of(AlertDescription.IllegalParameter, "ServerHello supported_versions is not TLS 1.3");
        fields = new Fields(Bytes.Own(random.ToArray()), Bytes.Own(sessionId.ToArray()), (CipherSuite)suite, extensions);
        return null;
    }
}
