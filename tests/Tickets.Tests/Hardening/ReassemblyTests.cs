using System.Net.Sockets;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 4: handshake reassembly copied the whole pending buffer into a new one for every record, so a 128 KiB message
/// sent in 1-byte records cost some 8 GiB of copying (seconds of CPU, and four at once stalled other handshakes). It
/// now grows one buffer toward the declared length, and a message may arrive in at most max(32, ⌈length / 512⌉)
/// records. Measured in allocated bytes, never in time.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ReassemblyTests
{
    /// <summary>A handshake message (a Certificate-typed blob) of <paramref name="total"/> bytes, header included.</summary>
    private static byte[] Message(int total)
    {
        var message = new byte[total];
        var body = total - HandshakeFraming.HeaderLength;
        message[0] = (byte)HandshakeType.Certificate;
        message[1] = (byte)(body >> 16);
        message[2] = (byte)(body >> 8);
        message[3] = (byte)body;
        new Random(total).NextBytes(message.AsSpan(HandshakeFraming.HeaderLength));
        return message;
    }

    /// <summary>Feeds <paramref name="message"/> in records of <paramref name="recordSize"/>; returns the bytes allocated.</summary>
    private static long Reassemble(HandshakeReassembler reassembler, byte[] message, int recordSize)
    {
        byte[]? completed = null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var offset = 0; offset < message.Length; offset += recordSize)
        {
            var (messages, next) = FinAssert.Succeeds(reassembler.Append(message.AsSpan(offset, Math.Min(recordSize, message.Length - offset))));
            reassembler = next;
            if (!messages.IsEmpty)
            {
                completed = messages.Head;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(message, completed);
        Assert.False(reassembler.HasPartialMessage);
        return allocated;
    }

    [Fact]
    public void A_128_KiB_message_in_1_byte_records_costs_linear_allocation()
    {
        // The cap on records is lifted here (it would stop this flood at record 256): this is about the cost per byte.
        var lifted = new HandshakeReassembler(HandshakeReassembler.DefaultMaxMessageLength, 1);
        var quarter = Reassemble(lifted, Message(32 * 1024), recordSize: 1);
        var whole = Reassemble(lifted, Message(128 * 1024), recordSize: 1);

        // Linear: four times the bytes, about four times the allocation (quadratic would be sixteen times), and a
        // small constant per byte (the copying reassembler allocated about 65 000 bytes per byte here).
        Assert.True(whole < 6 * quarter, $"32 KiB: {quarter} bytes allocated, 128 KiB: {whole} bytes");
        Assert.True(whole < 256L * 128 * 1024, $"{whole} bytes allocated for a 128 KiB message");
    }

    [Fact]
    public void A_128_KiB_message_in_its_256_allowed_records_allocates_about_twice_its_size()
    {
        var message = Message(128 * 1024);
        var allocated = Reassemble(new HandshakeReassembler(), message, recordSize: 512);

        // One buffer doubling up to the declared length: under 2x, plus a little per record. Copying the pending bytes
        // into a new array per record allocated 256 x 257 / 2 x 512 bytes = 16 MiB.
        Assert.True(allocated < 3L * message.Length, $"{allocated} bytes allocated for {message.Length}");
    }

    [Fact]
    public void A_message_may_use_max_32_or_length_over_512_records_and_not_one_more()
    {
        var reassembler = new HandshakeReassembler();
        Assert.Equal(256, reassembler.FragmentsAllowed(128 * 1024));
        Assert.Equal(32, reassembler.FragmentsAllowed(36));

        // 1-byte records of a 128 KiB Certificate: refused at the 256th, before any more work.
        var message = Message(128 * 1024);
        for (var record = 1; ; record++)
        {
            var appended = reassembler.Append(message.AsSpan(record - 1, 1));
            if (appended.IsFail)
            {
                FinAssert.FailsWith(AlertDescription.UnexpectedMessage, appended);
                Assert.Equal(256, record);
                break;
            }

            reassembler = FinAssert.Succeeds(appended).Next;
        }

        // A short message may still come in pieces: a 36-byte Finished in 32 one-byte-or-so records is fine.
        Reassemble(new HandshakeReassembler(), Message(36), recordSize: 2);
    }

    [Fact]
    public async Task A_client_hello_in_1_byte_records_gets_unexpected_message_from_the_server()
    {
        // Chromium's 1 944-byte ClientHello may use 32 records; sent in 1-byte records, the 32nd draws the alert.
        var hello = TestData.FixtureHandshake("chromium");
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        var records = hello.SelectMany(b => ScriptedClient.Record(ContentType.Handshake, [b])).ToArray();
        try
        {
            await pair.Client.SendAsync(records, SocketFlags.None);
        }
        catch (SocketException)
        {
            // The server may close before taking every byte; its answer is what matters.
        }

        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(AlertDescription.UnexpectedMessage, failure.Alert);
        var (type, alert) = await ScriptedClient.ReadRecordAsync(pair.Client);
        Assert.Equal((ContentType.Alert, (byte)AlertDescription.UnexpectedMessage), (type, alert[1]));
    }
}
