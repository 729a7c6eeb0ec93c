using System.Text;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 11: records that carry nothing still cost a read, a decryption and, for a KeyUpdate, a key derivation and
/// maybe an answer to write. At most 32 in a row (as BoringSSL and rustls): empty application_data records, ignored
/// change_cipher_spec records, KeyUpdates without data between them; the next is unexpected_message. And the server
/// replaces its own key before the AEAD limit of RFC 8446 §5.5.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class RecordFloodTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static async Task<ScriptedSession> EstablishedAsync(TicketServerContext context)
    {
        var session = await ScriptedSession.ConnectAsync(context);
        await session.Handshake.WaitAsync(Patience);
        return session;
    }

    /// <summary>The server reads: data, or the failure that ended the connection.</summary>
    private static async Task<string> ServerReadsAsync(ScriptedSession session)
    {
        var buffer = new byte[64];
        try
        {
            var read = await session.Connection.ReadAsync(buffer).AsTask().WaitAsync(Patience);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException failure)
        {
            return $"failed: {failure.Message}";
        }
    }

    [Theory]
    [InlineData(RecordLimits.MaxConsecutiveKeyUpdates, "data")]
    [InlineData(RecordLimits.MaxConsecutiveKeyUpdates + 1, "failed")]
    public async Task KeyUpdates_in_a_row_are_capped_at_32(int keyUpdates, string outcome)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);
        var reading = ServerReadsAsync(session);
        for (var i = 0; i < keyUpdates; i++)
        {
            await session.SendKeyUpdateAsync(KeyUpdateRequest.UpdateNotRequested);
        }

        await session.SendAsync(ContentType.ApplicationData, "data"u8);
        Assert.StartsWith(outcome, await reading, StringComparison.Ordinal);
        if (outcome == "failed")
        {
            Assert.Contains("UnexpectedMessage", await reading, StringComparison.Ordinal);
            Assert.Equal(AlertDescription.UnexpectedMessage, await session.ReadUntilClosedAsync());
        }
    }

    [Fact]
    public async Task Data_between_KeyUpdates_starts_the_count_again()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);
        for (var round = 0; round < 3; round++)
        {
            var reading = ServerReadsAsync(session);
            for (var i = 0; i < RecordLimits.MaxConsecutiveKeyUpdates; i++)
            {
                await session.SendKeyUpdateAsync(KeyUpdateRequest.UpdateNotRequested);
            }

            await session.SendAsync(ContentType.ApplicationData, "data"u8);
            Assert.Equal("data", await reading);
        }
    }

    [Theory]
    [InlineData(RecordLimits.MaxConsecutiveEmptyRecords, "data")]
    [InlineData(RecordLimits.MaxConsecutiveEmptyRecords + 1, "failed")]
    public async Task Empty_records_in_a_row_are_capped_at_32(int emptyRecords, string outcome)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await EstablishedAsync(context);
        var reading = ServerReadsAsync(session);
        for (var i = 0; i < emptyRecords; i++)
        {
            await session.SendAsync(ContentType.ApplicationData, ReadOnlySpan<byte>.Empty);
        }

        await session.SendAsync(ContentType.ApplicationData, "data"u8);
        Assert.StartsWith(outcome, await reading, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RecordLimits.MaxConsecutiveEmptyRecords, false)]
    [InlineData(RecordLimits.MaxConsecutiveEmptyRecords + 1, true)]
    public async Task Change_cipher_spec_records_during_the_handshake_are_capped_at_32(int count, bool refused)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var changeCipherSpec = ScriptedSession.Plaintext(ContentType.ChangeCipherSpec, 1);
        await using var session = await ScriptedSession.ConnectAsync(context, beforeFinished: async client =>
        {
            await client.SendRawAsync(Enumerable.Repeat(changeCipherSpec, count).SelectMany(record => record).ToArray());
            return true;
        });

        if (refused)
        {
            var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(Patience));
            Assert.Equal(AlertDescription.UnexpectedMessage, failure.Alert);
        }
        else
        {
            await session.Handshake.WaitAsync(Patience);
        }
    }

    [Fact]
    public async Task The_server_sends_a_KeyUpdate_before_its_key_protects_more_records_than_allowed()
    {
        // 2^24 records for AES-GCM in production; 4 here so the test sees several generations.
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { RecordsPerWriteKey = 4 };
        await using var session = await EstablishedAsync(context);

        var sent = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        foreach (var value in sent)
        {
            await session.Connection.WriteAsync(new[] { value });
        }

        await session.Connection.ShutdownAsync();
        var received = new List<byte>();
        var recordsUnderThisKey = 0;
        var mostUnderOneKey = 0;
        while (await session.ReceiveAsync() is var (type, content))
        {
            if (type == ContentType.Handshake && content[0] == (byte)HandshakeType.KeyUpdate)
            {
                Assert.Equal(KeyUpdateRequest.UpdateNotRequested, FinAssert.Succeeds(KeyUpdateCodec.Decode(content)));
                recordsUnderThisKey = 0;
                continue;
            }

            mostUnderOneKey = Math.Max(mostUnderOneKey, ++recordsUnderThisKey);
            if (type == ContentType.ApplicationData)
            {
                received.AddRange(content);
            }
            else if (type == ContentType.Alert)
            {
                break; // close_notify: everything is in
            }
        }

        Assert.Equal(sent, received);
        Assert.True(session.KeyUpdatesReceived >= 5, $"{session.KeyUpdatesReceived} KeyUpdates");
        // The KeyUpdate itself is the key's last record: at most 4 before it.
        Assert.True(mostUnderOneKey <= 4, $"{mostUnderOneKey} records under one key");
    }
}
