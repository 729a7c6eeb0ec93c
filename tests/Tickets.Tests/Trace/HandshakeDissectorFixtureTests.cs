using System.Buffers.Binary;
using Tickets.Core.Protocol;
using Tickets.Trace;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Trace;

/// <summary>The dissector over the eleven ClientHellos captured from real clients: every extension named, nothing malformed.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class HandshakeDissectorFixtureTests
{
    // Written from the IANA TLS ExtensionType registry, independently of TlsNames, for every code point the fixtures use.
    private static readonly Dictionary<ushort, string> IanaNames = new()
    {
        [0] = "server_name",
        [5] = "status_request",
        [10] = "supported_groups",
        [11] = "ec_point_formats",
        [13] = "signature_algorithms",
        [16] = "application_layer_protocol_negotiation",
        [18] = "signed_certificate_timestamp",
        [21] = "padding",
        [22] = "encrypt_then_mac",
        [23] = "extended_master_secret",
        [27] = "compress_certificate",
        [28] = "record_size_limit",
        [35] = "session_ticket",
        [41] = "pre_shared_key",
        [43] = "supported_versions",
        [45] = "psk_key_exchange_modes",
        [49] = "post_handshake_auth",
        [50] = "signature_algorithms_cert",
        [51] = "key_share",
        [0x44cd] = "application_settings",
        [0xfe0d] = "encrypted_client_hello",
        [0xff01] = "renegotiation_info",
    };

    public static TheoryData<string> Fixtures => new(TestData.ClientHelloFixtureNames);

    private static TraceNode Dissect(string name) => HandshakeDissector.Dissect(TestData.FixtureHandshake(name));

    private static TraceNode Child(TraceNode node, string name) =>
        node.Children.SingleOrDefault(child => child.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no '{name}' under '{node.Name}': {string.Join(", ", node.Children.Select(c => c.Name))}");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_extension_is_named_in_wire_order_and_nothing_is_malformed(string name)
    {
        var message = TestData.FixtureHandshake(name);
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(message));

        var tree = HandshakeDissector.Dissect(message);

        Assert.Equal("ClientHello", tree.Name);
        Assert.Equal($"{message.Length - 4} bytes", tree.Value);
        Assert.DoesNotContain(tree.DescendantsAndSelf(), node => node.Name.Contains("malformed", StringComparison.Ordinal)
            || node.Value.StartsWith("malformed", StringComparison.Ordinal));
        var extensions = Child(tree, "extensions");
        Assert.Equal(hello.Extensions.Count, extensions.Children.Count);
        foreach (var (extension, node) in hello.Extensions.Zip(extensions.Children))
        {
            var type = (ushort)extension.Type;
            var expected = IanaNames.TryGetValue(type, out var known) ? known
                : IsGrease(type) ? $"GREASE (0x{type:x4})"
                : $"unknown (0x{type:x4})";
            Assert.Equal($"{expected} ({type})", node.Name);
            Assert.False(string.IsNullOrEmpty(node.Value), $"{node.Name} has no value");
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Offered_key_shares_and_suites_match_what_the_codec_parsed(string name)
    {
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake(name)));
        var tree = Dissect(name);

        var shares = Child(Child(tree, "extensions"), "key_share (51)");
        Assert.Equal(
            hello.KeyShares.Select(share => share.KeyExchange.Length == 1 ? "key of 1 byte" : $"key of {share.KeyExchange.Length} bytes"),
            shares.Children.Select(child => child.Value));
        Assert.Equal(hello.CipherSuites.Select(suite => $"0x{(ushort)suite:x4}"), Child(tree, "cipher_suites").Children.Select(child => child.Value));
    }

    [Fact]
    public void Chromium_grease_and_the_hybrid_group_are_shown_by_number_and_name()
    {
        var tree = Dissect("chromium");
        var extensions = Child(tree, "extensions");

        // GREASE extensions open and close Chromium's list.
        Assert.Equal("GREASE (0x9a9a) (39578)", extensions.Children[0].Name);
        Assert.Equal("GREASE (0x1a1a) (6682)", extensions.Children[^1].Name);
        Assert.Equal("unknown (0xca34) (51764)", Child(extensions, "unknown (0xca34) (51764)").Name);
        Assert.Equal("GREASE (0x5a5a)", Child(tree, "cipher_suites").Children[0].Name);

        var shares = Child(extensions, "key_share (51)");
        Assert.Equal("GREASE (0x8a8a), X25519MLKEM768, x25519", shares.Value);
        Assert.Equal(
            [("GREASE (0x8a8a)", "key of 1 byte"), ("X25519MLKEM768", "key of 1216 bytes"), ("x25519", "key of 32 bytes")],
            shares.Children.Select(child => (child.Name, child.Value)));
        Assert.Equal("GREASE (0x5a5a), TLS 1.3, TLS 1.2", Child(extensions, "supported_versions (43)").Value);
        Assert.Equal("h2, http/1.1", Child(extensions, "application_layer_protocol_negotiation (16)").Value);
        Assert.Equal("localhost", Child(extensions, "server_name (0)").Value);
        Assert.Equal("psk_dhe_ke", Child(extensions, "psk_key_exchange_modes (45)").Value);
        Assert.Equal("brotli", Child(extensions, "compress_certificate (27)").Value);
    }

    [Fact]
    public void A_resumption_hello_shows_each_identity_with_its_ticket_length_and_obfuscated_age()
    {
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client-resumption")));
        var offered = hello.PreSharedKey.IfNone(() => throw new Xunit.Sdk.XunitException("no PSK"));
        var identity = Assert.Single(offered.Identities);

        var psk = Child(Child(Dissect("openssl-s_client-resumption"), "extensions"), "pre_shared_key (41)");

        Assert.Equal("1 identity, 1 binder", psk.Value);
        Assert.Equal(
            $"ticket of {identity.Identity.Length} bytes, obfuscated_ticket_age 0x{identity.ObfuscatedTicketAge:x8}",
            Child(psk, "identity 0").Value);
        Assert.Equal($"HMAC of {offered.Binders[0].Length} bytes", Child(psk, "binder 0").Value);
    }

    [Theory]
    [InlineData("curl", true)]
    [InlineData("openssl-s_client-pha", true)]
    [InlineData("openssl-s_client", false)]
    public void Post_handshake_auth_is_shown_only_when_offered(string name, bool offered)
    {
        var extensions = Child(Dissect(name), "extensions");
        Assert.Equal(offered, extensions.Children.Any(child => child.Name == "post_handshake_auth (49)"));
    }

    [Fact]
    public void Python_padding_is_shown_as_zeros()
    {
        var padding = Child(Child(Dissect("python-ssl"), "extensions"), "padding (21)");
        Assert.EndsWith("bytes of zeros", padding.Value, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_truncation_of_a_real_hello_is_dissected_without_throwing(string name)
    {
        var message = TestData.FixtureHandshake(name);
        // Keep the header's length honest so the body parser, not the length check, meets the cut.
        for (var length = 4; length < message.Length; length += Math.Max(1, message.Length / 97))
        {
            var cut = message[..length].ToArray();
            var body = length - 4;
            cut[1] = (byte)(body >> 16);
            cut[2] = (byte)(body >> 8);
            cut[3] = (byte)body;

            var tree = HandshakeDissector.Dissect(cut);

            Assert.Equal("ClientHello", tree.Name);
            Assert.Contains(tree.DescendantsAndSelf(), node => node.Name == "malformed" || node.Value.StartsWith("malformed", StringComparison.Ordinal));
        }
    }

    private static bool IsGrease(ushort value) => BinaryPrimitives.ReverseEndianness(value) == value && (value & 0x0f) == 0x0a;
}
