using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>
/// What the Negotiator lets through for PSK key exchange modes: a ClientHello offering a PSK in psk_ke mode without
/// supported_groups and key_share passes only where the server allows psk_ke; every other hello without groups keeps
/// its alert. And the suite order a server gives an external PSK bound to SHA-384.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class PskKeNegotiationTests
{
    private static readonly ServerPreferences EcdsaP256 = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256]);
    private static readonly ServerPreferences AllowingPskKe = EcdsaP256 with { AllowPskWithoutKeyExchange = true };

    /// <summary>openssl's resumption ClientHello with these modes, and without its groups and share when asked.</summary>
    private static ClientHello Hello(PskKeyExchangeMode[] modes, bool groups)
    {
        var original = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client-resumption")));
        var extensions = original.Extensions
            .Where(e => groups || e.Type is not (ExtensionType.SupportedGroups or ExtensionType.KeyShare))
            .Select(e => e.Type == ExtensionType.PskKeyExchangeModes ? new Extension(e.Type, ExtensionBodies.PskKeyExchangeModes(modes)) : e);
        return FinAssert.Succeeds(ClientHelloCodec.Parse(ClientHelloCodec.Encode(original with { Extensions = extensions.ToEquatableArray() })));
    }

    [Fact]
    public void Psk_ke_without_groups_is_handshake_failure_unless_the_server_allows_it()
    {
        var hello = Hello([PskKeyExchangeMode.psk_ke], groups: false);

        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(hello, EcdsaP256));
        var allowed = FinAssert.Succeeds(Negotiator.Negotiate(hello, AllowingPskKe));
        Assert.False(allowed.OffersKeyExchange);
        Assert.False(allowed.HelloRetryRequired);
        Assert.True(allowed.PskKeOffered);
        Assert.True(allowed.ClientKeyShare.IsNone);
    }

    [Fact]
    public void Both_modes_without_groups_pass_where_psk_ke_is_allowed()
    {
        var hello = Hello([PskKeyExchangeMode.psk_dhe_ke, PskKeyExchangeMode.psk_ke], groups: false);

        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(hello, EcdsaP256));
        Assert.False(FinAssert.Succeeds(Negotiator.Negotiate(hello, AllowingPskKe)).OffersKeyExchange);
    }

    [Fact]
    public void Psk_dhe_ke_alone_without_groups_stays_handshake_failure_even_where_psk_ke_is_allowed()
    {
        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(Hello([PskKeyExchangeMode.psk_dhe_ke], groups: false), AllowingPskKe));
    }

    [Fact]
    public void Without_a_psk_a_hello_without_groups_stays_missing_extension()
    {
        var hello = Hello([PskKeyExchangeMode.psk_ke], groups: false) with { PreSharedKey = LanguageExt.Option<OfferedPsks>.None };
        var encoded = ClientHelloCodec.Encode(hello with { Extensions = hello.Extensions.Where(e => e.Type != ExtensionType.PreSharedKey).ToEquatableArray() });

        FinAssert.FailsWith(AlertDescription.MissingExtension, Negotiator.Negotiate(FinAssert.Succeeds(ClientHelloCodec.Parse(encoded)), AllowingPskKe));
    }

    [Fact]
    public void With_groups_a_psk_ke_client_negotiates_its_share_as_before()
    {
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello([PskKeyExchangeMode.psk_ke], groups: true), AllowingPskKe));

        Assert.True(result.OffersKeyExchange);
        Assert.Equal(NamedGroup.x25519, result.Group);
        Assert.False(result.HelloRetryRequired);
    }

    [Fact]
    public void Preferring_a_hash_moves_its_suites_first_and_keeps_each_group_in_order()
    {
        var preferred = EcdsaP256.PreferringHash(HandshakeHash.Sha384);

        Assert.Equal(
            [CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
            preferred.CipherSuites);
        Assert.Equal(
            [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384],
            EcdsaP256.PreferringHash(HandshakeHash.Sha256).CipherSuites);
    }
}
