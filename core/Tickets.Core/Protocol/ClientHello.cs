using LanguageExt;

namespace Tickets.Core.Protocol;

/// <summary>
/// A decoded ClientHello (RFC 8446 §4.1.2): the fixed fields, every extension raw and in order, and the
/// extensions this server understands already decoded. Absent extensions decode as empty lists / None /
/// false; <see cref="HasExtension"/> tells "absent" from "present but empty" where the rules care.
/// </summary>
/// <remarks>
/// Every field compares by value, so two hellos decoded from the same bytes are equal (C# <c>==</c>, F# <c>=</c>).
/// <c>new ClientHello()</c> holds no extension at all and empty fixed fields.
/// </remarks>
public sealed record ClientHello
{
    /// <summary>legacy_version: 0x0303 from any TLS 1.3 client; the real versions are in <see cref="SupportedVersions"/>.</summary>
    public ushort LegacyVersion { get; init; }

    /// <summary>The client's 32 random bytes.</summary>
    public Bytes Random { get; init; }

    /// <summary>legacy_session_id: 0 to 32 bytes the server echoes (non-empty in middlebox compatibility mode).</summary>
    public Bytes LegacySessionId { get; init; }

    /// <summary>Every offered suite in client order, unknown and GREASE values included.</summary>
    public EquatableArray<CipherSuite> CipherSuites { get; init; }

    /// <summary>legacy_compression_methods: exactly the single null method (0) from a TLS 1.3 client.</summary>
    public Bytes CompressionMethods { get; init; }

    /// <summary>All extensions in wire order, undecoded.</summary>
    public EquatableArray<Extension> Extensions { get; init; }

    /// <summary>supported_versions, in client order; empty when absent.</summary>
    public EquatableArray<ushort> SupportedVersions { get; init; }

    /// <summary>key_share's client shares, in client order; empty when absent or when the client asks for a retry.</summary>
    public EquatableArray<KeyShareEntry> KeyShares { get; init; }

    /// <summary>supported_groups, in client preference order; empty when absent.</summary>
    public EquatableArray<NamedGroup> SupportedGroups { get; init; }

    /// <summary>signature_algorithms, in client preference order; empty when absent.</summary>
    public EquatableArray<SignatureScheme> SignatureAlgorithms { get; init; }

    /// <summary>signature_algorithms_cert, in client preference order; empty when absent.</summary>
    public EquatableArray<SignatureScheme> SignatureAlgorithmsCert { get; init; }

    /// <summary>The host_name entry of server_name, if any.</summary>
    public Option<string> ServerName { get; init; }

    /// <summary>ALPN protocol names in client preference order (bytes mapped 1:1 to chars via Latin-1).</summary>
    public EquatableArray<string> Alpn { get; init; }

    /// <summary>psk_key_exchange_modes as listed; none when the client did not send the extension.</summary>
    public Option<EquatableArray<PskKeyExchangeMode>> PskKeyExchangeModes { get; init; }

    /// <summary>pre_shared_key: the offered identities and binders; none when absent.</summary>
    public Option<OfferedPsks> PreSharedKey { get; init; }

    /// <summary>Whether post_handshake_auth was sent: the client accepts a CertificateRequest after the handshake.</summary>
    public bool PostHandshakeAuth { get; init; }

    /// <summary>Whether early_data was sent (this server never accepts it).</summary>
    public bool EarlyData { get; init; }

    /// <summary>The cookie echoed from a HelloRetryRequest, if any.</summary>
    public Option<Bytes> Cookie { get; init; }

    /// <summary>The ticket_request extension (RFC 9149), if any.</summary>
    public Option<TicketRequest> TicketRequest { get; init; }

    /// <summary>Whether an extension of <paramref name="type"/> was sent, even an empty one.</summary>
    public bool HasExtension(ExtensionType type)
    {
        foreach (var extension in Extensions)
        {
            if (extension.Type == type) return true;
        }
        return false;
    }
}
