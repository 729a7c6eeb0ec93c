using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// Decodes a ClientHello handshake message (RFC 8446 §4.1.2, §4.2). Structural rules live here: every
/// length is checked against what remains (decode_error), an extension may appear once and
/// pre_shared_key only last (illegal_parameter). Semantic choices (versions, groups, suites) belong to
/// the negotiator. Unknown extensions are kept raw and otherwise ignored, as §4.2 requires.
/// </summary>
internal static class ClientHelloCodec
{
    /// <summary>The length of the random field of a ClientHello or ServerHello.</summary>
    public const int RandomLength = 32;

    /// <summary>The longest legacy_session_id a hello may carry.</summary>
    public const int MaxSessionIdLength = 32;

    /// <summary>Parses the whole handshake message, 4-byte header included.</summary>
    public static Fin<ClientHello> Parse(ReadOnlySpan<byte> handshakeMessage)
    {
        var framing = HandshakeFraming.CheckBody(handshakeMessage, HandshakeType.ClientHello, out var body);
        if (framing is not null) return FinFail<ClientHello>(framing);

        var reader = new WireReader(body);
        if (!reader.TryReadUInt16(out var legacyVersion)) return Fail("legacy_version truncated");
        if (!reader.TryReadBytes(RandomLength, out var random)) return Fail("random truncated");
        if (!reader.TryReadVector8(0, MaxSessionIdLength, out var sessionId)) return Fail("legacy_session_id malformed or longer than 32 bytes");
        if (!reader.TryReadVector16(2, 0xFFFE, out var suiteBytes) || suiteBytes.Length % 2 != 0) return Fail("cipher_suites empty, odd or truncated");
        if (!reader.TryReadVector8(1, 0xFF, out var compression)) return Fail("legacy_compression_methods empty or truncated");

        // A hello without an extensions block is a pre-TLS-1.2 shape; it parses, and negotiation then
        // rejects it for lacking supported_versions.
        if (reader.IsEmpty) return FinSucc(Hello(legacyVersion, random, sessionId, suiteBytes, compression, null));

        var extensionsStart = HandshakeFraming.HeaderLength + reader.Position + 2;
        if (!reader.TryReadVector16(0, 0xFFFF, out var extensionBlock)) return Fail("extensions block truncated");
        if (!reader.IsEmpty) return Fail($"{reader.Remaining} bytes after the extensions block");

        var builder = new Builder(WireReader.CountTypedVectors16(extensionBlock));
        var extensionReader = new WireReader(extensionBlock);
        while (!extensionReader.IsEmpty)
        {
            if (!extensionReader.TryReadUInt16(out var rawType)) return Fail("extension type truncated");
            var dataStart = extensionsStart + extensionReader.Position + 2;
            if (!extensionReader.TryReadVector16(0, 0xFFFF, out var data)) return Fail($"extension {rawType} body truncated");

            var type = (ExtensionType)rawType;
            // The binders sign everything before them, so nothing may follow pre_shared_key (§4.2.11). Judged only
            // once a whole extension has been framed after it: stray bytes that cannot form one mean a length was
            // wrong, which the reads above already reported as decode_error.
            if (builder.PreSharedKey.IsSome)
                return FinFail<ClientHello>(AlertError.Of(AlertDescription.IllegalParameter, "pre_shared_key is not the last extension"));
            if (!builder.FirstSighting(rawType))
                return FinFail<ClientHello>(AlertError.Of(AlertDescription.IllegalParameter, $"extension {rawType} appears twice"));

            builder.Raw[builder.RawCount++] = new Extension(type, Bytes.Own(data.ToArray()));
            var problem = DecodeKnown(type, data, dataStart, builder);
            if (problem is not null) return FinFail<ClientHello>(problem);
        }

        return FinSucc(Hello(legacyVersion, random, sessionId, suiteBytes, compression, builder));
    }

