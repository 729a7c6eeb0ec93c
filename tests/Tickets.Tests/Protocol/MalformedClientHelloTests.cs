using Tickets.Core;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>Targeted corruptions of real ClientHellos, each with the alert RFC 8446 prescribes.</summary>
[Trait("Category", TestCategory.Unit)]
public class MalformedClientHelloTests
{
    private static byte[] Message(string name) => TestData.FixtureHandshake(name);

    private static ClientHello Hello(string name) => FinAssert.Succeeds(ClientHelloCodec.Parse(Message(name)));

    private static byte[] Reframe(ReadOnlySpan<byte> body) => HandshakeFraming.Frame(HandshakeType.ClientHello, body);

    /// <summary>Offset of the 2-byte extensions block length, found by walking the fixed fields.</summary>
    private static int ExtensionsLengthOffset(byte[] message)
    {
        var offset = 4 + 2 + 32;
        offset += 1 + message[offset];
        offset += 2 + ((message[offset] << 8) | message[offset + 1]);
        offset += 1 + message[offset];
        return offset;
    }

    [Theory]
    [InlineData("openssl-s_client")]
    [InlineData("chromium")]
    [InlineData("openssl-s_client-resumption")]
    public void Every_truncation_is_decode_error(string name)
    {
        var message = Message(name);
        var bareHello = ExtensionsLengthOffset(message) - 4; // body cut right before the extensions block
        for (var cut = 0; cut < message.Length - 4; cut++)
        {
            // Cut inside the body but keep the header honest, so the inner length checks must catch it.
            var result = ClientHelloCodec.Parse(Reframe(message.AsSpan(4, cut)));
            if (cut == bareHello)
                FinAssert.Succeeds(result); // a hello without extensions is well formed (and later refused as TLS 1.2)
            else
                FinAssert.FailsWith(AlertDescription.DecodeError, result);
            // Cut without fixing the header: the header's length no longer matches.
            FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(message.AsSpan(0, 4 + cut)));
        }
    }

    [Fact]
    public void Header_length_off_by_one_either_way_is_decode_error()
    {
        var message = Message("node");
        foreach (var delta in new[] { -1, 1 })
        {
            var corrupt = (byte[])message.Clone();
            var length = message.Length - 4 + delta;
            corrupt[1] = (byte)(length >> 16);
            corrupt[2] = (byte)(length >> 8);
            corrupt[3] = (byte)length;
            FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(corrupt));
        }
    }

    [Fact]
    public void Extensions_block_length_off_by_one_is_decode_error()
    {
        var message = Message("java-jsse");
        var at = ExtensionsLengthOffset(message);
        foreach (var delta in new[] { -1, 1 })
        {
            var corrupt = (byte[])message.Clone();
            var length = ((message[at] << 8) | message[at + 1]) + delta;
            corrupt[at] = (byte)(length >> 8);
            corrupt[at + 1] = (byte)length;
            FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(corrupt));
        }
    }

    [Fact]
    public void Inner_list_length_off_by_one_is_decode_error()
    {
        // supported_versions body says its list is one byte longer than it is.
        var hello = Hello("curl");
        var broken = hello.Extensions.Select(e =>
            e.Type == ExtensionType.SupportedVersions ? new Extension(e.Type, [(byte)(e.Data[0] + 1), .. e.Data[1..]]) : e).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = broken })));
    }

    [Fact]
    public void Duplicate_extension_is_illegal_parameter()
    {
        var hello = Hello("dotnet-sslstream");
        var doubled = hello.Extensions.Prepend(hello.Extensions.Single(e => e.Type == ExtensionType.ServerName)).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.IllegalParameter, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = doubled })));

        // Unknown types count too: §4.2 forbids any repeat.
        var grease = Hello("chromium");
        var repeated = grease.Extensions.Append(grease.Extensions[0]).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.IllegalParameter, ClientHelloCodec.Parse(ClientHelloCodec.Encode(grease with { Extensions = repeated })));
    }

    [Fact]
    public void Pre_shared_key_not_last_is_illegal_parameter()
    {
        var hello = Hello("openssl-s_client-resumption");
        var psk = hello.Extensions[^1];
        var moved = hello.Extensions.Take(hello.Extensions.Count - 1).Prepend(psk).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.IllegalParameter, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = moved })));
    }

    [Fact]
    public void Identity_and_binder_counts_must_match()
    {
        var hello = Hello("openssl-s_client-resumption");
        var offer = hello.PreSharedKey.IfNone(() => throw new Xunit.Sdk.XunitException("no PSK"));
        var twoBinders = ExtensionBodies.PreSharedKeyOffered(offer.Identities, [offer.Binders[0], offer.Binders[0]]);
        var extensions = hello.Extensions.Select(e => e.Type == ExtensionType.PreSharedKey ? new Extension(e.Type, twoBinders) : e).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.IllegalParameter, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
    }

    [Fact]
    public void Short_binder_is_decode_error()
    {
        var hello = Hello("openssl-s_client-resumption");
        var offer = hello.PreSharedKey.IfNone(() => throw new Xunit.Sdk.XunitException("no PSK"));
        var shortBinder = ExtensionBodies.PreSharedKeyOffered(offer.Identities, [new byte[31], new byte[32]]);
        var extensions = hello.Extensions.Select(e => e.Type == ExtensionType.PreSharedKey ? new Extension(e.Type, shortBinder) : e).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
    }

    [Fact]
    public void Two_shares_for_one_group_is_illegal_parameter()
    {
        var hello = Hello("node");
        var share = hello.KeyShares[0];
        var extensions = hello.Extensions.Select(e => e.Type == ExtensionType.KeyShare
            ? new Extension(e.Type, ExtensionBodies.KeyShareOffered([share, share])) : e).ToEquatableArray();
        // A rule of §4.2.8 rather than of the encoding: the negotiator checks it, with the other key_share rules.
        var parsed = FinAssert.Succeeds(ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Tickets.Core.Negotiation.Negotiator.Negotiate(
            parsed, Tickets.Core.Negotiation.ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256])));
    }

    public static TheoryData<string, byte[]> EmptyMandatoryLists => new()
    {
        { "supported_versions", [0] },
        { "supported_groups", [0, 0] },
        { "signature_algorithms", [0, 0] },
        { "psk_key_exchange_modes", [0] },
        { "server_name", [0, 0] },
        { "alpn", [0, 0] },
        { "odd_supported_groups", [0, 3, 0, 0x1d, 0] },
        { "post_handshake_auth_with_data", [1] },
        { "cookie", [0, 0] },
        { "ticket_request", [1] },
    };

    [Theory]
    [MemberData(nameof(EmptyMandatoryLists))]
    public void Empty_or_malformed_lists_are_decode_error(string what, byte[] body)
    {
        var type = what switch
        {
            "supported_versions" => ExtensionType.SupportedVersions,
            "supported_groups" or "odd_supported_groups" => ExtensionType.SupportedGroups,
            "signature_algorithms" => ExtensionType.SignatureAlgorithms,
            "psk_key_exchange_modes" => ExtensionType.PskKeyExchangeModes,
            "server_name" => ExtensionType.ServerName,
            "alpn" => ExtensionType.ApplicationLayerProtocolNegotiation,
            "post_handshake_auth_with_data" => ExtensionType.PostHandshakeAuth,
            "cookie" => ExtensionType.Cookie,
            _ => ExtensionType.TicketRequest,
        };
        var hello = Hello("openssl-s_client");
        var extensions = hello.Extensions.Where(e => e.Type != type).Append(new Extension(type, body)).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
    }

    [Fact]
    public void Fixed_fields_are_bounded()
    {
        var hello = Hello("openssl-s_client");
        // 33-byte session id, empty and odd cipher suite lists, empty compression list.
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { LegacySessionId = new byte[33] })));
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { CipherSuites = [] })));
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { CompressionMethods = [] })));
        var message = ClientHelloCodec.Encode(hello);
        var suitesAt = 4 + 2 + 32 + 1 + 32;
        message[suitesAt + 1] |= 1; // odd suite list length
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(message));
    }

    [Fact]
    public void Trailing_bytes_after_extensions_are_decode_error()
    {
        var message = Message("node");
        var body = message.AsSpan(4).ToArray().Append((byte)0).ToArray();
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(Reframe(body)));
    }

    [Fact]
    public void Host_name_with_control_bytes_is_decode_error()
    {
        var hello = Hello("dotnet-sslstream");
        byte[] body = [0, 6, 0, 0, 3, (byte)'a', 0, (byte)'b'];
        var extensions = hello.Extensions.Select(e => e.Type == ExtensionType.ServerName ? new Extension(e.Type, body) : e).ToEquatableArray();
        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
    }

    [Fact]
    public void Ticket_request_is_decoded()
    {
        var hello = Hello("node");
        var extensions = hello.Extensions.Append(new Extension(ExtensionType.TicketRequest, ExtensionBodies.TicketRequest(new TicketRequest(3, 1)))).ToEquatableArray();
        var parsed = FinAssert.Succeeds(ClientHelloCodec.Parse(ClientHelloCodec.Encode(hello with { Extensions = extensions })));
        Assert.Equal(new TicketRequest(3, 1), parsed.TicketRequest.IfNone(() => throw new Xunit.Sdk.XunitException("no ticket_request")));
    }
}
