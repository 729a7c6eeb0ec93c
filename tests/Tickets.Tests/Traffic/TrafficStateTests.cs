using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;
using Tickets.Traffic;

namespace Tickets.Tests.Traffic;

/// <summary>
/// The connection after its handshake as a state that answers each message with effects, tested without a socket: the
/// client's KeyUpdate (both requests, the record-boundary rule, the cap on KeyUpdates in a row), post-handshake
/// authentication from the request to the tickets it issues (a certificate, a refusal, a bad Finished, messages out of
/// turn), and the ticket requests around them.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TrafficStateTests
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Client)> Certificates = new(CreateCertificates);

    private static (X509Certificate2, X509Certificate2) CreateCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=traffic test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=traffic test client", clientKey, HashAlgorithmName.SHA256)
            .Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        return (X509CertificateLoader.LoadCertificate(ca.RawData), issued.CopyWithPrivateKey(clientKey));
    }

    private static TicketServerContext RequestingContext() => new(TestCertificates.EcdsaP256)
    {
        ClientCertificateMode = ClientCertificateMode.Request,
        ClientCertificateAuthorities = [Certificates.Value.Ca],
    };

    private static async Task<TrafficEffect> SingleAsync(TrafficState state, byte[] record) =>
        Assert.Single(await state.ReceiveAsync(record));

    private static TrafficEffect.Fail AssertFails(AlertDescription alert, IReadOnlyList<TrafficEffect> effects)
    {
        var failure = Assert.IsType<TrafficEffect.Fail>(effects[^1]);
        Assert.Equal(alert, failure.Alert);
        return failure;
    }

    [Fact]
    public void The_handshake_issues_the_count_bound_to_its_authentication_context()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetNumTickets(3).IsSucc);
        using var client = TrafficClient.AfterHandshake(context);

        Assert.Equal(3, client.Ledger.Core.SentTickets);
        Assert.True(client.Ledger.Core.HandshakeComplete);
        var extra = client.State.RequestExtraTickets(1);
        Assert.Equal(client.Session.AuthenticationContext, extra.Grant.BoundTo);
        Assert.Equal(3UL, extra.Grant.Decision.FirstNonce);
    }

    [Fact]
    public async Task A_KeyUpdate_switches_the_read_key_and_asks_for_no_answer_unless_requested()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);

        var switched = Assert.IsType<TrafficEffect.SwitchReadKey>(
            await SingleAsync(client.State, TrafficClient.KeyUpdate(KeyUpdateRequest.UpdateNotRequested)));
        using (switched.Key)
        {
            Assert.Equal("after"u8.ToArray(), TrafficClient.Open(switched.Key, client.SealedUnderNextClientKey("after"u8)));
        }
    }

    [Fact]
    public async Task A_KeyUpdate_asking_for_ours_switches_both_directions()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);

        var effects = await client.State.ReceiveAsync(TrafficClient.KeyUpdate(KeyUpdateRequest.UpdateRequested));

        Assert.Equal(2, effects.Count);
        using var readKey = Assert.IsType<TrafficEffect.SwitchReadKey>(effects[0]).Key;
        Assert.Same(TrafficEffect.UpdateWriteKey.Instance, effects[1]);
        using var writeKey = client.State.NextWriteKey();
        var record = ScriptedSession.Sealed(writeKey, ContentType.ApplicationData, "ours"u8);
        Assert.Equal("ours"u8.ToArray(), client.OpenUnderNextServerKey(record));
        Assert.Equal(KeyUpdateRequest.UpdateNotRequested, FinAssert.Succeeds(KeyUpdateCodec.Decode(TrafficState.OwnKeyUpdate.Span)));
    }

    [Fact]
    public async Task A_KeyUpdate_must_end_its_record()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);
        var keyUpdate = TrafficClient.KeyUpdate(KeyUpdateRequest.UpdateNotRequested);

        // Another message behind it, or the first bytes of one: the new key would have to apply mid-record.
        AssertFails(AlertDescription.UnexpectedMessage, await client.State.ReceiveAsync(keyUpdate.Concat(keyUpdate).ToArray()));
        using var other = TrafficClient.AfterHandshake(context);
        var failure = AssertFails(AlertDescription.UnexpectedMessage, await other.State.ReceiveAsync(keyUpdate.Concat(keyUpdate[..2]).ToArray()));
        Assert.Contains("record boundary", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5)]
    [InlineData(4, 1)]
    public async Task Application_data_between_the_fragments_of_a_KeyUpdate_is_unexpected(int firstFragment, int dataLength)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);
        var keyUpdate = TrafficClient.KeyUpdate(KeyUpdateRequest.UpdateRequested);

        // tlsfuzzer's "N/M fragmented keyupdate msg, appdata between": RFC 8446 §5.1 forbids interleaving.
        Assert.Empty(await client.State.ReceiveAsync(keyUpdate[..firstFragment]));
        var failure = Assert.Throws<TlsAlertException>(() => client.State.ApplicationDataReceived(dataLength));
        Assert.Equal(AlertDescription.UnexpectedMessage, failure.Alert);

        // Once a message is whole, data is welcome again.
        using var other = TrafficClient.AfterHandshake(context);
        Assert.Empty(await other.State.ReceiveAsync(keyUpdate[..firstFragment]));
        var effects = await other.State.ReceiveAsync(keyUpdate[firstFragment..]);
        using var key = Assert.IsType<TrafficEffect.SwitchReadKey>(effects[0]).Key;

        other.State.ApplicationDataReceived(dataLength);
    }

    [Fact]
    public async Task At_most_32_KeyUpdates_in_a_row_and_application_data_starts_the_count_again()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);
        var keyUpdate = TrafficClient.KeyUpdate(KeyUpdateRequest.UpdateNotRequested);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < RecordLimits.MaxConsecutiveKeyUpdates; i++)
            {
                using var key = Assert.IsType<TrafficEffect.SwitchReadKey>(await SingleAsync(client.State, keyUpdate)).Key;
            }

            client.State.ApplicationDataReceived(1);
        }

        for (var i = 0; i < RecordLimits.MaxConsecutiveKeyUpdates; i++)
        {
            using var key = Assert.IsType<TrafficEffect.SwitchReadKey>(await SingleAsync(client.State, keyUpdate)).Key;
        }

        var failure = AssertFails(AlertDescription.UnexpectedMessage, await client.State.ReceiveAsync(keyUpdate));
        Assert.Contains("KeyUpdates without application data", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HandshakeType.Certificate)]
    [InlineData(HandshakeType.CertificateVerify)]
    [InlineData(HandshakeType.Finished)]
    public async Task An_answer_nobody_asked_for_is_unexpected(HandshakeType type)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);

        var failure = AssertFails(AlertDescription.UnexpectedMessage, await client.State.ReceiveAsync(HandshakeFraming.Frame(type, [0, 0, 0, 0])));
        Assert.Contains("without a CertificateRequest", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HandshakeType.ClientHello)]
    [InlineData(HandshakeType.NewSessionTicket)]
    [InlineData(HandshakeType.EndOfEarlyData)]
    public async Task Other_handshake_messages_after_the_handshake_are_unexpected(HandshakeType type)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var client = TrafficClient.AfterHandshake(context);

        AssertFails(AlertDescription.UnexpectedMessage, await client.State.ReceiveAsync(HandshakeFraming.Frame(type, [])));
    }

    [Fact]
    public async Task A_certificate_answer_completes_the_authentication_and_issues_tickets_with_the_new_identity()
    {
        using var context = RequestingContext();
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();

        // Split over two records, as a client may send it: the state carries the partial message across.
        var answer = client.Answer(ask.Authentication.Request, Certificates.Value.Client).SelectMany(message => message).ToArray();
        Assert.Empty(await client.State.ReceiveAsync(answer[..100]));
        var completed = Assert.IsType<TrafficEffect.CompleteAuthentication>(await SingleAsync(client.State, answer[100..]));

        Assert.Same(ask.Authentication, completed.Authentication);
        var peer = (PeerIdentity)completed.Peer.Case!;
        Assert.Equal("CN=traffic test client", peer.Subject);
        Assert.True(peer.Verified);
        Assert.Equal(2, completed.Tickets.Grant.Decision.Count);
        Assert.Equal(completed.Peer, completed.Tickets.Grant.Decision.Peer);
        Assert.Equal(ask.Authentication.Context, completed.Tickets.Grant.BoundTo);
        Assert.Equal(completed.Peer, client.Ledger.Core.Peer);
        Assert.Equal(1, client.Ledger.Core.PostHandshakeAuthentications);
        // Answered, so the next request may go out; the tickets asked for later carry the identity too.
        using var next = client.State.RequestClientCertificate().Authentication;
        Assert.Equal(completed.Peer, client.State.RequestExtraTickets(1).Grant.Decision.Peer);
        completed.Authentication.Dispose();
    }

    [Fact]
    public async Task An_empty_certificate_completes_the_authentication_without_an_identity()
    {
        using var context = RequestingContext();
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();

        var effects = await client.State.ReceiveAsync(client.Answer(ask.Authentication.Request, certificate: null).SelectMany(m => m).ToArray());

        var completed = Assert.IsType<TrafficEffect.CompleteAuthentication>(Assert.Single(effects));
        Assert.True(completed.Peer.IsNone);
        Assert.Equal(2, completed.Tickets.Grant.Decision.Count);
        completed.Authentication.Dispose();
    }

    [Fact]
    public async Task A_required_certificate_that_is_withheld_ends_with_certificate_required()
    {
        using var context = RequestingContext();
        context.ClientCertificateMode = ClientCertificateMode.Require;
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();

        var effects = await client.State.ReceiveAsync(client.Answer(ask.Authentication.Request, certificate: null)[0]);

        AssertFails(AlertDescription.CertificateRequired, effects);
        Assert.Equal(0, client.Ledger.Core.PostHandshakeAuthentications);
    }

    [Fact]
    public async Task A_Finished_that_does_not_verify_is_decrypt_error_and_issues_nothing()
    {
        using var context = RequestingContext();
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();
        var sent = client.Ledger.Core.SentTickets;

        var answer = client.Answer(ask.Authentication.Request, Certificates.Value.Client, corruptFinished: true);
        var effects = await client.State.ReceiveAsync(answer.SelectMany(m => m).ToArray());

        AssertFails(AlertDescription.DecryptError, effects);
        Assert.Single(effects);
        Assert.Equal(sent, client.Ledger.Core.SentTickets);
        Assert.True(client.Ledger.Core.Peer.IsNone);
    }

    [Fact]
    public async Task The_answer_must_come_in_order()
    {
        using var context = RequestingContext();
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();
        var answer = client.Answer(ask.Authentication.Request, Certificates.Value.Client);

        // Finished straight after a non-empty Certificate skips its CertificateVerify.
        var effects = await client.State.ReceiveAsync(answer[0].Concat(answer[2]).ToArray());

        var failure = AssertFails(AlertDescription.UnexpectedMessage, effects);
        Assert.Contains("CertificateVerify", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_needs_the_clients_offer_and_no_other_request_waiting()
    {
        using var context = RequestingContext();
        using (var silent = TrafficClient.AfterHandshake(context, postHandshakeAuth: false))
        {
            Assert.Throws<InvalidOperationException>(() => silent.State.RequestClientCertificate());
        }

        using var client = TrafficClient.AfterHandshake(context);
        var first = client.State.RequestClientCertificate();
        var refusal = Assert.Throws<InvalidOperationException>(() => client.State.RequestClientCertificate());
        Assert.Contains("already waiting", refusal.Message, StringComparison.Ordinal);
        Assert.False(first.Authentication.Completion.IsCompleted);
    }

    [Fact]
    public async Task Abandoning_fails_the_waiting_authentication_with_the_error_and_frees_the_slot()
    {
        using var context = RequestingContext();
        using var client = TrafficClient.AfterHandshake(context);
        var ask = client.State.RequestClientCertificate();

        var error = new IOException("gone");
        Assert.Same(error, client.State.Abandon(error));

        Assert.Same(error, await Assert.ThrowsAsync<IOException>(() => ask.Authentication.Completion));
        // Its answer, should it still come, now answers nothing.
        var late = client.Answer(ask.Authentication.Request, certificate: null)[0];
        AssertFails(AlertDescription.UnexpectedMessage, await client.State.ReceiveAsync(late));
        using var next = client.State.RequestClientCertificate().Authentication;
    }

    [Fact]
    public void Extra_tickets_ignore_the_count_and_the_resumption_cap()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetNumTickets(0).IsSucc);
        using var client = TrafficClient.AfterHandshake(context, resumed: true);

        var extra = client.State.RequestExtraTickets(5);

        Assert.Equal(5, extra.Grant.Decision.Count);
        Assert.Equal(5, client.Ledger.Core.ExtraTicketsIssued);
    }

    [Fact]
    public void Our_key_is_due_for_replacement_at_the_contexts_limit()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { RecordsPerWriteKey = 4 };
        using var client = TrafficClient.AfterHandshake(context);

        Assert.False(client.State.WriteKeyDue(3));
        Assert.True(client.State.WriteKeyDue(4));
        using var productionContext = new TicketServerContext(TestCertificates.EcdsaP256);
        using var production = TrafficClient.AfterHandshake(productionContext);
        Assert.False(production.State.WriteKeyDue((1UL << 24) - 1));
        Assert.True(production.State.WriteKeyDue(1UL << 24));
    }
}
