using System.Buffers;

namespace Tickets.Records;

/// <summary>
/// A growable byte buffer on loan from the shared pool, for bytes that are gathered and then sent at once
/// (our handshake messages, coalesced into records). Unlike ArrayBufferWriter it allocates nothing in the
/// steady state, and <see cref="Clear"/> hands the array back, so a connection between flights holds none.
/// Contents may be secret (Finished, tickets): they are wiped before the array goes back to the pool.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 1024;

    private byte[]? buffer;
    private int written;

    public int WrittenCount => written;

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

    public void Advance(int count)
    {
        if (count < 0 || written + count > (buffer?.Length ?? 0))
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(written);

    /// <summary>Forgets the written bytes and returns the array to the pool.</summary>
    public void Clear()
    {
        if (buffer is { } held)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(held.AsSpan(0, written));
            buffer = null;
            written = 0;
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    public void Dispose() => Clear();

    private byte[] Reserve(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (buffer is null || buffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumSize, (buffer?.Length ?? 0) * 2)));
            if (buffer is { } old)
            {
                old.AsSpan(0, written).CopyTo(larger);
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(old.AsSpan(0, written));
                ArrayPool<byte>.Shared.Return(old);
            }

            buffer = larger;
        }

        return buffer;
    }
}
