using Tickets.Core.Protocol;

namespace Tickets.Core.Negotiation;

/// <summary>
/// What the server is willing to use, each list in the server's order of preference.
/// <see cref="SignatureSchemes"/> must hold only schemes the server's certificate key can produce;
/// the caller knows the key, the negotiator does not.
/// </summary>
public sealed record ServerPreferences(
    IReadOnlyList<CipherSuite> CipherSuites,
    IReadOnlyList<NamedGroup> Groups,
    IReadOnlyList<SignatureScheme> SignatureSchemes,
    IReadOnlyList<string> ApplicationProtocols)
{
    /// <summary>AES-128-GCM first: it is the suite every TLS 1.3 peer must implement (§9.1) and fast with AES-NI.</summary>
    public static IReadOnlyList<CipherSuite> DefaultCipherSuites { get; } =
        [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    /// <summary>x25519 first: what nearly every client sends a share for, so no HelloRetryRequest is needed.</summary>
    public static IReadOnlyList<NamedGroup> DefaultGroups { get; } =
        [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1];

    /// <summary>Default suites and groups with the schemes of the caller's key; ALPN off unless protocols are given.</summary>
    public static ServerPreferences For(IReadOnlyList<SignatureScheme> signatureSchemes, IReadOnlyList<string>? applicationProtocols = null) =>
        new(DefaultCipherSuites, DefaultGroups, signatureSchemes, applicationProtocols ?? []);
}
