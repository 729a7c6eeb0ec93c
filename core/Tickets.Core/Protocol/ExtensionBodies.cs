using System.Text;

namespace Tickets.Core.Protocol;

/// <summary>
/// Builds extension bodies (the bytes inside one extension). Server forms are what this server sends;
/// client forms let tests and tools compose ClientHellos with the same layout real clients use.
/// </summary>
internal static class ExtensionBodies
{
    /// <summary>supported_versions as a client lists it: 1-byte length, then versions.</summary>
    public static Bytes SupportedVersionsOffered(IEnumerable<ushort> versions)
    {
        var writer = new WireWriter(16);
        var list = writer.BeginVector(1);
        foreach (var version in versions) writer.WriteUInt16(version);
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>supported_versions in ServerHello / HelloRetryRequest: the one selected version.</summary>
    public static Bytes SupportedVersionSelected(ushort version) => [(byte)(version >> 8), (byte)version];

    /// <summary>key_share in a ClientHello: the list of offered shares.</summary>
    public static Bytes KeyShareOffered(IEnumerable<KeyShareEntry> shares)
    {
        var writer = new WireWriter();
        var list = writer.BeginVector(2);
        foreach (var share in shares) WriteKeyShareEntry(writer, share);
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>key_share in a ServerHello: the server's single share.</summary>
    public static Bytes KeyShareSelected(KeyShareEntry share)
    {
        var writer = new WireWriter(share.KeyExchange.Length + 4);
        WriteKeyShareEntry(writer, share);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>key_share in a HelloRetryRequest: just the group the client must use.</summary>
    public static Bytes KeyShareRetry(NamedGroup group) => [(byte)((ushort)group >> 8), (byte)group];

    /// <summary>supported_groups as a client lists it: 2-byte length, then groups in preference order.</summary>
    public static Bytes SupportedGroups(IEnumerable<NamedGroup> groups) => UInt16Vector(groups.Select(g => (ushort)g));

    /// <summary>signature_algorithms (or signature_algorithms_cert): 2-byte length, then schemes in preference order.</summary>
    public static Bytes SignatureAlgorithms(IEnumerable<SignatureScheme> schemes) => UInt16Vector(schemes.Select(s => (ushort)s));

    /// <summary>server_name as a client sends it: one host_name entry.</summary>
    public static Bytes ServerNameOffered(string hostName)
    {
        var writer = new WireWriter();
        var list = writer.BeginVector(2);
        writer.WriteUInt8(0);
        writer.WriteVector16(Encoding.ASCII.GetBytes(hostName));
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>
    /// ALPN protocol_name_list: a client's offers, or in EncryptedExtensions the single chosen name.
    /// Names map to bytes through Latin-1, the inverse of how the decoder reads them.
    /// </summary>
    public static Bytes Alpn(IEnumerable<string> protocols)
    {
        var writer = new WireWriter(32);
        var list = writer.BeginVector(2);
        foreach (var protocol in protocols) writer.WriteVector8(Encoding.Latin1.GetBytes(protocol));
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>psk_key_exchange_modes as a client lists it: 1-byte length, then modes.</summary>
    public static Bytes PskKeyExchangeModes(IEnumerable<PskKeyExchangeMode> modes)
    {
        var writer = new WireWriter(8);
        var list = writer.BeginVector(1);
        foreach (var mode in modes) writer.WriteUInt8((byte)mode);
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>pre_shared_key as a client offers it: identities, then binders.</summary>
    public static Bytes PreSharedKeyOffered(IEnumerable<PskIdentity> identities, IEnumerable<Bytes> binders)
    {
        var writer = new WireWriter();
        var identityList = writer.BeginVector(2);
        foreach (var identity in identities)
        {
            writer.WriteVector16(identity.Identity);
            writer.WriteUInt32(identity.ObfuscatedTicketAge);
        }
        writer.EndVector(identityList);
        var binderList = writer.BeginVector(2);
        foreach (var binder in binders) writer.WriteVector8(binder);
        writer.EndVector(binderList);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>pre_shared_key in a ServerHello: index of the accepted identity.</summary>
    public static Bytes PreSharedKeySelected(ushort identityIndex) => [(byte)(identityIndex >> 8), (byte)identityIndex];

    /// <summary>cookie, in a HelloRetryRequest or the ClientHello echoing it: 2-byte length, then the value.</summary>
    public static Bytes Cookie(ReadOnlySpan<byte> cookie)
    {
        var writer = new WireWriter(cookie.Length + 2);
        writer.WriteVector16(cookie);
        return Bytes.Own(writer.ToArray());
    }

    /// <summary>ticket_request as a client sends it (RFC 9149 §3): new_session_count, then resumption_count.</summary>
    public static Bytes TicketRequest(TicketRequest request) => [request.NewSessionCount, request.ResumptionCount];

    /// <summary>ticket_request as a server answers it in EncryptedExtensions (RFC 9149 §3): expected_count alone.</summary>
    public static Bytes TicketRequestHint(byte expectedCount) => [expectedCount];

    private static void WriteKeyShareEntry(WireWriter writer, KeyShareEntry share)
    {
        writer.WriteUInt16((ushort)share.Group);
        writer.WriteVector16(share.KeyExchange);
    }

    private static Bytes UInt16Vector(IEnumerable<ushort> values)
    {
        var writer = new WireWriter(64);
        var list = writer.BeginVector(2);
        foreach (var value in values) writer.WriteUInt16(value);
        writer.EndVector(list);
        return Bytes.Own(writer.ToArray());
    }
}