    // One ClientHello built at the end (rather than one for the fixed fields and a `with` copy for the extensions).
    private static ClientHello Hello(
        ushort legacyVersion,
        ReadOnlySpan<byte> random,
        ReadOnlySpan<byte> sessionId,
        ReadOnlySpan<byte> suiteBytes,
        ReadOnlySpan<byte> compression,
        Builder? builder)
    {
        // Without extensions, an empty builder holds exactly the "absent" values.
        builder ??= new Builder(0);
        return new ClientHello
        {
            LegacyVersion = legacyVersion,
            Random = Bytes.Own(random.ToArray()),
            LegacySessionId = Bytes.Own(sessionId.ToArray()),
            CipherSuites = ReadUInt16List<CipherSuite>(suiteBytes, static v => (CipherSuite)v),
            CompressionMethods = Bytes.Own(compression.ToArray()),
            // The walk stopped at the first malformed extension, so every slot counted was filled.
            Extensions = EquatableArray.Own(builder.Raw),
            SupportedVersions = builder.SupportedVersions,
            KeyShares = builder.KeyShares,
            SupportedGroups = builder.SupportedGroups,
            SignatureAlgorithms = builder.SignatureAlgorithms,
            SignatureAlgorithmsCert = builder.SignatureAlgorithmsCert,
            ServerName = builder.ServerName,
            Alpn = builder.Alpn,
            PskKeyExchangeModes = builder.PskModes,
            PreSharedKey = builder.PreSharedKey,
            PostHandshakeAuth = builder.PostHandshakeAuth,
            EarlyData = builder.EarlyData,
            Cookie = builder.Cookie,
            TicketRequest = builder.TicketRequest,
        };
    }

    /// <summary>
    /// Writes a ClientHello from its fixed fields and its raw <see cref="ClientHello.Extensions"/> (the
    /// decoded properties are ignored). The server never sends one; tests use it to build inputs.
    /// </summary>
    public static byte[] Encode(ClientHello hello)
    {
        var writer = new WireWriter(512);
        writer.WriteUInt8((byte)HandshakeType.ClientHello);
        var message = writer.BeginVector(3);
        writer.WriteUInt16(hello.LegacyVersion);
        writer.WriteBytes(hello.Random);
        writer.WriteVector8(hello.LegacySessionId);
        var suites = writer.BeginVector(2);
        foreach (var suite in hello.CipherSuites) writer.WriteUInt16((ushort)suite);
        writer.EndVector(suites);
        writer.WriteVector8(hello.CompressionMethods);
        ExtensionCodec.WriteList(writer, hello.Extensions);
        writer.EndVector(message);
        return writer.ToArray();
    }

    private static Fin<ClientHello> Fail(string reason) =>
        FinFail<ClientHello>(AlertError.Of(AlertDescription.DecodeError, "ClientHello: " + reason));

    private static AlertError? DecodeKnown(ExtensionType type, ReadOnlySpan<byte> data, int dataStart, Builder builder)
    {
        switch (type)
        {
            case ExtensionType.ServerName:
                return DecodeServerName(data, builder);
            case ExtensionType.SupportedGroups:
                return DecodeUInt16Vector(data, "supported_groups", static v => (NamedGroup)v, out builder.SupportedGroups);
            case ExtensionType.SignatureAlgorithms:
                return DecodeUInt16Vector(data, "signature_algorithms", static v => (SignatureScheme)v, out builder.SignatureAlgorithms);
            case ExtensionType.SignatureAlgorithmsCert:
                return DecodeUInt16Vector(data, "signature_algorithms_cert", static v => (SignatureScheme)v, out builder.SignatureAlgorithmsCert);
            case ExtensionType.ApplicationLayerProtocolNegotiation:
                return DecodeAlpn(data, builder);
            case ExtensionType.SupportedVersions:
                return DecodeSupportedVersions(data, builder);
            case ExtensionType.KeyShare:
                return DecodeKeyShares(data, builder);
            case ExtensionType.PskKeyExchangeModes:
                return DecodePskModes(data, builder);
            case ExtensionType.PreSharedKey:
                return DecodePreSharedKey(data, dataStart, builder);
            case ExtensionType.PostHandshakeAuth:
                builder.PostHandshakeAuth = true;
                return data.IsEmpty ? null : Malformed("post_handshake_auth", "must be empty");
            case ExtensionType.EarlyData:
                builder.EarlyData = true;
                return data.IsEmpty ? null : Malformed("early_data", "must be empty in a ClientHello");
            case ExtensionType.Cookie:
                return DecodeCookie(data, builder);
            case ExtensionType.TicketRequest:
                if (data.Length != 2) return Malformed("ticket_request", "must be exactly 2 bytes");
                builder.TicketRequest = Some(new TicketRequest(data[0], data[1]));
                return null;
            default:
                return null;
        }
    }

