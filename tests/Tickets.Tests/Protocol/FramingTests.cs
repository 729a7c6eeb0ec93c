using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Tests.Protocol;

/// <summary>Record headers and handshake reassembly across record boundaries.</summary>
[Trait("Category", TestCategory.Unit)]
public class FramingTests
{
    [Theory]
    [MemberData(nameof(ClientHelloFixtureTests.Fixtures), MemberType = typeof(ClientHelloFixtureTests))]
    public void Fixture_record_headers_parse(string name)
    {
        var records = TestData.FixtureRecords(name);
        var header = FinAssert.Succeeds(RecordHeader.Parse(records, protectedRecord: false));
        Assert.Equal(ContentType.Handshake, header.Type);
        Assert.Equal(records.Length - RecordHeader.Size, header.Length);
        Assert.Equal(0x03, header.LegacyVersion >> 8);
        Assert.Equal(records[..5], header.ToArray());
    }

    [Theory]
    [InlineData(16384, false, true)]
    [InlineData(16385, false, false)]
    [InlineData(16640, true, true)]
    [InlineData(16641, true, false)]
    [InlineData(16641, false, false)]
    public void Record_length_limits(int length, bool protectedRecord, bool accepted)
    {
        byte[] header = [23, 3, 3, (byte)(length >> 8), (byte)length];
        var result = RecordHeader.Parse(header, protectedRecord);
        if (accepted) Assert.Equal(length, FinAssert.Succeeds(result).Length);
        else FinAssert.FailsWith(AlertDescription.RecordOverflow, result);
    }

    [Theory]
    [InlineData(16384, false, true)]
    [InlineData(16385, false, false)]
    [InlineData(16640, true, true)]
    [InlineData(16641, true, false)]
    public void The_length_rule_alone_is_the_one_headers_are_parsed_with(int length, bool protectedRecord, bool accepted)
    {
        if (accepted) FinAssert.Succeeds(RecordHeader.CheckLength(length, protectedRecord));
        else FinAssert.FailsWith(AlertDescription.RecordOverflow, RecordHeader.CheckLength(length, protectedRecord));
    }

    [Fact]
    public void Headers_we_send_say_tls_1_2_and_any_received_legacy_version_is_ignored()
    {
        Assert.Equal([22, 3, 3, 0x01, 0x02], RecordHeader.For(ContentType.Handshake, 0x102).ToArray());
        Assert.Equal(0xFFFF, FinAssert.Succeeds(RecordHeader.Parse([21, 0xFF, 0xFF, 0, 2], protectedRecord: false)).LegacyVersion);
        Assert.All(Enum.GetValues<ContentType>(), type => Assert.Equal(type != ContentType.Invalid, RecordHeader.IsDefined(type)));
    }

    [Fact]
    public void Undefined_content_type_and_short_header()
    {
        // "GET /" arriving at a TLS port.
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, RecordHeader.Parse("GET /"u8, false));
        FinAssert.FailsWith(AlertDescription.DecodeError, RecordHeader.Parse([22, 3, 1], false));
    }

    [Fact]
    public void Handshake_header_reads_once_four_bytes_are_there()
    {
        var message = TestData.FixtureHandshake("chromium");
        Assert.Equal(Some(new HandshakeHeader(HandshakeType.ClientHello, 1940)), HandshakeFraming.ReadHeader(message));
        Assert.Equal(1944, HandshakeFraming.ReadHeader(message).Map(header => header.MessageLength));
        Assert.True(HandshakeFraming.ReadHeader(message.AsSpan(0, 3)).IsNone);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1949)]
    public void Reassembles_a_hello_split_into_fragments(int fragmentSize)
    {
        var message = TestData.FixtureHandshake("chromium");
        // Any fragmentation at all, down to 1-byte records: the fragment cap (tested with the hardening tests) is lifted.
        var reassembler = new HandshakeReassembler(HandshakeReassembler.DefaultMaxMessageLength, 1);
        var completed = new List<byte[]>();
        for (var offset = 0; offset < message.Length; offset += fragmentSize)
        {
            var fragment = message.AsSpan(offset, Math.Min(fragmentSize, message.Length - offset));
            var (messages, next) = FinAssert.Succeeds(reassembler.Append(fragment));
            completed.AddRange(messages);
            reassembler = next;
            Assert.Equal(offset + fragment.Length < message.Length, reassembler.HasPartialMessage);
        }
        Assert.Equal(message, Assert.Single(completed));
        FinAssert.Succeeds(ClientHelloCodec.Parse(completed[0]));
    }

    [Fact]
    public void Several_messages_in_one_fragment_come_out_in_order_with_the_tail_kept()
    {
        var finished = FinishedCodec.Encode(new Finished(Enumerable.Repeat((byte)1, 32).ToArray()));
        var keyUpdate = KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateNotRequested);
        byte[] joined = [.. finished, .. keyUpdate, .. finished[..10]];
        var (messages, next) = FinAssert.Succeeds(new HandshakeReassembler().Append(joined));
        Assert.Equal(2, messages.Count);
        Assert.Equal(finished, messages[0]);
        Assert.Equal(keyUpdate, messages[1]);
        Assert.True(next.HasPartialMessage);
        var (rest, last) = FinAssert.Succeeds(next.Append(finished.AsSpan(10)));
        Assert.Equal(finished, Assert.Single(rest));
        Assert.False(last.HasPartialMessage);
    }

    [Fact]
    public void Oversized_declared_message_is_refused_before_buffering()
    {
        var reassembler = new HandshakeReassembler(1000);
        FinAssert.FailsWith(AlertDescription.IllegalParameter, reassembler.Append([11, 0, 0x03, 0xE9]));
        var (_, next) = FinAssert.Succeeds(reassembler.Append([11, 0, 0x03, 0xE8]));
        Assert.True(next.HasPartialMessage);
    }

    [Fact]
    public void Empty_handshake_fragment_is_unexpected_message() =>
        FinAssert.FailsWith(AlertDescription.UnexpectedMessage, new HandshakeReassembler().Append([]));
}
