using Tickets.Core.Protocol;

namespace Tickets.Core.Negotiation;

/// <summary>
/// What the server is willing to use, each list in the server's order of preference.
/// <see cref="SignatureSchemes"/> must hold only schemes the server's certificate key can produce;
/// the caller knows the key, the negotiator does not.
/// </summary>
/// <param name="CipherSuites">The TLS 1.3 suites the server accepts, most preferred first.</param>
/// <param name="Groups">The key exchange groups the server accepts, most preferred first.</param>
/// <param name="SignatureSchemes">The schemes the server's key can sign with, most preferred first.</param>
/// <param name="ApplicationProtocols">The ALPN protocols the server speaks, most preferred first; empty turns ALPN off.</param>
public sealed record ServerPreferences(
    EquatableArray<CipherSuite> CipherSuites,
    EquatableArray<NamedGroup> Groups,
    EquatableArray<SignatureScheme> SignatureSchemes,
    EquatableArray<string> ApplicationProtocols)
{
    /// <summary>
    /// Whether a ClientHello offering a PSK in psk_ke mode may come without supported_groups and key_share (≈ OpenSSL's
    /// SSL_OP_ALLOW_NO_DHE_KEX). Off: such a hello is refused with handshake_failure, as before psk_ke existed here.
    /// </summary>
    public bool AllowPskWithoutKeyExchange { get; init; }

    /// <summary>
    /// The same preferences with the suites of <paramref name="hash"/> moved first, each group keeping its order: a
    /// client offering an external PSK bound to that hash then gets a suite it can use the PSK with, where the plain
    /// order would pick a suite of the other hash and leave the PSK unusable.
    /// </summary>
    public ServerPreferences PreferringHash(HandshakeHash hash) => this with
    {
        CipherSuites = CipherSuites.Where(suite => HandshakeHashes.Of(suite).Case is HandshakeHash h && h == hash)
            .Concat(CipherSuites.Where(suite => !(HandshakeHashes.Of(suite).Case is HandshakeHash h && h == hash)))
            .ToEquatableArray(),
    };

    /// <summary>AES-128-GCM first: it is the suite every TLS 1.3 peer must implement (§9.1) and fast with AES-NI.</summary>
    public static EquatableArray<CipherSuite> DefaultCipherSuites { get; } =
        [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    /// <summary>
    /// The post-quantum hybrid first (browsers send a share for it), then x25519, which nearly every client sends a
    /// share for, then the NIST and x448 curves, the finite-field groups last (slowest, and largest on the wire).
    /// Close to OpenSSL 3.5's default; since a share the client sent beats a HelloRetryRequest for a group it did not
    /// send, the order only decides among the shares a client sent, and which group a retry asks for.
    /// </summary>
    public static EquatableArray<NamedGroup> DefaultGroups { get; } =
    [
        NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.x448, NamedGroup.secp521r1, NamedGroup.secp384r1,
        NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192,
    ];

    /// <summary>Default suites and groups with the schemes of the caller's key, and ALPN off.</summary>
    public static ServerPreferences For(EquatableArray<SignatureScheme> signatureSchemes) =>
        For(signatureSchemes, EquatableArray<string>.Empty);

    /// <summary>Default suites and groups with the schemes of the caller's key and the ALPN protocols it speaks.</summary>
    public static ServerPreferences For(EquatableArray<SignatureScheme> signatureSchemes, EquatableArray<string> applicationProtocols) =>
        new(DefaultCipherSuites, DefaultGroups, signatureSchemes, applicationProtocols);
}
