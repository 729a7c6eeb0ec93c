using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>The parser against ClientHellos captured from eleven real clients.</summary>
[Trait("Category", TestCategory.Unit)]
public class ClientHelloFixtureTests
{
    public static TheoryData<string> Fixtures => new(TestData.ClientHelloFixtureNames);

    private static ClientHello Parse(string name) => FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake(name)));

    [Fact]
    public void All_eleven_fixtures_are_present() => Assert.Equal(11, TestData.ClientHelloFixtureNames.Length);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_parses_and_re_encodes_to_the_same_bytes(string name)
    {
        var message = TestData.FixtureHandshake(name);
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(message));

        Assert.Equal(32, hello.Random.Length);
        Assert.Equal(32, hello.LegacySessionId.Length); // every captured client uses middlebox compatibility mode
        Assert.Contains(CipherSuite.TLS_AES_128_GCM_SHA256, hello.CipherSuites);
        Assert.Equal([(byte)0], hello.CompressionMethods);
        Assert.Contains(ProtocolVersion.Tls13, hello.SupportedVersions);
        Assert.NotEmpty(hello.KeyShares);
        Assert.Contains(NamedGroup.x25519, hello.SupportedGroups);
        Assert.NotEmpty(hello.SignatureAlgorithms);
        // Raw extensions keep every byte, so re-encoding reproduces the message exactly.
        Assert.Equal(message, ClientHelloCodec.Encode(hello));
    }

    [Theory]
    [InlineData("chromium", "localhost", false, true, false)]
    [InlineData("curl", null, true, true, false)]
    [InlineData("dotnet-sslstream", "localhost", false, true, false)]
    [InlineData("gnutls-cli", null, false, true, false)]
    [InlineData("gnutls-cli-no-psk-modes", null, false, false, false)]
    [InlineData("java-jsse", null, false, true, false)]
    [InlineData("node", null, false, true, false)]
    [InlineData("openssl-s_client", null, false, true, false)]
    [InlineData("openssl-s_client-pha", null, true, true, false)]
    [InlineData("openssl-s_client-resumption", null, false, true, true)]
    [InlineData("python-ssl", null, false, true, false)]
    public void Fixture_facts(string name, string? serverName, bool postHandshakeAuth, bool pskModes, bool preSharedKey)
    {
        var hello = Parse(name);
        Assert.Equal(serverName, hello.ServerName.MatchUnsafe(s => s, () => null));
        Assert.Equal(postHandshakeAuth, hello.PostHandshakeAuth);
        Assert.Equal(pskModes, hello.PskKeyExchangeModes.IsSome);
        Assert.Equal(preSharedKey, hello.PreSharedKey.IsSome);
        Assert.False(hello.EarlyData);
        Assert.True(hello.Cookie.IsNone);
    }

    [Fact]
    public void Chromium_keeps_grease_and_hybrid_values_as_numbers()
    {
        var hello = Parse("chromium");
        Assert.Equal((CipherSuite)0x5A5A, hello.CipherSuites[0]);
        Assert.Equal([(ushort)0x5A5A, ProtocolVersion.Tls13, ProtocolVersion.Tls12], hello.SupportedVersions);
        Assert.Equal([(NamedGroup)0x8A8A, NamedGroup.X25519MLKEM768, NamedGroup.x25519], hello.KeyShares.Select(s => s.Group));
        Assert.Equal([1, 1216, 32], hello.KeyShares.Select(s => s.KeyExchange.Length));
        // The README's 1263 bytes: the 2-byte list length plus (group, length, key) per share.
        Assert.Equal(1263, hello.Extensions.Single(e => e.Type == ExtensionType.KeyShare).Data.Length);
        Assert.Equal(1263, 2 + hello.KeyShares.Sum(s => 4 + s.KeyExchange.Length));
        Assert.Equal(["h2", "http/1.1"], hello.Alpn);
        Assert.Equal([PskKeyExchangeMode.psk_dhe_ke], hello.PskKeyExchangeModes.IfNone([]));
        // Unknown code points (GREASE, ECH, ALPS, compress_certificate, ...) are kept raw, in order.
        Assert.Equal(19, hello.Extensions.Count);
        Assert.Contains(hello.Extensions, e => (ushort)e.Type == 0xFE0D);
    }

    [Fact]
    public void Resumption_hello_offers_one_identity_whose_binders_end_the_message()
    {
        var message = TestData.FixtureHandshake("openssl-s_client-resumption");
        var psk = Parse("openssl-s_client-resumption").PreSharedKey.IfNone(() => throw new Xunit.Sdk.XunitException("no PSK"));

        Assert.Single(psk.Identities);
        Assert.Single(psk.Binders);
        Assert.NotEmpty(psk.Identities[0].Identity);
        Assert.Equal(message.Length - psk.BindersOffset, 2 + psk.Binders.Sum(b => 1 + b.Length));
        // The binders list length prefix sits at BindersOffset and announces the rest of the message.
        Assert.Equal(message.Length - psk.BindersOffset - 2, (message[psk.BindersOffset] << 8) | message[psk.BindersOffset + 1]);
        Assert.Equal(ExtensionType.PreSharedKey, Parse("openssl-s_client-resumption").Extensions[^1].Type);
    }

    [Fact]
    public void Java_sends_signature_algorithms_cert_and_three_suites()
    {
        var hello = Parse("java-jsse");
        Assert.NotEmpty(hello.SignatureAlgorithmsCert);
        Assert.Equal([CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256], hello.CipherSuites);
        Assert.Equal([NamedGroup.x25519, NamedGroup.secp256r1], hello.KeyShares.Select(s => s.Group));
    }

    [Fact]
    public void Gnutls_shares_p256_then_x25519_and_lists_both_psk_modes()
    {
        Assert.Equal([NamedGroup.secp256r1, NamedGroup.x25519], Parse("gnutls-cli").KeyShares.Select(s => s.Group));
        Assert.Equal([PskKeyExchangeMode.psk_dhe_ke, PskKeyExchangeMode.psk_ke], Parse("gnutls-cli").PskKeyExchangeModes.IfNone([]));
        Assert.True(Parse("gnutls-cli").HasExtension(ExtensionType.RecordSizeLimit));
        Assert.False(Parse("gnutls-cli-no-psk-modes").HasExtension(ExtensionType.SessionTicket));
    }

    [Theory]
    [InlineData("curl")]
    [InlineData("python-ssl")]
    public void Padding_is_kept_raw(string name)
    {
        var hello = Parse(name);
        Assert.True(hello.HasExtension(ExtensionType.Padding));
        Assert.Equal(512, TestData.FixtureHandshake(name).Length);
    }

    [Fact]
    public void Rfc8448_resumption_hello_has_binders_offset_477()
    {
        // RFC 8448 §4 lists the full 512-byte hello and, separately, the 477-byte prefix the binder covers.
        var message = TestData.Rfc8448("payload", occurrence: 0 + FindPayloadIndex(512));
        var prefix = TestData.Rfc8448("ClientHello prefix");
        var psk = FinAssert.Succeeds(ClientHelloCodec.Parse(message)).PreSharedKey.IfNone(() => throw new Xunit.Sdk.XunitException("no PSK"));
        Assert.Equal(prefix.Length, psk.BindersOffset);
        Assert.Equal(prefix, message[..psk.BindersOffset]);
        Assert.Equal((uint)0xFAD6AACB, psk.Identities[0].ObfuscatedTicketAge);
        Assert.Equal(32, psk.Binders[0].Length);
    }

    /// <summary>Index of the first "payload (N octets)" listing with the given size.</summary>
    private static int FindPayloadIndex(int octets)
    {
        for (var i = 0; ; i++)
        {
            if (TestData.Rfc8448("payload", i).Length == octets) return i;
        }
    }
}
