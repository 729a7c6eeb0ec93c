using System.Security.Cryptography;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>Stateless ticket sealing: round trips, layout, and refusal of anything not sealed by a key we hold.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TicketSealerTests
{
    private static byte[] Open(TicketSealer sealer, byte[] ticket) =>
        sealer.TryOpen(ticket).Match(Some: p => p, None: () => throw new Xunit.Sdk.XunitException("ticket did not open"));

    [Fact]
    public void SealedTicketOpensToThePlaintext()
    {
        using var sealer = TicketSealer.CreateRandom();
        var state = RandomNumberGenerator.GetBytes(120);
        var ticket = sealer.Seal(state);
        Assert.Equal(state, Open(sealer, ticket));
    }

    [Fact]
    public void LayoutIsNameIvCiphertextTag()
    {
        var name = RandomNumberGenerator.GetBytes(16);
        var key = RandomNumberGenerator.GetBytes(32);
        using var sealer = new TicketSealer(new TicketKey(name, key));
        var state = RandomNumberGenerator.GetBytes(50);

        var ticket = sealer.Seal(state);

        Assert.Equal(16 + 12 + 50 + 16, ticket.Length);
        Assert.Equal(name, ticket[..16]);
        // Decrypt independently: AES-256-GCM, iv = bytes 16..28, AAD = key name.
        using var aes = new AesGcm(key, 16);
        var plaintext = new byte[50];
        aes.Decrypt(ticket.AsSpan(16, 12), ticket.AsSpan(28, 50), ticket.AsSpan(78, 16), plaintext, name);
        Assert.Equal(state, plaintext);
    }

    [Fact]
    public void EachSealUsesAFreshIv()
    {
        using var sealer = TicketSealer.CreateRandom();
        var a = sealer.Seal(new byte[10]);
        var b = sealer.Seal(new byte[10]);
        Assert.NotEqual(a[16..28], b[16..28]);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void EmptyPlaintextRoundTrips()
    {
        using var sealer = TicketSealer.CreateRandom();
        var ticket = sealer.Seal(ReadOnlySpan<byte>.Empty);
        Assert.Equal(TicketSealer.Overhead, ticket.Length);
        Assert.Empty(Open(sealer, ticket));
    }

    [Fact]
    public void AnyTamperedByteGivesNone()
    {
        using var sealer = TicketSealer.CreateRandom();
        var ticket = sealer.Seal(RandomNumberGenerator.GetBytes(40));
        for (int i = 0; i < ticket.Length; i++)
        {
            var copy = (byte[])ticket.Clone();
            copy[i] ^= 0x04;
            Assert.True(sealer.TryOpen(copy).IsNone, $"tampered byte {i} opened");
        }
    }

    [Fact]
    public void UnknownKeyNameGivesNone()
    {
        using var ours = TicketSealer.CreateRandom();
        using var theirs = TicketSealer.CreateRandom();
        Assert.True(ours.TryOpen(theirs.Seal(new byte[8])).IsNone);
    }

    [Fact]
    public void SameNameDifferentKeyGivesNone()
    {
        var name = RandomNumberGenerator.GetBytes(16);
        using var ours = new TicketSealer(new TicketKey(name, RandomNumberGenerator.GetBytes(32)));
        using var impostor = new TicketSealer(new TicketKey(name, RandomNumberGenerator.GetBytes(32)));
        Assert.True(ours.TryOpen(impostor.Seal(new byte[8])).IsNone);
    }

    [Fact]
    public void TruncatedOrShortTicketsGiveNone()
    {
        using var sealer = TicketSealer.CreateRandom();
        var ticket = sealer.Seal(new byte[30]);
        Assert.True(sealer.TryOpen(ticket[..^1]).IsNone);
        Assert.True(sealer.TryOpen(ticket[..(TicketSealer.Overhead - 1)]).IsNone);
        Assert.True(sealer.TryOpen(ticket[..16]).IsNone);
        Assert.True(sealer.TryOpen([]).IsNone);
    }

    [Fact]
    public void RotationKeepsRecentKeysForOpeningOnly()
    {
        using var sealer = new TicketSealer(TicketKey.Generate(), maxRetainedKeys: 1);
        var first = sealer.Seal([1]);
        sealer.Rotate(TicketKey.Generate());
        var second = sealer.Seal([2]);

        Assert.NotEqual(first[..16], second[..16]);
        Assert.Equal([1], Open(sealer, first));
        Assert.Equal([2], Open(sealer, second));

        sealer.Rotate(TicketKey.Generate());
        Assert.True(sealer.TryOpen(first).IsNone);
        Assert.Equal([2], Open(sealer, second));
    }

    [Fact]
    public void KeyMaterialMustHaveTheRightSizes()
    {
        Assert.Throws<ArgumentException>(() => new TicketKey(new byte[15], new byte[32]));
        Assert.Throws<ArgumentException>(() => new TicketKey(new byte[16], new byte[16]));
    }
}
