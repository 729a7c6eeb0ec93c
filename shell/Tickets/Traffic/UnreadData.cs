using System.Buffers;
using System.Security.Cryptography;

namespace Tickets.Traffic;

/// <summary>
/// Application data that arrived before anyone asked for it, in the order it arrived: the rest of a record larger than
/// the reader's buffer, and the records a post-handshake authentication read while the application was not reading.
/// Used only by whoever holds the connection's read turn.
/// </summary>
/// <remarks>
/// Each chunk is rented only while it waits and wiped before it goes back to the pool (application data is secret too),
/// so a connection with nothing unread holds no buffer for it.
/// </remarks>
internal sealed class UnreadData
{
    /// <summary>
    /// How much application data a post-handshake authentication reads ahead for the application. Beyond it, it stops
    /// reading and leaves the rest (and the client's answer) to the application's next read, so a client cannot make us
    /// buffer without bound by sending data instead of its certificate.
    /// </summary>
    public const int MaxReadAhead = 1024 * 1024;

    private readonly Queue<(byte[] Buffer, int Length)> chunks = new();
    private int headOffset;

    /// <summary>Bytes waiting to be read.</summary>
    public int Bytes { get; private set; }

    public bool IsEmpty => chunks.Count == 0;

    /// <summary>Whether an authentication may not read ahead any more (see <see cref="MaxReadAhead"/>).</summary>
    public bool IsFull => Bytes >= MaxReadAhead;

    /// <summary>Keeps a copy of <paramref name="data"/> (not empty) behind what is already waiting.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        chunks.Enqueue((buffer, data.Length));
        Bytes += data.Length;
    }

    /// <summary>
    /// Copies into <paramref name="destination"/> as much of the oldest chunk as fits and returns how much; one chunk
    /// per call, as each read returns data of one record.
    /// </summary>
    public int Read(Span<byte> destination)
    {
        if (!chunks.TryPeek(out var head))
        {
            return 0;
        }

        var count = Math.Min(destination.Length, head.Length - headOffset);
        head.Buffer.AsSpan(headOffset, count).CopyTo(destination);
        headOffset += count;
        Bytes -= count;
        if (headOffset == head.Length)
        {
            chunks.Dequeue();
            headOffset = 0;
            Release(head);
        }

        return count;
    }

    /// <summary>Drops everything unread (the connection is being disposed), wiping it.</summary>
    public void Clear()
    {
        while (chunks.TryDequeue(out var chunk))
        {
            Release(chunk);
        }

        headOffset = 0;
        Bytes = 0;
    }

    private static void Release((byte[] Buffer, int Length) chunk)
    {
        CryptographicOperations.ZeroMemory(chunk.Buffer.AsSpan(0, chunk.Length));
        ArrayPool<byte>.Shared.Return(chunk.Buffer);
    }
}
