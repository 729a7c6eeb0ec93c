using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Protocol;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Core;

/// <summary>
/// The core's bytes and lists compare by content, so its records do too: what an F# user's <c>=</c> and a C# user's
/// <c>==</c> rely on. And they are immutable: nothing done to the array a value was made from reaches the value.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ValueEqualityTests
{
    [Fact]
    public void Bytes_with_the_same_content_are_equal_and_hash_alike()
    {
        var a = new Bytes(new byte[] { 1, 2, 3 });
        Bytes b = [1, 2, 3];

        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a == new Bytes(new byte[] { 1, 2, 4 }));
        Assert.False(a == new Bytes(new byte[] { 1, 2 }));
    }

    [Fact]
    public void Default_bytes_are_the_empty_bytes()
    {
        Assert.Equal(Bytes.Empty, default);
        Assert.Equal(Bytes.Empty, new Bytes(Array.Empty<byte>()));
        Assert.Equal(0, default(Bytes).Length);
        Assert.True(default(Bytes).IsEmpty);
        Assert.Equal("", default(Bytes).ToString());
        Assert.Empty(default(Bytes).ToArray());
    }

    [Fact]
    public void Bytes_copy_what_they_are_made_from_and_hand_out_copies()
    {
        var source = new byte[] { 1, 2, 3 };
        var value = new Bytes(source);
        Bytes implicitly = source;
        source[0] = 9;
        var copy = value.ToArray();
        copy[1] = 9;

        Assert.Equal([1, 2, 3], value.ToArray());
        Assert.Equal([1, 2, 3], implicitly.ToArray());
    }

    [Fact]
    public void Bytes_wrap_an_immutable_array_without_copying()
    {
        var owned = new byte[] { 5, 6 };
        var value = new Bytes(ImmutableCollectionsMarshal.AsImmutableArray(owned));

        Assert.True(value.Span.Overlaps(owned));
    }

    [Fact]
    public void Bytes_print_as_hex_and_slice_by_range()
    {
        Bytes value = [0x0a, 0xbc, 0xff, 0x00];

        Assert.Equal("0abcff00", value.ToString());
        Assert.Equal(new Bytes(new byte[] { 0xbc, 0xff }), value[1..3]);
        Assert.Equal(0xff, value[2]);
    }

    [Fact]
    public void Lists_with_equal_items_in_the_same_order_are_equal_and_hash_alike()
    {
        EquatableArray<KeyShareEntry> a = [new(NamedGroup.x25519, [1, 2]), new(NamedGroup.secp256r1, [3])];
        var b = new[] { new KeyShareEntry(NamedGroup.x25519, [1, 2]), new KeyShareEntry(NamedGroup.secp256r1, [3]) }.ToEquatableArray();

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a == b.Reverse().ToEquatableArray());
        Assert.False(a == b.Take(1).ToEquatableArray());
        Assert.Equal(EquatableArray<int>.Empty, default);
        Assert.Equal("[1; 2]", EquatableArray.Of([1, 2]).ToString());
    }

    [Fact]
    public void Lists_copy_what_they_are_made_from()
    {
        var source = new[] { CipherSuite.TLS_AES_128_GCM_SHA256 };
        EquatableArray<CipherSuite> value = source;
        source[0] = CipherSuite.TLS_AES_256_GCM_SHA384;

        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, value[0]);
        Assert.True(value.Contains(CipherSuite.TLS_AES_128_GCM_SHA256));
        Assert.Equal(-1, value.IndexOf(CipherSuite.TLS_AES_256_GCM_SHA384));
    }

    [Fact]
    public void Two_decodings_of_the_same_hello_are_equal_records_and_a_changed_byte_makes_them_differ()
    {
        var bytes = TestData.FixtureHandshake("chromium");
        var first = FinAssert.Succeeds(ClientHelloCodec.Parse(bytes));
        var second = FinAssert.Succeeds(ClientHelloCodec.Parse(bytes.ToArray()));
        var changed = bytes.ToArray();
        changed[10] ^= 1; // inside the random

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, FinAssert.Succeeds(ClientHelloCodec.Parse(changed)));
        Assert.Equal(first, first with { Cookie = Option<Bytes>.None });
    }
}
