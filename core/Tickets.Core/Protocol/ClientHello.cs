using LanguageExt;

namespace Tickets.Core.Protocol;

/// <summary>
/// A decoded ClientHello (RFC 8446 §4.1.2): the fixed fields, every extension raw and in order, and the
/// extensions this server understands already decoded. Absent extensions decode as empty lists / None /
/// false; <see cref="HasExtension"/> tells "absent" from "present but empty" where the rules care.
/// </summary>
public sealed record ClientHello
{
    public ushort LegacyVersion { get; init; }
    public byte[] Random { get; init; } = [];
    public byte[] LegacySessionId { get; init; } = [];
    /// <summary>Every offered suite in client order, unknown and GREASE values included.</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } = [];
    public byte[] CompressionMethods { get; init; } = [];
    /// <summary>All extensions in wire order, undecoded.</summary>
    public IReadOnlyList<Extension> Extensions { get; init; } = [];

    public IReadOnlyList<ushort> SupportedVersions { get; init; } = [];
    public IReadOnlyList<KeyShareEntry> KeyShares { get; init; } = [];
    public IReadOnlyList<NamedGroup> SupportedGroups { get; init; } = [];
    public IReadOnlyList<SignatureScheme> SignatureAlgorithms { get; init; } = [];
    public IReadOnlyList<SignatureScheme> SignatureAlgorithmsCert { get; init; } = [];
    /// <summary>The host_name entry of server_name, if any.</summary>
    public Option<string> ServerName { get; init; }
    /// <summary>ALPN protocol names in client preference order (bytes mapped 1:1 to chars via Latin-1).</summary>
    public IReadOnlyList<string> Alpn { get; init; } = [];
    public Option<IReadOnlyList<PskKeyExchangeMode>> PskKeyExchangeModes { get; init; }
    public Option<OfferedPsks> PreSharedKey { get; init; }
    public bool PostHandshakeAuth { get; init; }
    public bool EarlyData { get; init; }
    public Option<byte[]> Cookie { get; init; }
    public Option<TicketRequest> TicketRequest { get; init; }

    public bool HasExtension(ExtensionType type)
    {
        foreach (var extension in Extensions)
        {
            if (extension.Type == type) return true;
        }
        return false;
    }
}