    private static AlertError? DecodeServerName(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector16(1, 0xFFFF, out var list) || !outer.IsEmpty) return Malformed("server_name", "list length wrong");
        var reader = new WireReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt8(out var nameType) || !reader.TryReadVector16(1, 0xFFFF, out var name))
                return Malformed("server_name", "entry truncated");
            if (nameType != 0) continue; // only host_name (0) is defined; others are skipped
            if (builder.ServerName.IsSome)
                return AlertError.Of(AlertDescription.IllegalParameter, "server_name holds two host_name entries (RFC 6066 §3)");
            foreach (var b in name)
            {
                // Host names are ASCII (A-labels); a NUL or control byte would let names compare unequal to what is logged.
                if (b <= 0x20 || b >= 0x7F) return Malformed("server_name", "host_name is not printable ASCII");
            }
            builder.ServerName = Some(Encoding.ASCII.GetString(name));
        }
        return null;
    }

    private static AlertError? DecodeAlpn(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector16(2, 0xFFFF, out var list) || !outer.IsEmpty) return Malformed("application_layer_protocol_negotiation", "list length wrong");
        var names = new string[WireReader.CountVectors8(list)];
        var count = 0;
        var reader = new WireReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVector8(1, 0xFF, out var name)) return Malformed("application_layer_protocol_negotiation", "empty or truncated protocol name");
            names[count++] = Encoding.Latin1.GetString(name);
        }
        builder.Alpn = EquatableArray.Own(names);
        return null;
    }

    private static AlertError? DecodeSupportedVersions(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector8(2, 0xFE, out var list) || !outer.IsEmpty || list.Length % 2 != 0)
            return Malformed("supported_versions", "list empty, odd or length wrong");
        builder.SupportedVersions = ReadUInt16List<ushort>(list, static v => v);
        return null;
    }

    private static AlertError? DecodeKeyShares(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        // An empty client_shares list is legal: the client asks the server to pick a group via HRR.
        if (!outer.TryReadVector16(0, 0xFFFF, out var list) || !outer.IsEmpty) return Malformed("key_share", "list length wrong");
        var shares = new KeyShareEntry[WireReader.CountTypedVectors16(list)];
        var count = 0;
        var reader = new WireReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt16(out var group) || !reader.TryReadVector16(1, 0xFFFF, out var key))
                return Malformed("key_share", "entry truncated or empty key");
            // One share per group is a rule of §4.2.8, checked by the Negotiator with the other key_share rules.
            shares[count++] = new KeyShareEntry((NamedGroup)group, Bytes.Own(key.ToArray()));
        }
        builder.KeyShares = EquatableArray.Own(shares);
        return null;
    }

    private static AlertError? DecodePskModes(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector8(1, 0xFF, out var list) || !outer.IsEmpty) return Malformed("psk_key_exchange_modes", "list empty or length wrong");
        var modes = new PskKeyExchangeMode[list.Length];
        for (var i = 0; i < list.Length; i++) modes[i] = (PskKeyExchangeMode)list[i];
        builder.PskModes = Some(EquatableArray.Own(modes));
        return null;
    }

    private static AlertError? DecodePreSharedKey(ReadOnlySpan<byte> data, int dataStart, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector16(7, 0xFFFF, out var identityList)) return Malformed("pre_shared_key", "identities list too short or truncated");
        var bindersOffset = dataStart + outer.Position;
        if (!outer.TryReadVector16(33, 0xFFFF, out var binderList) || !outer.IsEmpty) return Malformed("pre_shared_key", "binders list too short, truncated or followed by bytes");

        var identities = new PskIdentity[WireReader.CountVectors16WithUInt32(identityList)];
        var identityCount = 0;
        var reader = new WireReader(identityList);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVector16(1, 0xFFFF, out var identity) || !reader.TryReadUInt32(out var age))
                return Malformed("pre_shared_key", "identity truncated or empty");
            identities[identityCount++] = new PskIdentity(Bytes.Own(identity.ToArray()), age);
        }

        var binders = new Bytes[WireReader.CountVectors8(binderList)];
        var binderCount = 0;
        reader = new WireReader(binderList);
        while (!reader.IsEmpty)
        {
            // A binder is an HMAC output: at least 32 bytes (SHA-256), at most 255.
            if (!reader.TryReadVector8(32, 0xFF, out var binder)) return Malformed("pre_shared_key", "binder shorter than 32 bytes or truncated");
            binders[binderCount++] = Bytes.Own(binder.ToArray());
        }

        if (binderCount != identityCount)
            return AlertError.Of(AlertDescription.IllegalParameter, $"pre_shared_key has {identityCount} identities but {binderCount} binders");
        builder.PreSharedKey = Some(new OfferedPsks(EquatableArray.Own(identities), EquatableArray.Own(binders), bindersOffset));
        return null;
    }

    private static AlertError? DecodeCookie(ReadOnlySpan<byte> data, Builder builder)
    {
        var outer = new WireReader(data);
        if (!outer.TryReadVector16(1, 0xFFFF, out var cookie) || !outer.IsEmpty) return Malformed("cookie", "empty or length wrong");
        builder.Cookie = Some(Bytes.Own(cookie.ToArray()));
        return null;
    }

    private static AlertError? DecodeUInt16Vector<T>(ReadOnlySpan<byte> data, string name, Func<ushort, T> convert, out EquatableArray<T> values)
    {
        values = default;
        var outer = new WireReader(data);
        if (!outer.TryReadVector16(2, 0xFFFE, out var list) || !outer.IsEmpty || list.Length % 2 != 0)
            return Malformed(name, "list empty, odd or length wrong");
        values = ReadUInt16List(list, convert);
        return null;
    }

    private static EquatableArray<T> ReadUInt16List<T>(ReadOnlySpan<byte> list, Func<ushort, T> convert)
    {
        var values = new T[list.Length / 2];
        for (var i = 0; i < values.Length; i++) values[i] = convert((ushort)((list[2 * i] << 8) | list[2 * i + 1]));
        return EquatableArray.Own(values);
    }

    private static AlertError Malformed(string extension, string reason) =>
        AlertError.Of(AlertDescription.DecodeError, $"ClientHello {extension}: {reason}");

    /// <summary>Accumulates decoded extensions while the block is walked once.</summary>
    /// <param name="extensions">How many extensions the block frames: the raw list is made that long up front.</param>
    private sealed class Builder(int extensions)
    {
        // Every extension type defined so far is below 64: those are tracked in a bit mask, and a set is
        // made only for the rest (GREASE, newer codepoints). Most ClientHellos then need no set at all,
        // and a hostile one with thousands of extensions still costs linear time.
        private ulong seenBelow64;
        private System.Collections.Generic.HashSet<ushort>? seenOthers;

        /// <summary>False when <paramref name="type"/> was seen before: duplicates are illegal_parameter.</summary>
        public bool FirstSighting(ushort type)
        {
            if (type < 64)
            {
                var bit = 1UL << type;
                var first = (seenBelow64 & bit) == 0;
                seenBelow64 |= bit;
                return first;
            }

            return (seenOthers ??= []).Add(type);
        }

        public readonly Extension[] Raw = extensions == 0 ? [] : new Extension[extensions];
        public int RawCount;
        public EquatableArray<ushort> SupportedVersions;
        public EquatableArray<KeyShareEntry> KeyShares;
        public EquatableArray<NamedGroup> SupportedGroups;
        public EquatableArray<SignatureScheme> SignatureAlgorithms;
        public EquatableArray<SignatureScheme> SignatureAlgorithmsCert;
        public Option<string> ServerName;
        public EquatableArray<string> Alpn;
        public Option<EquatableArray<PskKeyExchangeMode>> PskModes;
        public Option<OfferedPsks> PreSharedKey;
        public bool PostHandshakeAuth;
        public bool EarlyData;
        public Option<Bytes> Cookie;
        public Option<TicketRequest> TicketRequest;
    }
}
