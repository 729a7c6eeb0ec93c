using Tickets.Core.Protocol;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Traffic;

/// <summary>
/// A post-handshake authentication that nobody reads for reads the client's records itself: the application data that
/// comes before the answer waits, in order, for the application's next read, and only up to 1 MiB of it, beyond which the
/// answer is left to the application's reads. In process, against a scripted client that declines the request.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class PostHandshakeReadingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static async Task<ScriptedSession> EstablishedAsync(TicketServerContext context)
    {
        var session = await ScriptedSession.ConnectAsync(context, TestData.FixtureHandshake("openssl-s_client-pha"));
        await session.Handshake.WaitAsync(Patience);
        Assert.True(session.Connection.PostHandshakeAuthOffered);
        return session;
    }

    /// <summary>What the client reads until the CertificateRequest (the handshake's tickets come first).</summary>
    private static async Task<byte[]> CertificateRequestAsync(ScriptedSession session)
    {
        while (await session.ReceiveAsync().WaitAsync(Patience) is var (type, content))
        {
            if (type == ContentType.Handshake && content[0] == (byte)HandshakeType.CertificateRequest)
            {
                return content;
            }
        }

        throw new Xunit.Sdk.XunitException("the server closed without a CertificateRequest");
    }

    private static async Task<byte[]> ReadExactlyAsync(TicketServerConnection connection, int length)
    {
        var received = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await connection.ReadAsync(received.AsMemory(filled)).AsTask().WaitAsync(Patience);
            Assert.NotEqual(0, read);
            filled += read;
        }

        return received;
    }

    [Fact]
    public async Task Data_sent_before_the_answer_waits_in_order_for_the_next_read()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);

        var verifying = session.Connection.VerifyClientPostHandshakeAsync();
        var request = await CertificateRequestAsync(session);
        await session.SendAsync(ContentType.ApplicationData, "first "u8);
        await session.SendAsync(ContentType.ApplicationData, "second"u8);
        await session.DeclineCertificateRequestAsync(request);

        var result = await verifying.WaitAsync(Patience);
        Assert.Null(result.Peer);
        Assert.Equal(2, result.Tickets.Count);
        Assert.Equal("first second"u8.ToArray(), await ReadExactlyAsync(session.Connection, 12));
    }

    [Fact]
    public async Task An_authentication_reads_ahead_at_most_a_mebibyte_and_leaves_the_rest_to_the_application()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);
        const int records = 80, recordLength = 16 * 1024;
        var data = Enumerable.Range(0, records * recordLength).Select(i => (byte)(i / recordLength + i)).ToArray();

        var verifying = session.Connection.VerifyClientPostHandshakeAsync();
        var request = await CertificateRequestAsync(session);
        // 1.25 MiB, then the answer; sent from another task, since the server stops taking bytes at some point.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < records; i++)
            {
                await session.SendAsync(ContentType.ApplicationData, data.AsSpan(i * recordLength, recordLength));
            }

            await session.DeclineCertificateRequestAsync(request);
        });

        // Had it read on without bound, the answer behind the data would have completed it by now.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(verifying.IsCompleted, "the authentication read past the data it may hold and reached the answer");

        Assert.Equal(data, await ReadExactlyAsync(session.Connection, data.Length));
        await sending.WaitAsync(Patience);
        // The application's next read reaches the answer, which completes the authentication while it waits for data.
        var next = session.Connection.ReadAsync(new byte[16]).AsTask();
        var result = await verifying.WaitAsync(Patience);
        Assert.Equal(2, result.Tickets.Count);
        await session.SendAsync(ContentType.ApplicationData, "after"u8);
        Assert.Equal(5, await next.WaitAsync(Patience));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_bad_answer_fails_the_waiting_authentication_with_the_alert_it_caused(bool applicationReads)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);

        // An echo loop is blocked in a read, so the answer reaches the connection through it, not the authentication.
        var reading = applicationReads ? session.Connection.ReadAsync(new byte[16]).AsTask() : null;
        var verifying = session.Connection.VerifyClientPostHandshakeAsync();
        await session.DeclineCertificateRequestAsync(await CertificateRequestAsync(session), corruptFinished: true);

        var failure = await Assert.ThrowsAsync<IOException>(() => verifying.WaitAsync(Patience));
        Assert.Contains("DecryptError", failure.Message, StringComparison.Ordinal);
        if (reading is not null)
        {
            Assert.Contains("DecryptError", (await Assert.ThrowsAsync<IOException>(() => reading.WaitAsync(Patience))).Message, StringComparison.Ordinal);
        }

        Assert.Equal(AlertDescription.DecryptError, await session.ReadUntilClosedAsync());
        Assert.Equal(2, session.Connection.IssuedTickets.Count);
    }

    [Fact]
    public async Task A_client_that_closes_instead_of_answering_fails_the_authentication()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);

        var verifying = session.Connection.VerifyClientPostHandshakeAsync();
        await CertificateRequestAsync(session);
        await session.SendAsync(ContentType.Alert, [(byte)AlertLevel.Warning, (byte)AlertDescription.CloseNotify]);

        var failure = await Assert.ThrowsAsync<IOException>(() => verifying.WaitAsync(Patience));
        Assert.Contains("closed the connection before answering", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, await session.Connection.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Application_data_inside_a_fragmented_KeyUpdate_ends_the_connection_with_unexpected_message()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);
        var reading = session.Connection.ReadAsync(new byte[16]).AsTask();

        var keyUpdate = KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateRequested);
        await session.SendAsync(ContentType.Handshake, keyUpdate[..2]);
        await session.SendAsync(ContentType.ApplicationData, "between"u8);

        var failure = await Assert.ThrowsAsync<IOException>(() => reading.WaitAsync(Patience));
        Assert.Contains("UnexpectedMessage", failure.Message, StringComparison.Ordinal);
        Assert.Equal(AlertDescription.UnexpectedMessage, await session.ReadUntilClosedAsync());
    }
}
