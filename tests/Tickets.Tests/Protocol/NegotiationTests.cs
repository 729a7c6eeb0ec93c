using LanguageExt;
using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Tests.Protocol;

/// <summary>Negotiator decisions for every real client, and the rule violations it must reject.</summary>
[Trait("Category", TestCategory.Unit)]
public class NegotiationTests
{
    private static readonly ServerPreferences EcdsaP256 = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256]);

    public static TheoryData<string> Fixtures => new(TestData.ClientHelloFixtureNames);

    private static ClientHello Hello(string name) => FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake(name)));

    /// <summary>Re-parses a fixture after changing its raw extensions, as a client with other habits would send it.</summary>
    private static ClientHello Edited(string name, Func<IReadOnlyList<Extension>, IEnumerable<Extension>> edit)
    {
        var original = Hello(name);
        var bytes = ClientHelloCodec.Encode(original with { Extensions = edit(original.Extensions).ToEquatableArray() });
        return FinAssert.Succeeds(ClientHelloCodec.Parse(bytes));
    }

    private static IEnumerable<Extension> Replace(IReadOnlyList<Extension> extensions, ExtensionType type, Bytes data) =>
        extensions.Select(e => e.Type == type ? new Extension(type, data) : e);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_client_gets_aes128_and_its_best_share_without_retry(string name)
    {
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), EcdsaP256));
        Assert.Equal(ProtocolVersion.Tls13, result.Version);
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, result.CipherSuite);
        // Chromium sends a post-quantum hybrid share beside x25519, and the default order puts the hybrid first;
        // every other client here sends x25519 alone.
        var (group, shareLength) = name == "chromium" ? (NamedGroup.X25519MLKEM768, 1216) : (NamedGroup.x25519, 32);
        Assert.Equal(group, result.Group);
        Assert.False(result.HelloRetryRequired);
        Assert.Equal(shareLength, result.ClientKeyShare.Map(s => s.KeyExchange.Length).IfNone(0));
        Assert.Equal(Some(SignatureScheme.ecdsa_secp256r1_sha256), result.SignatureScheme);
        Assert.True(result.ApplicationProtocol.IsNone); // the server configured no ALPN
    }

    [Theory]
    [InlineData("chromium", "localhost", true, false)]
    [InlineData("dotnet-sslstream", "localhost", true, false)]
    [InlineData("gnutls-cli-no-psk-modes", null, false, false)]
    [InlineData("openssl-s_client-resumption", null, true, true)]
    [InlineData("curl", null, true, false)]
    public void Reports_server_name_and_psk_offer(string name, string? serverName, bool pskModes, bool canResume)
    {
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), EcdsaP256));
        Assert.Equal(serverName, result.ServerName.MatchUnsafe(s => s, () => null));
        Assert.Equal(pskModes, result.ClientOfferedPskModes);
        Assert.Equal(pskModes, result.PskDheKeOffered);
        Assert.Equal(canResume, result.CanTryResumption);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Rsa_pss_keys_sign_with_rsae_sha256(string name)
    {
        var rsa = ServerPreferences.For([SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384]);
        Assert.Equal(Some(SignatureScheme.rsa_pss_rsae_sha256), FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), rsa)).SignatureScheme);
    }

    [Theory]
    [InlineData("chromium", NamedGroup.x25519)]
    [InlineData("gnutls-cli", NamedGroup.secp256r1)]
    [InlineData("gnutls-cli-no-psk-modes", NamedGroup.secp256r1)]
    [InlineData("java-jsse", NamedGroup.secp256r1)]
    [InlineData("openssl-s_client", NamedGroup.x25519)]
    public void Server_group_order_decides_among_offered_shares(string name, NamedGroup expected)
    {
        var preferP256 = EcdsaP256 with { Groups = [NamedGroup.secp256r1, NamedGroup.x25519] };
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), preferP256));
        Assert.Equal(expected, result.Group);
        Assert.False(result.HelloRetryRequired);
        Assert.Equal(expected, result.ClientKeyShare.Map(s => s.Group).IfNone(default(NamedGroup)));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Group_supported_but_not_shared_needs_hello_retry(string name)
    {
        var p384Only = EcdsaP256 with { Groups = [NamedGroup.secp384r1] };
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), p384Only));
        Assert.True(result.HelloRetryRequired);
        Assert.Equal(NamedGroup.secp384r1, result.Group);
    }

    [Fact]
    public void Hello_retry_asks_for_the_servers_best_group_among_those_the_client_lists()
    {
        // The client lists brainpoolP256r1 (unknown here) first and shares only it; of the rest, x448 comes before
        // secp384r1 and ffdhe2048 in the default server order, whatever order the client gave.
        const NamedGroup brainpool = (NamedGroup)0x001A;
        var hello = Edited("node", exts => Replace(Replace(exts, ExtensionType.SupportedGroups,
                ExtensionBodies.SupportedGroups([brainpool, NamedGroup.ffdhe2048, NamedGroup.secp384r1, NamedGroup.x448])).ToEquatableArray(),
            ExtensionType.KeyShare, ExtensionBodies.KeyShareOffered([new KeyShareEntry(brainpool, new byte[65])])));
        var result = FinAssert.Succeeds(Negotiator.Negotiate(hello, EcdsaP256));
        Assert.True(result.HelloRetryRequired);
        Assert.Equal(NamedGroup.x448, result.Group);

        var ffdheFirst = EcdsaP256 with { Groups = [NamedGroup.ffdhe2048, NamedGroup.x448] };
        Assert.Equal(NamedGroup.ffdhe2048, FinAssert.Succeeds(Negotiator.Negotiate(hello, ffdheFirst)).Group);
    }

    [Fact]
    public void A_usable_share_beats_a_preferred_group_that_would_cost_a_retry()
    {
        var hello = Edited("node", exts => Replace(Replace(exts, ExtensionType.SupportedGroups,
                ExtensionBodies.SupportedGroups([NamedGroup.X25519MLKEM768, NamedGroup.ffdhe3072])).ToEquatableArray(),
            ExtensionType.KeyShare, ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.ffdhe3072, new byte[384])])));
        var result = FinAssert.Succeeds(Negotiator.Negotiate(hello, EcdsaP256));
        Assert.False(result.HelloRetryRequired);
        Assert.Equal(NamedGroup.ffdhe3072, result.Group);
    }

    [Theory]
    [InlineData(SignatureScheme.ed25519)]
    [InlineData(SignatureScheme.ed448)]
    [InlineData(SignatureScheme.rsa_pss_pss_sha256)]
    [InlineData(SignatureScheme.ecdsa_secp521r1_sha512)]
    public void The_scheme_is_one_of_the_keys_that_the_client_lists(SignatureScheme keyScheme)
    {
        var key = ServerPreferences.For([keyScheme]);
        var offered = Edited("node", exts => Replace(exts, ExtensionType.SignatureAlgorithms,
            ExtensionBodies.SignatureAlgorithms([SignatureScheme.ecdsa_secp256r1_sha256, keyScheme])));
        Assert.Equal(Some(keyScheme), FinAssert.Succeeds(Negotiator.Negotiate(offered, key)).SignatureScheme);

        var notOffered = Edited("node", exts => Replace(exts, ExtensionType.SignatureAlgorithms,
            ExtensionBodies.SignatureAlgorithms([SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256])));
        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(notOffered, key));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Server_suite_order_wins(string name)
    {
        var chachaFirst = EcdsaP256 with { CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256] };
        Assert.Equal(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, FinAssert.Succeeds(Negotiator.Negotiate(Hello(name), chachaFirst)).CipherSuite);
    }

    [Fact]
    public void Alpn_picks_the_server_preference_among_client_offers()
    {
        var prefs = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256], ["http/1.1", "h2"]);
        Assert.Equal(Some("http/1.1"), FinAssert.Succeeds(Negotiator.Negotiate(Hello("chromium"), prefs)).ApplicationProtocol);
        // A client without ALPN is fine; nothing is selected.
        Assert.True(FinAssert.Succeeds(Negotiator.Negotiate(Hello("node"), prefs)).ApplicationProtocol.IsNone);
    }

    [Fact]
    public void Alpn_without_overlap_is_no_application_protocol()
    {
        var prefs = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256], ["imap"]);
        FinAssert.FailsWith(AlertDescription.NoApplicationProtocol, Negotiator.Negotiate(Hello("curl"), prefs));
    }

    [Fact]
    public void No_usable_signature_scheme_is_handshake_failure()
    {
        // OpenSSL 3 no longer offers SHA-1 signatures.
        var sha1Only = ServerPreferences.For([SignatureScheme.ecdsa_sha1]);
        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(Hello("openssl-s_client"), sha1Only));
    }

    [Fact]
    public void With_a_psk_a_missing_scheme_leaves_only_resumption()
    {
        var sha1Only = ServerPreferences.For([SignatureScheme.ecdsa_sha1]);
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Hello("openssl-s_client-resumption"), sha1Only));
        Assert.True(result.SignatureScheme.IsNone);
        Assert.True(result.CanTryResumption);
    }

    [Fact]
    public void No_common_suite_or_group_is_handshake_failure()
    {
        var ccmOnly = EcdsaP256 with { CipherSuites = [CipherSuite.TLS_AES_128_CCM_SHA256] };
        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(Hello("java-jsse"), ccmOnly));
        var x448Only = EcdsaP256 with { Groups = [NamedGroup.x448] };
        FinAssert.FailsWith(AlertDescription.HandshakeFailure, Negotiator.Negotiate(Hello("chromium"), x448Only));
    }

    [Fact]
    public void Tls12_only_client_is_protocol_version()
    {
        var withoutVersions = Edited("openssl-s_client-pha", exts => exts.Where(e => e.Type != ExtensionType.SupportedVersions));
        FinAssert.FailsWith(AlertDescription.ProtocolVersion, Negotiator.Negotiate(withoutVersions, EcdsaP256));

        var only12 = Edited("python-ssl", exts => Replace(exts, ExtensionType.SupportedVersions,
            ExtensionBodies.SupportedVersionsOffered([ProtocolVersion.Tls12, 0x0302])));
        FinAssert.FailsWith(AlertDescription.ProtocolVersion, Negotiator.Negotiate(only12, EcdsaP256));
    }

    [Fact]
    public void Non_null_compression_is_illegal_parameter()
    {
        var hello = Hello("node") with { CompressionMethods = [1, 0] };
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.Negotiate(hello, EcdsaP256));
    }

    [Fact]
    public void Mandatory_extension_rules_of_section_9_2()
    {
        var noSigAlgs = Edited("node", exts => exts.Where(e => e.Type != ExtensionType.SignatureAlgorithms));
        FinAssert.FailsWith(AlertDescription.MissingExtension, Negotiator.Negotiate(noSigAlgs, EcdsaP256));

        var noKeyShare = Edited("node", exts => exts.Where(e => e.Type != ExtensionType.KeyShare));
        FinAssert.FailsWith(AlertDescription.MissingExtension, Negotiator.Negotiate(noKeyShare, EcdsaP256));

        var noGroups = Edited("node", exts => exts.Where(e => e.Type != ExtensionType.SupportedGroups));
        FinAssert.FailsWith(AlertDescription.MissingExtension, Negotiator.Negotiate(noGroups, EcdsaP256));

        var pskWithoutModes = Edited("openssl-s_client-resumption", exts => exts.Where(e => e.Type != ExtensionType.PskKeyExchangeModes));
        FinAssert.FailsWith(AlertDescription.MissingExtension, Negotiator.Negotiate(pskWithoutModes, EcdsaP256));
    }

    [Fact]
    public void Key_share_outside_supported_groups_is_illegal_parameter()
    {
        var hello = Edited("node", exts => Replace(exts, ExtensionType.SupportedGroups, ExtensionBodies.SupportedGroups([NamedGroup.secp256r1])));
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.Negotiate(hello, EcdsaP256));
    }

    [Fact]
    public void Psk_ke_only_client_cannot_resume_here()
    {
        var hello = Edited("openssl-s_client-resumption", exts => Replace(exts, ExtensionType.PskKeyExchangeModes,
            ExtensionBodies.PskKeyExchangeModes([PskKeyExchangeMode.psk_ke])));
        var result = FinAssert.Succeeds(Negotiator.Negotiate(hello, EcdsaP256));
        Assert.True(result.ClientOfferedPskModes);
        Assert.False(result.PskDheKeOffered);
        Assert.False(result.CanTryResumption);
    }

    // ---- HelloRetryRequest: RFC 8448 §5 is a complete, independent retry exchange ----

    private static readonly ServerPreferences P256Only = EcdsaP256 with { Groups = [NamedGroup.secp256r1] };

    private static ClientHello Rfc8448Hello(int octets) =>
        FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.Rfc8448($"ClientHello", FindClientHello(octets))));

    private static int FindClientHello(int octets)
    {
        // §5's first hello (180 bytes) and its second (512 bytes, the later of two 512-byte hellos).
        var matches = Enumerable.Range(0, 6).Where(i => TestData.Rfc8448("ClientHello", i).Length == octets).ToList();
        return matches[^1];
    }

    private static readonly Lazy<Bytes> Rfc8448Cookie = new(() =>
    {
        var hrr = TestData.Rfc8448("ServerHello", 2);
        return FinAssert.Succeeds(HelloRetryRequestCodec.Decode(hrr)).Cookie.IfNone(() => throw new Xunit.Sdk.XunitException("HRR without cookie"));
    });

    [Fact]
    public void Rfc8448_retry_exchange_negotiates_p256_after_the_retry()
    {
        var first = Rfc8448Hello(180);
        var retry = FinAssert.Succeeds(Negotiator.Negotiate(first, P256Only));
        Assert.True(retry.HelloRetryRequired);
        Assert.Equal(NamedGroup.secp256r1, retry.Group);

        var second = Rfc8448Hello(512);
        var result = FinAssert.Succeeds(Negotiator.NegotiateRetry(first, retry, second, P256Only, Some(Rfc8448Cookie.Value)));
        Assert.False(result.HelloRetryRequired);
        Assert.Equal(NamedGroup.secp256r1, result.Group);
        Assert.Equal(65, result.ClientKeyShare.Map(s => s.KeyExchange.Length).IfNone(0));
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, result.CipherSuite);
    }

    [Fact]
    public void Retry_with_a_share_for_another_group_is_illegal_parameter()
    {
        var first = Hello("openssl-s_client");
        var retry = FinAssert.Succeeds(Negotiator.Negotiate(first, P256Only));
        var wrongGroup = Edited("openssl-s_client", exts => Replace(exts, ExtensionType.KeyShare,
            ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.secp384r1, new byte[97])])));
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, wrongGroup, P256Only));

        // Still the x25519 share the server did not want: the client ignored the retry request.
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, first, P256Only));
    }

    [Fact]
    public void Retry_rejects_changed_fields_and_cookie_mismatches()
    {
        var first = Hello("openssl-s_client");
        var retry = FinAssert.Succeeds(Negotiator.Negotiate(first, P256Only));
        var second = Edited("openssl-s_client", exts => Replace(exts, ExtensionType.KeyShare,
            ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.secp256r1, new byte[65])])));
        FinAssert.Succeeds(Negotiator.NegotiateRetry(first, retry, second, P256Only));

        var otherRandom = second with { Random = new byte[32] };
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, otherRandom, P256Only));
        var otherSuites = second with { CipherSuites = [CipherSuite.TLS_AES_256_GCM_SHA384] };
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, otherSuites, P256Only));
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, second, P256Only, Some(new Bytes(new byte[] { 1, 2, 3 }))));
        var withEarlyData = second with { EarlyData = true };
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.NegotiateRetry(first, retry, withEarlyData, P256Only));
    }
}
