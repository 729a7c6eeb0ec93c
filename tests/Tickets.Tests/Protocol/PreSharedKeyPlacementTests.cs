using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>
/// Regression found by the F# mutation properties: a pre_shared_key length one short left a single byte in the
/// extensions block, and the decoder called that "pre_shared_key is not the last extension" (illegal_parameter)
/// although no extension follows, only a wrong length (decode_error). Only a whole extension after it is misplaced.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class PreSharedKeyPlacementTests
{
    private const string Fixture = "openssl-s_client-resumption";

    /// <summary>Offset of the 2-byte extensions block length, found by walking the fixed fields without the codec.</summary>
    private static int ExtensionsLengthOffset(byte[] message)
    {
        var offset = 4 + 2 + 32;
        offset += 1 + message[offset];
        offset += 2 + ((message[offset] << 8) | message[offset + 1]);
        offset += 1 + message[offset];
        return offset;
    }

    /// <summary>Offset of the pre_shared_key extension's type.</summary>
    private static int PreSharedKeyOffset(byte[] message)
    {
        var offset = ExtensionsLengthOffset(message) + 2;
        while (((message[offset] << 8) | message[offset + 1]) != (ushort)ExtensionType.PreSharedKey)
            offset += 4 + ((message[offset + 2] << 8) | message[offset + 3]);
        return offset;
    }

    [Fact]
    public void Pre_shared_key_length_one_short_is_decode_error()
    {
        var message = TestData.FixtureHandshake(Fixture);
        var lengthAt = PreSharedKeyOffset(message) + 2;
        var length = ((message[lengthAt] << 8) | message[lengthAt + 1]) - 1;
        message[lengthAt] = (byte)(length >> 8);
        message[lengthAt + 1] = (byte)length;

        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Stray_bytes_after_pre_shared_key_are_decode_error(int stray)
    {
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake(Fixture)));
        var extended = Extend(ClientHelloCodec.Encode(hello), new byte[stray]);

        FinAssert.FailsWith(AlertDescription.DecodeError, ClientHelloCodec.Parse(extended));
    }

    [Fact]
    public void A_whole_extension_after_pre_shared_key_is_still_illegal_parameter()
    {
        var hello = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake(Fixture)));
        // An empty extension of an unknown type: four well-framed bytes.
        var extended = Extend(ClientHelloCodec.Encode(hello), [0xFA, 0xFA, 0x00, 0x00]);

        FinAssert.FailsWith(AlertDescription.IllegalParameter, ClientHelloCodec.Parse(extended));
    }

    /// <summary>Appends bytes at the end of the extensions block (which ends the message) and fixes both lengths.</summary>
    private static byte[] Extend(byte[] message, byte[] tail)
    {
        var grown = message.Concat(tail).ToArray();
        var body = grown.Length - 4;
        grown[1] = (byte)(body >> 16);
        grown[2] = (byte)(body >> 8);
        grown[3] = (byte)body;
        var blockAt = ExtensionsLengthOffset(message);
        var block = grown.Length - blockAt - 2;
        grown[blockAt] = (byte)(block >> 8);
        grown[blockAt + 1] = (byte)block;
        return grown;
    }
}
