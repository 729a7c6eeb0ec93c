using System.Buffers.Binary;

namespace Tickets.Core.Protocol;

/// <summary>
/// Bounds-checked cursor over received bytes. Every read says whether enough bytes remained, so a
/// decoder turns any shortfall into decode_error instead of an exception; slices are views, not copies.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes consumed so far, i.e. the offset of the next read within the original span.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool IsEmpty => _position >= _buffer.Length;

    public bool TryReadUInt8(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _buffer[_position];
        _position += 1;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position, 2));
        _position += 2;
        return true;
    }

    public bool TryReadUInt24(out int value)
    {
        if (Remaining < 3) { value = 0; return false; }
        var span = _buffer.Slice(_position, 3);
        value = (span[0] << 16) | (span[1] << 8) | span[2];
        _position += 3;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Remaining < count) { bytes = default; return false; }
        bytes = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }

    /// <summary>Reads an opaque vector with a 1-byte length prefix whose length lies in [min, max].</summary>
    public bool TryReadVector8(int min, int max, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var start = _position;
        if (!TryReadUInt8(out var length) || length < min || length > max || !TryReadBytes(length, out bytes))
        {
            _position = start;
            return false;
        }
        return true;
    }

    /// <summary>Reads an opaque vector with a 2-byte length prefix whose length lies in [min, max].</summary>
    public bool TryReadVector16(int min, int max, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var start = _position;
        if (!TryReadUInt16(out var length) || length < min || length > max || !TryReadBytes(length, out bytes))
        {
            _position = start;
            return false;
        }
        return true;
    }

    /// <summary>Reads an opaque vector with a 3-byte length prefix whose length lies in [min, max].</summary>
    public bool TryReadVector24(int min, int max, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var start = _position;
        if (!TryReadUInt24(out var length) || length < min || length > max || !TryReadBytes(length, out bytes))
        {
            _position = start;
            return false;
        }
        return true;
    }

    /// <summary>
    /// How many entries of the shape (2-byte type, 2-byte-length vector) <paramref name="list"/> frames, counting up to
    /// the first one that does not fit: a decoder sizes its array with this, then fills it in one pass.
    /// </summary>
    public static int CountTypedVectors16(ReadOnlySpan<byte> list)
    {
        var reader = new WireReader(list);
        var count = 0;
        while (reader.TryReadUInt16(out _) && reader.TryReadVector16(0, 0xFFFF, out _)) count++;
        return count;
    }

    /// <summary>How many 1-byte-length vectors <paramref name="list"/> frames, up to the first that does not fit.</summary>
    public static int CountVectors8(ReadOnlySpan<byte> list)
    {
        var reader = new WireReader(list);
        var count = 0;
        while (reader.TryReadVector8(0, 0xFF, out _)) count++;
        return count;
    }

    /// <summary>
    /// How many entries of the shape (2-byte-length vector, 4-byte number), a PSK identity's, <paramref name="list"/>
    /// frames, up to the first that does not fit.
    /// </summary>
    public static int CountVectors16WithUInt32(ReadOnlySpan<byte> list)
    {
        var reader = new WireReader(list);
        var count = 0;
        while (reader.TryReadVector16(0, 0xFFFF, out _) && reader.TryReadUInt32(out _)) count++;
        return count;
    }
}
