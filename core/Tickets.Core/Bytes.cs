using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tickets.Core;

/// <summary>
/// An immutable run of bytes that compares by content: two values holding the same bytes are equal under C#'s
/// <c>==</c> and <c>Equals</c> and F#'s <c>=</c>, and hash alike, so records holding them compare structurally.
/// Every byte field of the core's records is one (random values, session ids, extension bodies, keys, tickets).
/// </summary>
/// <remarks>
/// <para>A struct around an <see cref="ImmutableArray{T}"/>: wrapping costs no allocation, and <c>default(Bytes)</c>
/// is the empty value. Building one from a <c>byte[]</c> or a span copies, so later changes to the source cannot reach
/// it; wrapping an <see cref="ImmutableArray{T}"/> does not copy (a caller that owns a fresh array and will never touch
/// it again can hand it over without a copy through <c>ImmutableCollectionsMarshal.AsImmutableArray</c>).</para>
/// <para>Equality is a plain byte comparison, not a constant-time one: the core holds no secrets, and the shell compares
/// secrets with <c>CryptographicOperations.FixedTimeEquals</c> over <see cref="Span"/>.</para>
/// </remarks>
[CollectionBuilder(typeof(Bytes), nameof(Create))]
public readonly struct Bytes : IEquatable<Bytes>, IReadOnlyList<byte>
{
    private readonly ImmutableArray<byte> bytes;

    /// <summary>Wraps <paramref name="bytes"/> without copying; a default (uninitialised) array reads as empty.</summary>
    [OverloadResolutionPriority(1)]
    public Bytes(ImmutableArray<byte> bytes)
    {
        this.bytes = bytes.IsDefault ? ImmutableArray<byte>.Empty : bytes;
    }

    /// <summary>A copy of <paramref name="bytes"/>.</summary>
    public Bytes(ReadOnlySpan<byte> bytes)
    {
        this.bytes = ImmutableCollectionsMarshal.AsImmutableArray(bytes.ToArray());
    }

    /// <summary>A copy of <paramref name="bytes"/> (the array may change afterwards; this value does not).</summary>
    public Bytes(byte[] bytes)
        : this(new ReadOnlySpan<byte>(bytes))
    {
    }

    /// <summary>No bytes.</summary>
    public static Bytes Empty => default;

    /// <summary>A copy of <paramref name="bytes"/>; also what C# collection expressions (<c>[1, 2, 3]</c>) build.</summary>
    public static Bytes Create(ReadOnlySpan<byte> bytes) => new(bytes);

    /// <summary>Takes over <paramref name="array"/>, which the caller has just made and never touches again.</summary>
    internal static Bytes Own(byte[] array) => new(ImmutableCollectionsMarshal.AsImmutableArray(array));

    /// <summary>How many bytes.</summary>
    public int Length => Array.Length;

    /// <summary>How many bytes (the <see cref="IReadOnlyCollection{T}"/> name for <see cref="Length"/>).</summary>
    public int Count => Array.Length;

    /// <summary>Whether there are no bytes.</summary>
    public bool IsEmpty => Array.IsEmpty;

    /// <summary>The byte at <paramref name="index"/>.</summary>
    public byte this[int index] => Array[index];

    /// <summary>The bytes, to read in place.</summary>
    public ReadOnlySpan<byte> Span => Array.AsSpan();

    /// <summary>The bytes, to read in place where a span cannot go (async code, fields).</summary>
    public ReadOnlyMemory<byte> Memory => Array.AsMemory();

    /// <summary>The bytes as the immutable array they are kept in (no copy).</summary>
    public ImmutableArray<byte> AsImmutableArray() => Array;

    // default(Bytes) holds a default ImmutableArray, which throws on most members: read it as empty.
    private ImmutableArray<byte> Array => bytes.IsDefault ? ImmutableArray<byte>.Empty : bytes;

    /// <summary>
    /// The <paramref name="length"/> bytes from <paramref name="start"/>, as a value of their own (a copy); what C#'s
    /// ranges (<c>bytes[..16]</c>) call. Reading a part in place is <c>Span.Slice</c>.
    /// </summary>
    public Bytes Slice(int start, int length) => new(Array.Slice(start, length));

    /// <summary>A fresh, mutable copy.</summary>
    public byte[] ToArray() => Array.AsSpan().ToArray();

    /// <summary>Whether both hold the same bytes in the same order.</summary>
    public bool Equals(Bytes other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Bytes other && Equals(other);

    /// <summary>A hash of the content, so equal values hash alike.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>Lowercase hexadecimal, the form logs and failing tests can be compared with.</summary>
    public override string ToString() => Convert.ToHexStringLower(Span);

    /// <summary>Walks the bytes in order without allocating.</summary>
    public ImmutableArray<byte>.Enumerator GetEnumerator() => Array.GetEnumerator();

    IEnumerator<byte> IEnumerable<byte>.GetEnumerator() => ((IEnumerable<byte>)Array).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Array).GetEnumerator();

    /// <summary>Whether both hold the same bytes.</summary>
    public static bool operator ==(Bytes left, Bytes right) => left.Equals(right);

    /// <summary>Whether the bytes differ.</summary>
    public static bool operator !=(Bytes left, Bytes right) => !left.Equals(right);

    /// <summary>A copy of <paramref name="bytes"/>.</summary>
    public static implicit operator Bytes(byte[] bytes) => new(bytes);

    /// <summary>Wraps <paramref name="bytes"/> without copying.</summary>
    public static implicit operator Bytes(ImmutableArray<byte> bytes) => new(bytes);

    /// <summary>The bytes, to read in place.</summary>
    public static implicit operator ReadOnlySpan<byte>(Bytes bytes) => bytes.Span;

    /// <summary>The bytes, to read in place.</summary>
    public static implicit operator ReadOnlyMemory<byte>(Bytes bytes) => bytes.Memory;
}
