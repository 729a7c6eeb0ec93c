using LanguageExt;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Tests.Protocol;

/// <summary>
/// Every encoder against its decoder, and where RFC 8448 shows the message, against its bytes: decoding
/// the trace and encoding the result must give the trace back exactly.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class ServerMessageCodecTests
{
    [Theory]
    [InlineData(0, 90, false)]  // §3 simple 1-RTT
    [InlineData(1, 96, true)]   // §4 resumption, pre_shared_key selected
    [InlineData(3, 123, false)] // §5 after the retry, secp256r1 share
    public void Rfc8448_server_hellos_round_trip_byte_for_byte(int occurrence, int length, bool psk)
    {
        var trace = TestData.Rfc8448("ServerHello", occurrence);
        Assert.Equal(length, trace.Length);
        Assert.False(ServerHelloCodec.IsHelloRetryRequest(trace));
        var hello = FinAssert.Succeeds(ServerHelloCodec.Decode(trace));
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, hello.CipherSuite);
        Assert.Equal(psk ? Some((ushort)0) : None, hello.SelectedPskIdentity);
        Assert.Equal(trace, ServerHelloCodec.Encode(hello));
    }

    [Fact]
    public void Rfc8448_hello_retry_request_round_trips_byte_for_byte()
    {
        var trace = TestData.Rfc8448("ServerHello", 2);
        Assert.True(ServerHelloCodec.IsHelloRetryRequest(trace));
        var request = FinAssert.Succeeds(HelloRetryRequestCodec.Decode(trace));
        Assert.Equal(NamedGroup.secp256r1, request.SelectedGroup);
        Assert.Equal(114, request.Cookie.Map(c => c.Length).IfNone(0));
        Assert.Equal(trace, HelloRetryRequestCodec.Encode(request));
        // The two decoders refuse each other's message instead of misreading it.
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, ServerHelloCodec.Decode(trace));
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, HelloRetryRequestCodec.Decode(TestData.Rfc8448("ServerHello", 0)));
    }

    [Fact]
    public void Hello_retry_request_without_cookie_and_with_session_echo()
    {
        var request = new HelloRetryRequest(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), CipherSuite.TLS_AES_256_GCM_SHA384, NamedGroup.secp384r1, None);
        var bytes = HelloRetryRequestCodec.Encode(request);
        var decoded = FinAssert.Succeeds(HelloRetryRequestCodec.Decode(bytes));
        Assert.Equal(request.LegacySessionIdEcho, decoded.LegacySessionIdEcho);
        Assert.Equal(request.CipherSuite, decoded.CipherSuite);
        Assert.Equal(request.SelectedGroup, decoded.SelectedGroup);
        Assert.True(decoded.Cookie.IsNone);
        Assert.True(ServerHelloCodec.IsHelloRetryRequest(bytes));
    }

    [Fact]
    public void Server_hello_round_trip()
    {
        var hello = new ServerHello(Enumerable.Repeat((byte)7, 32).ToArray(), [1, 2, 3], CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            new KeyShareEntry(NamedGroup.secp384r1, Enumerable.Repeat((byte)4, 97).ToArray()), Some((ushort)3));
        var decoded = FinAssert.Succeeds(ServerHelloCodec.Decode(ServerHelloCodec.Encode(hello)));
        Assert.Equal(hello.Random, decoded.Random);
        Assert.Equal(hello.LegacySessionIdEcho, decoded.LegacySessionIdEcho);
        Assert.Equal(hello.CipherSuite, decoded.CipherSuite);
        var sent = Assert.IsType<KeyShareEntry>(hello.KeyShare.Case);
        var received = Assert.IsType<KeyShareEntry>(decoded.KeyShare.Case);
        Assert.Equal(sent.Group, received.Group);
        Assert.Equal(sent.KeyExchange, received.KeyExchange);
        Assert.Equal(hello.SelectedPskIdentity, decoded.SelectedPskIdentity);
    }

    [Fact]
    public void A_psk_ke_server_hello_has_no_key_share_and_selects_a_psk()
    {
        var hello = new ServerHello(
            Enumerable.Repeat((byte)7, 32).ToArray(), [], CipherSuite.TLS_AES_128_GCM_SHA256, Option<KeyShareEntry>.None, Some((ushort)0));
        var encoded = ServerHelloCodec.Encode(hello);
        var decoded = FinAssert.Succeeds(ServerHelloCodec.Decode(encoded));
        Assert.True(decoded.KeyShare.IsNone);
        Assert.Equal(Some((ushort)0), decoded.SelectedPskIdentity);
        Assert.Throws<ArgumentException>(() => ServerHelloCodec.Encode(hello with { SelectedPskIdentity = Option<ushort>.None }));
    }

    [Fact]
    public void Encrypted_extensions_round_trip_and_rfc8448_decode()
    {
        foreach (var message in new[]
        {
            new EncryptedExtensions(false, None),
            new EncryptedExtensions(true, None),
            new EncryptedExtensions(true, Some("h2")),
            new EncryptedExtensions(false, Some("http/1.1")),
        })
        {
            Assert.Equal(message, FinAssert.Succeeds(EncryptedExtensionsCodec.Decode(EncryptedExtensionsCodec.Encode(message))));
        }
        Assert.Equal([8, 0, 0, 2, 0, 0], EncryptedExtensionsCodec.Encode(new EncryptedExtensions(false, None)));
        // RFC 8448 §3: supported_groups, record_size_limit and an empty server_name; the unknown ones are ignored.
        var rfc = FinAssert.Succeeds(EncryptedExtensionsCodec.Decode(TestData.Rfc8448("EncryptedExtensions", 0)));
        Assert.True(rfc.ServerNameAcknowledged);
        Assert.True(rfc.ApplicationProtocol.IsNone);
    }

    [Fact]
    public void Rfc8448_certificate_request_round_trips_byte_for_byte()
    {
        var trace = TestData.Rfc8448("CertificateRequest");
        var request = FinAssert.Succeeds(CertificateRequestCodec.Decode(trace));
        Assert.Empty(request.Context);
        Assert.Equal(15, request.SignatureAlgorithms.Count);
        Assert.Equal(SignatureScheme.ecdsa_secp256r1_sha256, request.SignatureAlgorithms[0]);
        Assert.Equal(trace, CertificateRequestCodec.Encode(request));
    }

    [Fact]
    public void Post_handshake_certificate_request_keeps_its_context()
    {
        var request = new CertificateRequest([9, 8, 7, 6, 5, 4, 3, 2], [SignatureScheme.rsa_pss_rsae_sha256]);
        var decoded = FinAssert.Succeeds(CertificateRequestCodec.Decode(CertificateRequestCodec.Encode(request)));
        Assert.Equal(request.Context, decoded.Context);
        Assert.Equal(request.SignatureAlgorithms, decoded.SignatureAlgorithms);
    }

    [Theory]
    [InlineData(0, 445)] // §3 server certificate
    [InlineData(2, 319)] // §6 server certificate, ECDSA
    [InlineData(3, 451)] // §6 client certificate
    public void Rfc8448_certificates_round_trip_byte_for_byte(int occurrence, int length)
    {
        var trace = TestData.Rfc8448("Certificate", occurrence);
        Assert.Equal(length, trace.Length);
        var certificate = FinAssert.Succeeds(CertificateCodec.Decode(trace));
        Assert.Empty(certificate.RequestContext);
        var der = Assert.Single(certificate.Certificates);
        Assert.Equal(0x30, der[0]); // a DER SEQUENCE
        Assert.Equal(trace, CertificateCodec.Encode(certificate));
    }

    [Fact]
    public void Certificate_chain_and_empty_list_round_trip()
    {
        var chain = new CertificateMessage([], [new byte[] { 0x30, 1, 2 }, new byte[] { 0x30, 3 }]);
        var decoded = FinAssert.Succeeds(CertificateCodec.Decode(CertificateCodec.Encode(chain)));
        Assert.Equal(chain.Certificates, decoded.Certificates);

        // A client declining post-handshake auth answers with the request's context and no certificates.
        var declined = new CertificateMessage([1, 2, 3, 4], []);
        var decodedDeclined = FinAssert.Succeeds(CertificateCodec.Decode(CertificateCodec.Encode(declined)));
        Assert.Equal(declined.RequestContext, decodedDeclined.RequestContext);
        Assert.Empty(decodedDeclined.Certificates);
    }

    [Fact]
    public void Client_certificate_entry_extensions_are_skipped()
    {
        // One certificate entry whose extensions hold status_request data, as some clients send.
        byte[] body = [0, 0, 0, 12, 0, 0, 2, 0x30, 0, 0, 5, 0, 5, 0, 1, 0xAA];
        var message = HandshakeFraming.Frame(HandshakeType.Certificate, body);
        var decoded = FinAssert.Succeeds(CertificateCodec.Decode(message));
        Assert.Equal([0x30, 0], Assert.Single(decoded.Certificates));
    }

    [Theory]
    [InlineData(0, 136)] // §3 server, rsa_pss_rsae_sha256
    [InlineData(2, 79)]  // §6 server, ecdsa_secp256r1_sha256
    public void Rfc8448_certificate_verify_round_trips_byte_for_byte(int occurrence, int length)
    {
        var trace = TestData.Rfc8448("CertificateVerify", occurrence);
        Assert.Equal(length, trace.Length);
        var verify = FinAssert.Succeeds(CertificateVerifyCodec.Decode(trace));
        Assert.Equal(length - 8, verify.Signature.Length);
        Assert.Equal(trace, CertificateVerifyCodec.Encode(verify));
    }

    [Fact]
    public void Rfc8448_finished_round_trips_and_length_is_checked()
    {
        var trace = TestData.Rfc8448("Finished");
        var finished = FinAssert.Succeeds(FinishedCodec.Decode(trace, 32));
        Assert.Equal(trace, FinishedCodec.Encode(finished));
        FinAssert.FailsWith(AlertDescription.DecodeError, FinishedCodec.Decode(trace, 48));
    }

    [Fact]
    public void Rfc8448_new_session_ticket_round_trips_byte_for_byte()
    {
        var trace = TestData.Rfc8448("NewSessionTicket");
        var ticket = FinAssert.Succeeds(NewSessionTicketCodec.Decode(trace));
        Assert.Equal(30u, ticket.LifetimeSeconds);
        Assert.Equal(0xFAD6AAC5u, ticket.AgeAdd);
        Assert.Equal([0, 0], ticket.Nonce);
        Assert.Equal(178, ticket.Ticket.Length);
        Assert.Equal(ExtensionType.EarlyData, Assert.Single(ticket.Extensions).Type);
        Assert.Equal(trace, NewSessionTicketCodec.Encode(ticket));
    }

    [Fact]
    public void New_session_ticket_with_eight_byte_nonce_round_trips()
    {
        var ticket = new NewSessionTicket(7200, 0x01020304, [0, 0, 0, 0, 0, 0, 0, 5], Enumerable.Repeat((byte)0xAB, 100).ToArray(), []);
        var decoded = FinAssert.Succeeds(NewSessionTicketCodec.Decode(NewSessionTicketCodec.Encode(ticket)));
        Assert.Equal(ticket.LifetimeSeconds, decoded.LifetimeSeconds);
        Assert.Equal(ticket.AgeAdd, decoded.AgeAdd);
        Assert.Equal(ticket.Nonce, decoded.Nonce);
        Assert.Equal(ticket.Ticket, decoded.Ticket);
        Assert.Empty(decoded.Extensions);
    }

    [Fact]
    public void Key_update_round_trips_and_rejects_other_values()
    {
        foreach (var request in new[] { KeyUpdateRequest.UpdateNotRequested, KeyUpdateRequest.UpdateRequested })
            Assert.Equal(request, FinAssert.Succeeds(KeyUpdateCodec.Decode(KeyUpdateCodec.Encode(request))));
        Assert.Equal([24, 0, 0, 1, 1], KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateRequested));
        FinAssert.FailsWith(AlertDescription.IllegalParameter, KeyUpdateCodec.Decode([24, 0, 0, 1, 2]));
        FinAssert.FailsWith(AlertDescription.DecodeError, KeyUpdateCodec.Decode([24, 0, 0, 2, 0, 0]));
    }

    [Fact]
    public void Alert_round_trips_with_rfc_levels()
    {
        Assert.Equal([2, 40], AlertCodec.Encode(AlertMessage.For(AlertDescription.HandshakeFailure)));
        Assert.Equal([1, 0], AlertCodec.Encode(AlertMessage.For(AlertDescription.CloseNotify)));
        Assert.Equal(new AlertMessage(AlertLevel.Fatal, AlertDescription.DecodeError), FinAssert.Succeeds(AlertCodec.Decode([2, 50])));
        FinAssert.FailsWith(AlertDescription.DecodeError, AlertCodec.Decode([2]));
    }

    [Fact]
    public void Message_hash_frames_the_first_hello_hash()
    {
        var hash = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        Assert.Equal([254, 0, 0, 32, .. hash], HandshakeFraming.MessageHash(hash));
    }

    [Fact]
    public void Decoders_reject_the_wrong_message_type()
    {
        var finished = FinishedCodec.Encode(new Finished(new byte[32]));
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, CertificateCodec.Decode(finished));
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, CertificateVerifyCodec.Decode(finished));
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, KeyUpdateCodec.Decode(finished));
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, ClientHelloCodec.Parse(finished));
    }
}
