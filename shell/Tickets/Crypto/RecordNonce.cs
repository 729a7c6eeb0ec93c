using System.Buffers.Binary;

namespace Tickets.Crypto;

/// <summary>
/// Per-record nonce (RFC 8446 §5.3): the 64-bit sequence number, big-endian and left-padded to the IV
/// length, XORed with the static IV. Unique per record as long as the sequence never wraps.
/// </summary>
internal static class RecordNonce
{
    public const int Length = 12;

    public static void Compute(ReadOnlySpan<byte> iv, ulong sequenceNumber, Span<byte> nonce)
    {
        iv.CopyTo(nonce);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(counter, sequenceNumber);
        var tail = nonce[(Length - 8)..];
        for (int i = 0; i < 8; i++)
            tail[i] ^= counter[i];
    }
}
