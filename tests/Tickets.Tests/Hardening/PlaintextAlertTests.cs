using System.Text;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 3: once keys are installed, every record is protected and its outer type is application_data (RFC 8446 §5).
/// A plaintext alert then cannot come from the peer, who would have encrypted it; anyone on the path can inject one.
/// Read as a close_notify it ended the stream "cleanly" and silently dropped what the client sent after it.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class PlaintextAlertTests
{
    private static readonly byte[] ForgedCloseNotify = ScriptedSession.Plaintext(ContentType.Alert, 1, (byte)AlertDescription.CloseNotify);

    [Fact]
    public async Task A_forged_plaintext_close_notify_after_the_handshake_is_unexpected_message_not_the_end_of_the_data()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await ScriptedSession.ConnectAsync(context);
        await session.Handshake.WaitAsync(TimeSpan.FromSeconds(10));

        await session.SendAsync(ContentType.ApplicationData, "before"u8);
        await session.SendRawAsync(ForgedCloseNotify);
        await session.SendAsync(ContentType.ApplicationData, "after"u8);

        var buffer = new byte[64];
        var first = await session.Connection.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("before", Encoding.ASCII.GetString(buffer, 0, first));

        // Not 0 (a clean end that would lose "after"): the connection fails, and says why to the client.
        var failure = await Assert.ThrowsAsync<IOException>(() => session.Connection.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("UnexpectedMessage", failure.Message, StringComparison.Ordinal);
        Assert.Equal(AlertDescription.UnexpectedMessage, await session.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task A_plaintext_alert_after_the_clients_first_protected_record_is_unexpected_message()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await ScriptedSession.ConnectAsync(context, beforeFinished: async client =>
        {
            // The first two bytes of a Finished, protected: the client has its handshake keys, so it has no reason to
            // send anything in the clear any more.
            await client.SendAsync(client.HandshakeSealer, ContentType.Handshake, [(byte)HandshakeType.Finished, 0]);
            await client.SendRawAsync(ForgedCloseNotify);
            return false;
        });

        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(AlertDescription.UnexpectedMessage, failure.Alert);
        Assert.False(failure.SentByPeer);
        // Our alert, under the server's handshake key.
        Assert.Equal(1, await RecordsUntilClosedAsync(session));
    }

    [Fact]
    public async Task A_client_that_cannot_use_our_flight_may_send_its_alert_in_the_clear()
    {
        // RFC 8446 Appendix A.1: a client may send alerts that derive from post-ServerHello messages in the clear (it may
        // have no keys). OpenSSL reads them as the client's; so do we, until the client's first protected record.
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await ScriptedSession.ConnectAsync(context, beforeFinished: async client =>
        {
            await client.SendRawAsync(ScriptedSession.Plaintext(ContentType.Alert, 2, (byte)AlertDescription.UnknownCa));
            return false;
        });

        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(AlertDescription.UnknownCa, failure.Alert);
        Assert.True(failure.SentByPeer);
        // The client said why it left: no alert of ours follows (tlsfuzzer's test-tls13-unencrypted-alert expects a close).
        Assert.Equal(0, await RecordsUntilClosedAsync(session));
    }

    /// <summary>How many records the server sends after its flight before it closes (they are not opened).</summary>
    private static async Task<int> RecordsUntilClosedAsync(ScriptedSession session)
    {
        var count = 0;
        while (await ScriptedClient.TryReadRawRecordAsync(session.Client).WaitAsync(TimeSpan.FromSeconds(10)) is not null)
        {
            count++;
        }

        return count;
    }
}
