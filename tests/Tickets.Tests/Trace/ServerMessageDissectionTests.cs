using Tickets.Core.Protocol;
using Tickets.Trace;
using Tickets.Tests.Engine;

namespace Tickets.Tests.Trace;

/// <summary>The dissector over the messages a server sends, built with the real encoders.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ServerMessageDissectionTests
{
    private static TraceNode Child(TraceNode node, string name) =>
        node.Children.SingleOrDefault(child => child.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no '{name}' under '{node.Name}': {string.Join(", ", node.Children.Select(c => c.Name))}");

    [Fact]
    public void NewSessionTicket_shows_lifetime_age_add_nonce_counter_and_ticket_length()
    {
        var nonce = new byte[] { 0, 0, 0, 0, 0, 0, 0, 5 };
        var message = NewSessionTicketCodec.Encode(new NewSessionTicket(7200, 0xdeadbeef, nonce, new byte[111], []));

        var tree = HandshakeDissector.Dissect(message);

        Assert.Equal("NewSessionTicket", tree.Name);
        Assert.Equal("7200 s", Child(tree, "ticket_lifetime").Value);
        Assert.Equal("0xdeadbeef", Child(tree, "ticket_age_add").Value);
        Assert.Equal("0000000000000005 (counter 5)", Child(tree, "ticket_nonce").Value);
        Assert.Equal("111 bytes", Child(tree, "ticket").Value);
        Assert.Equal("0 extensions", Child(tree, "extensions").Value);
    }

    [Fact]
    public void A_HelloRetryRequest_is_recognised_by_its_random_and_shows_the_group_it_asks_for()
    {
        var message = HelloRetryRequestCodec.Encode(new HelloRetryRequest(new byte[32], CipherSuite.TLS_AES_128_GCM_SHA256, NamedGroup.secp256r1, LanguageExt.Option<Tickets.Core.Bytes>.None));

        var tree = HandshakeDissector.Dissect(message);

        Assert.Equal("HelloRetryRequest", tree.Name);
        Assert.Equal("TLS_AES_128_GCM_SHA256", Child(tree, "cipher_suite").Value);
        var extensions = Child(tree, "extensions");
        Assert.Equal("selected_group secp256r1", Child(extensions, "key_share (51)").Value);
        Assert.Equal("selected TLS 1.3", Child(extensions, "supported_versions (43)").Value);
    }

    [Fact]
    public void EncryptedExtensions_show_the_acknowledged_name_and_chosen_protocol()
    {
        var message = EncryptedExtensionsCodec.Encode(new EncryptedExtensions(true, LanguageExt.Option<string>.Some("http/1.1")));

        var extensions = Child(HandshakeDissector.Dissect(message), "extensions");

        Assert.Equal("acknowledged (the server used the name)", Child(extensions, "server_name (0)").Value);
        Assert.Equal("http/1.1", Child(extensions, "application_layer_protocol_negotiation (16)").Value);
    }

    [Fact]
    public void Certificate_shows_the_subject_of_each_certificate()
    {
        var der = TestCertificates.EcdsaP256.RawData;
        var message = CertificateCodec.Encode(new CertificateMessage([], [der]));

        var list = Child(HandshakeDissector.Dissect(message), "certificate_list");

        Assert.Equal("1 certificate", list.Value);
        Assert.Equal($"{der.Length} bytes, subject {TestCertificates.EcdsaP256.Subject}", Child(list, "certificate 0").Value);
    }

    [Fact]
    public void CertificateRequest_and_KeyUpdate_are_dissected()
    {
        var request = CertificateRequestCodec.Encode(new CertificateRequest([1, 2], [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256]));
        var requestTree = HandshakeDissector.Dissect(request);
        Assert.Equal("2 bytes", Child(requestTree, "certificate_request_context").Value);
        Assert.Equal("ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256", Child(Child(requestTree, "extensions"), "signature_algorithms (13)").Value);

        var update = HandshakeDissector.Dissect(KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateRequested));
        Assert.Equal("KeyUpdate", update.Name);
        Assert.Equal("update_requested", Child(update, "request_update").Value);
    }

    [Fact]
    public void A_header_that_lies_about_the_length_is_reported_not_trusted()
    {
        var message = FinishedCodec.Encode(new Finished(new byte[32]));
        message[3]++;

        var tree = HandshakeDissector.Dissect(message);

        Assert.Equal("Finished", tree.Name);
        Assert.Equal("header says 33, message has 32", Child(tree, "length mismatch").Value);
    }

    [Fact]
    public void Client_text_is_escaped_so_a_trace_cannot_drive_a_terminal()
    {
        var alpn = ExtensionBodies.Alpn(["h2\u001b[2J"]);

        var node = ExtensionDissector.Dissect((ushort)ExtensionType.ApplicationLayerProtocolNegotiation, alpn, ExtensionContext.ClientHello);

        Assert.Equal("h2\\x1b[2J", node.Value);
    }

    [Theory]
    [InlineData((ushort)0x0a0a, true)]
    [InlineData((ushort)0xfafa, true)]
    [InlineData((ushort)0x1a2a, false)]
    [InlineData((ushort)0x0b0b, false)]
    [InlineData((ushort)0x001d, false)]
    public void Grease_values_are_recognised(ushort value, bool grease) => Assert.Equal(grease, TlsNames.IsGrease(value));
}
