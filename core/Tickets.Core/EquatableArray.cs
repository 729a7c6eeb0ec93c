using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Tickets.Core;

/// <summary>
/// An immutable list that compares by content: two lists holding equal items in the same order are equal under C#'s
/// <c>==</c> and <c>Equals</c> and F#'s <c>=</c>, and hash alike, so records holding them compare structurally. Every
/// list in the core's records is one (cipher suites, extensions, key shares, certificates, …).
/// </summary>
/// <remarks>
/// <para>A struct around an <see cref="ImmutableArray{T}"/>, like <see cref="Bytes"/>: no allocation of its own, and
/// <c>default</c> is the empty list. Items compare with <see cref="EqualityComparer{T}.Default"/>.</para>
/// <para>Why not LanguageExt's <c>Arr&lt;T&gt;</c> or <c>Seq&lt;T&gt;</c>, which compare structurally too: their equality
/// resolves through LanguageExt's type-class registry, whose first use in a process scans every loaded assembly (0.8 s
/// measured on .NET 10, LanguageExt 4.4.9), and compares item by item through it afterwards (about 9 µs for two
/// 32-byte <c>Arr&lt;byte&gt;</c>, against a few nanoseconds here).</para>
/// </remarks>
/// <typeparam name="T">The item type; its own equality decides the list's.</typeparam>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly ImmutableArray<T> items;

    /// <summary>Wraps <paramref name="items"/> without copying; a default (uninitialised) array reads as empty.</summary>
    [OverloadResolutionPriority(1)]
    public EquatableArray(ImmutableArray<T> items)
    {
        this.items = items.IsDefault ? ImmutableArray<T>.Empty : items;
    }

    /// <summary>A copy of <paramref name="items"/>, in their order.</summary>
    public EquatableArray(IEnumerable<T> items)
        : this(ImmutableArray.CreateRange(items))
    {
    }

    /// <summary>The empty list.</summary>
    public static EquatableArray<T> Empty => default;

    /// <summary>How many items.</summary>
    public int Count => Items.Length;

    /// <summary>Whether there are no items.</summary>
    public bool IsEmpty => Items.IsEmpty;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T this[int index] => Items[index];

    /// <summary>The items, to read in place.</summary>
    public ReadOnlySpan<T> AsSpan() => Items.AsSpan();

    /// <summary>The items as the immutable array they are kept in (no copy).</summary>
    public ImmutableArray<T> AsImmutableArray() => Items;

    // default(EquatableArray<T>) holds a default ImmutableArray, which throws on most members: read it as empty.
    private ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;

    /// <summary>Whether <paramref name="item"/> is in the list (without boxing, unlike LINQ's Contains on this struct).</summary>
    public bool Contains(T item) => Items.IndexOf(item) >= 0;

    /// <summary>The index of the first item equal to <paramref name="item"/>, or -1.</summary>
    public int IndexOf(T item) => Items.IndexOf(item);

    /// <summary>Whether both hold equal items in the same order.</summary>
    public bool Equals(EquatableArray<T> other)
    {
        var mine = Items;
        var theirs = other.Items;
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < mine.Length; i++)
        {
            if (!comparer.Equals(mine[i], theirs[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <summary>A hash of the items, so equal lists hash alike.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>The items in brackets, F# style: <c>[a; b; c]</c>.</summary>
    public override string ToString() => "[" + string.Join("; ", Items) + "]";

    /// <summary>Walks the items in order without allocating.</summary>
    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    /// <summary>Whether both hold equal items in the same order.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Whether the lists differ.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>A copy of <paramref name="items"/>.</summary>
    public static implicit operator EquatableArray<T>(T[] items) => new(ImmutableArray.Create(items));

    /// <summary>Wraps <paramref name="items"/> without copying.</summary>
    public static implicit operator EquatableArray<T>(ImmutableArray<T> items) => new(items);
}

/// <summary>Builds <see cref="EquatableArray{T}"/> values.</summary>
public static class EquatableArray
{
    /// <summary>A copy of <paramref name="items"/>; also what C# collection expressions (<c>[a, b]</c>) build.</summary>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(ImmutableArray.Create(items));

    /// <summary>A copy of <paramref name="items"/>, in their order (F#: <c>EquatableArray.Of [a; b]</c>).</summary>
    public static EquatableArray<T> Of<T>(IEnumerable<T> items) => new(items);

    /// <summary>A copy of <paramref name="items"/>, in their order, as LINQ's <c>ToList</c> or <c>ToImmutableArray</c> make.</summary>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items);

    /// <summary>Takes over <paramref name="array"/>, which the caller has just made and never touches again.</summary>
    internal static EquatableArray<T> Own<T>(T[] array) =>
        new(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(array));
}
