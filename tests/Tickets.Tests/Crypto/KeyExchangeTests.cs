using LanguageExt;
using LanguageExt.Common;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>Both sides of each supported group agree; malformed and malicious shares fail with illegal_parameter.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class KeyExchangeTests
{
    public static TheoryData<NamedGroup, int, int> Groups => new()
    {
        { NamedGroup.x25519, 32, 32 },
        { NamedGroup.secp256r1, 65, 32 },
        { NamedGroup.secp384r1, 97, 48 },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void TwoPartiesAgreeOnTheSharedSecret(NamedGroup group, int publicLength, int secretLength)
    {
        using var alice = KeyExchange.Create(group);
        using var bob = KeyExchange.Create(group);
        Assert.Equal(group, alice.Group);
        Assert.Equal(publicLength, alice.PublicKey.Length);
        Assert.NotEqual(alice.PublicKey, bob.PublicKey);

        var aliceSecret = alice.DeriveSharedSecret(bob.PublicKey).ThrowIfFail();
        var bobSecret = bob.DeriveSharedSecret(alice.PublicKey).ThrowIfFail();

        Assert.Equal(secretLength, aliceSecret.Length);
        Assert.Equal(aliceSecret, bobSecret);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void WrongLengthIsIllegalParameter(NamedGroup group, int publicLength, int secretLength)
    {
        _ = secretLength;
        using var us = KeyExchange.Create(group);
        AssertIllegalParameter(us.DeriveSharedSecret(new byte[publicLength - 1]));
        AssertIllegalParameter(us.DeriveSharedSecret(new byte[publicLength + 1]));
        AssertIllegalParameter(us.DeriveSharedSecret(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(NamedGroup.secp256r1)]
    [InlineData(NamedGroup.secp384r1)]
    public void PointOffTheCurveIsIllegalParameter(NamedGroup group)
    {
        using var us = KeyExchange.Create(group);
        using var them = KeyExchange.Create(group);
        var tampered = (byte[])them.PublicKey.Clone();
        tampered[^1] ^= 0x01;   // change Y only: (X, Y') is not on the curve
        AssertIllegalParameter(us.DeriveSharedSecret(tampered));
    }

    [Theory]
    [InlineData(NamedGroup.secp256r1)]
    [InlineData(NamedGroup.secp384r1)]
    public void CompressedOrInfinityEncodingsAreIllegalParameter(NamedGroup group)
    {
        using var us = KeyExchange.Create(group);
        using var them = KeyExchange.Create(group);
        var compressedMarker = (byte[])them.PublicKey.Clone();
        compressedMarker[0] = 0x02;
        AssertIllegalParameter(us.DeriveSharedSecret(compressedMarker));
        AssertIllegalParameter(us.DeriveSharedSecret(new byte[] { 0x00 }));
        var zeros = new byte[them.PublicKey.Length];
        zeros[0] = 0x04;
        AssertIllegalParameter(us.DeriveSharedSecret(zeros));
    }

    [Fact]
    public void X25519LowOrderPointsGivingAllZeroSecretAreIllegalParameter()
    {
        using var us = KeyExchange.Create(NamedGroup.x25519);
        // u = 0 and u = 1 are small-order points: every scalar maps them to an all-zero shared secret.
        AssertIllegalParameter(us.DeriveSharedSecret(new byte[32]));
        var one = new byte[32];
        one[0] = 1;
        AssertIllegalParameter(us.DeriveSharedSecret(one));
    }

    [Fact]
    public void OnlyImplementedGroupsAreSupported()
    {
        Assert.Equal([NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1], KeyExchange.SupportedGroups);
        Assert.False(KeyExchange.IsSupported(NamedGroup.x448));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyExchange.Create(NamedGroup.ffdhe2048));
    }

    private static void AssertIllegalParameter(Fin<byte[]> result)
    {
        Assert.True(result.IsFail);
        var error = result.Match(Succ: _ => Error.New("unexpected success"), Fail: e => e);
        var alert = Assert.IsType<AlertError>(error);
        Assert.Equal(AlertDescription.IllegalParameter, alert.Alert);
    }
}
