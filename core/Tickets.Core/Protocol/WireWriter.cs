using System.Buffers.Binary;

namespace Tickets.Core.Protocol;

/// <summary>
/// Growable big-endian writer for the messages this server sends. Length prefixes are reserved first
/// and patched when the vector closes, so encoders write fields in wire order without precomputing sizes.
/// Oversized values are the caller's bug (never peer input), hence exceptions rather than alerts.
/// </summary>
internal sealed class WireWriter
{
    private byte[] _buffer;
    private int _length;

    public WireWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteUInt24(int value)
    {
        if (value < 0 || value > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(value), "does not fit in 24 bits");
        var span = Reserve(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Reserves a length prefix of 1, 2 or 3 bytes; pass the result to <see cref="EndVector"/>.</summary>
    public VectorMark BeginVector(int prefixBytes)
    {
        if (prefixBytes is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(prefixBytes));
        Reserve(prefixBytes);
        return new VectorMark(_length - prefixBytes, prefixBytes);
    }

    /// <summary>Patches the reserved prefix with the number of bytes written since <see cref="BeginVector"/>.</summary>
    public void EndVector(VectorMark mark)
    {
        var contentLength = _length - mark.Offset - mark.PrefixBytes;
        var max = (1 << (8 * mark.PrefixBytes)) - 1;
        if (contentLength > max) throw new InvalidOperationException($"vector of {contentLength} bytes exceeds its {mark.PrefixBytes}-byte length prefix");
        var prefix = _buffer.AsSpan(mark.Offset, mark.PrefixBytes);
        for (var i = mark.PrefixBytes - 1; i >= 0; i--)
        {
            prefix[i] = (byte)contentLength;
            contentLength >>= 8;
        }
    }

    public void WriteVector8(ReadOnlySpan<byte> bytes)
    {
        var mark = BeginVector(1);
        WriteBytes(bytes);
        EndVector(mark);
    }

    public void WriteVector16(ReadOnlySpan<byte> bytes)
    {
        var mark = BeginVector(2);
        WriteBytes(bytes);
        EndVector(mark);
    }

    public void WriteVector24(ReadOnlySpan<byte> bytes)
    {
        var mark = BeginVector(3);
        WriteBytes(bytes);
        EndVector(mark);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var grown = new byte[Math.Max(_buffer.Length * 2, _length + count)];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _buffer = grown;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Where a length prefix sits and how wide it is.</summary>
    public readonly record struct VectorMark(int Offset, int PrefixBytes);
}
