using System.Security.Cryptography;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

/// <summary>
/// Stateless ticket sealing under one key: round trips, layout, and refusal of anything not sealed by the key; and how
/// a ring keeps a rotated-out key for opening only.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TicketKeyTests
{
    private static byte[] Open(TicketKey key, byte[] ticket) =>
        key.TryOpen(ticket).Match(Some: p => p, None: () => throw new Xunit.Sdk.XunitException("ticket did not open"));

    [Fact]
    public void SealedTicketOpensToThePlaintext()
    {
        using var key = TicketKey.Generate();
        var state = RandomNumberGenerator.GetBytes(120);
        var ticket = key.Seal(state);
        Assert.Equal(state, Open(key, ticket));
    }

    [Fact]
    public void LayoutIsNameIvCiphertextTag()
    {
        var name = RandomNumberGenerator.GetBytes(16);
        var secret = RandomNumberGenerator.GetBytes(32);
        using var key = new TicketKey(name, secret);
        var state = RandomNumberGenerator.GetBytes(50);

        var ticket = key.Seal(state);

        Assert.Equal(16 + 12 + 50 + 16, ticket.Length);
        Assert.Equal(name, ticket[..16]);
        // Decrypt independently: AES-256-GCM, iv = bytes 16..28, AAD = key name.
        using var aes = new AesGcm(secret, 16);
        var plaintext = new byte[50];
        aes.Decrypt(ticket.AsSpan(16, 12), ticket.AsSpan(28, 50), ticket.AsSpan(78, 16), plaintext, name);
        Assert.Equal(state, plaintext);
    }

    [Fact]
    public void EachSealUsesAFreshIv()
    {
        using var key = TicketKey.Generate();
        var a = key.Seal(new byte[10]);
        var b = key.Seal(new byte[10]);
        Assert.NotEqual(a[16..28], b[16..28]);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void EmptyPlaintextRoundTrips()
    {
        using var key = TicketKey.Generate();
        var ticket = key.Seal(ReadOnlySpan<byte>.Empty);
        Assert.Equal(TicketKey.Overhead, ticket.Length);
        Assert.Empty(Open(key, ticket));
    }

    [Fact]
    public void AnyTamperedByteGivesNone()
    {
        using var key = TicketKey.Generate();
        var ticket = key.Seal(RandomNumberGenerator.GetBytes(40));
        for (int i = 0; i < ticket.Length; i++)
        {
            var copy = (byte[])ticket.Clone();
            copy[i] ^= 0x04;
            Assert.True(key.TryOpen(copy).IsNone, $"tampered byte {i} opened");
        }
    }

    [Fact]
    public void UnknownKeyNameGivesNone()
    {
        using var ours = TicketKey.Generate();
        using var theirs = TicketKey.Generate();
        Assert.True(ours.TryOpen(theirs.Seal(new byte[8])).IsNone);
    }

    [Fact]
    public void SameNameDifferentKeyGivesNone()
    {
        var name = RandomNumberGenerator.GetBytes(16);
        using var ours = new TicketKey(name, RandomNumberGenerator.GetBytes(32));
        using var impostor = new TicketKey(name, RandomNumberGenerator.GetBytes(32));
        Assert.True(ours.TryOpen(impostor.Seal(new byte[8])).IsNone);
    }

    [Fact]
    public void TruncatedOrShortTicketsGiveNone()
    {
        using var key = TicketKey.Generate();
        var ticket = key.Seal(new byte[30]);
        Assert.True(key.TryOpen(ticket[..^1]).IsNone);
        Assert.True(key.TryOpen(ticket[..(TicketKey.Overhead - 1)]).IsNone);
        Assert.True(key.TryOpen(ticket[..16]).IsNone);
        Assert.True(key.TryOpen([]).IsNone);
    }

    [Fact]
    public void A_retired_key_seals_nothing_and_opens_nothing()
    {
        var key = TicketKey.Generate();
        var ticket = key.Seal([1]);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Seal([2]));
        Assert.True(key.TryOpen(ticket).IsNone);
    }

    [Fact]
    public void RotationKeepsRecentKeysForOpeningOnly()
    {
        // Rotation belongs to the ring: a rotated-out key only opens, and only while a ticket it sealed can live.
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { TimeProvider = clock, RotationInterval = null });
        var first = ring.Seal([1], TimeSpan.FromHours(1));
        ring.Rotate();
        var second = ring.Seal([2], TimeSpan.FromHours(2));

        Assert.NotEqual(first[..16], second[..16]);
        Assert.Equal([1], ring.TryOpen(first).Match(p => p, () => []));
        Assert.Equal([2], ring.TryOpen(second).Match(p => p, () => []));

        ring.Rotate();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(ring.TryOpen(first).IsNone);
        Assert.Equal([2], ring.TryOpen(second).Match(p => p, () => []));
    }

    [Fact]
    public void KeyMaterialMustHaveTheRightSizes()
    {
        Assert.Throws<ArgumentException>(() => new TicketKey(new byte[15], new byte[32]));
        Assert.Throws<ArgumentException>(() => new TicketKey(new byte[16], new byte[16]));
    }
}
