using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Tests.Protocol;

/// <summary>
/// RFC 9149 §3 on the server side: EncryptedExtensions answers a ticket_request with one byte, expected_count.
/// The client's form (two counts) is covered by the ClientHello tests; here only the server's form.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class TicketRequestHintCodecTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(255)]
    public void Expected_count_round_trips(byte count)
    {
        var message = new EncryptedExtensions(true, Some("http/1.1")) { ExpectedTicketCount = Some(count) };

        var decoded = FinAssert.Succeeds(EncryptedExtensionsCodec.Decode(EncryptedExtensionsCodec.Encode(message)));

        Assert.Equal(message, decoded);
        Assert.Equal(Some(count), decoded.ExpectedTicketCount);
    }

    [Fact]
    public void The_extension_is_type_58_with_a_one_byte_body()
    {
        var encoded = EncryptedExtensionsCodec.Encode(new EncryptedExtensions(false, None) { ExpectedTicketCount = Some((byte)3) });

        // header(4) extensions length(2) type(2) length(2) expected_count(1)
        Assert.Equal([8, 0, 0, 7, 0, 5, 0, 58, 0, 1, 3], encoded);
    }

    [Fact]
    public void Without_a_count_nothing_is_sent()
    {
        var encoded = EncryptedExtensionsCodec.Encode(new EncryptedExtensions(false, None));

        Assert.Equal([8, 0, 0, 2, 0, 0], encoded);
        Assert.True(FinAssert.Succeeds(EncryptedExtensionsCodec.Decode(encoded)).ExpectedTicketCount.IsNone);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2 })]
    public void A_body_other_than_one_byte_is_a_decode_error(byte[] body)
    {
        // The client's two-byte form in the server's message is as wrong as an empty one.
        byte[] extension = [0, 58, 0, (byte)body.Length, .. body];
        byte[] message = [8, 0, 0, (byte)(extension.Length + 2), 0, (byte)extension.Length, .. extension];

        FinAssert.FailsWith(AlertDescription.DecodeError, EncryptedExtensionsCodec.Decode(message));
    }
}
