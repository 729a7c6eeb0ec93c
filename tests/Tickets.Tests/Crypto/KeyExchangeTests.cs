using LanguageExt;
using LanguageExt.Common;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>Both sides of each supported group agree; malformed and malicious shares fail with illegal_parameter.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class KeyExchangeTests
{
    /// <summary>Each group with the client's share length, the server's share length and the secret's length.</summary>
    public static TheoryData<NamedGroup, int, int, int> Groups => new()
    {
        { NamedGroup.x25519, 32, 32, 32 },
        { NamedGroup.x448, 56, 56, 56 },
        { NamedGroup.secp256r1, 65, 65, 32 },
        { NamedGroup.secp384r1, 97, 97, 48 },
        { NamedGroup.secp521r1, 133, 133, 66 },
        { NamedGroup.ffdhe2048, 256, 256, 256 },
        { NamedGroup.ffdhe3072, 384, 384, 384 },
        { NamedGroup.ffdhe4096, 512, 512, 512 },
        { NamedGroup.ffdhe6144, 768, 768, 768 },
        { NamedGroup.ffdhe8192, 1024, 1024, 1024 },
        { NamedGroup.X25519MLKEM768, 1216, 1120, 64 },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Client_and_server_agree_on_the_shared_secret(NamedGroup group, int clientShareLength, int serverShareLength, int secretLength)
    {
        using var client = KeyExchange.Create(group);
        using var server = KeyExchange.Create(group);
        Assert.Equal(group, client.Group);
        Assert.Equal(clientShareLength, client.PublicKey.Length);

        var answer = server.Answer(client.PublicKey).ThrowIfFail();
        Assert.Equal(serverShareLength, answer.Share.Length);
        Assert.Equal(secretLength, answer.SharedSecret.Length);
        Assert.NotEqual(client.PublicKey, answer.Share);

        var clientSecret = client.DeriveSharedSecret(answer.Share).ThrowIfFail();
        Assert.Equal(answer.SharedSecret, clientSecret);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Wrong_length_is_illegal_parameter(NamedGroup group, int clientShareLength, int serverShareLength, int secretLength)
    {
        _ = (serverShareLength, secretLength);
        using var server = KeyExchange.Create(group);
        using var client = KeyExchange.Create(group);
        var share = client.PublicKey;
        AssertIllegalParameter(server.Answer(share.AsSpan(0, clientShareLength - 1)));
        AssertIllegalParameter(server.Answer([.. share, 0]));
        AssertIllegalParameter(server.Answer([0, .. share]));
        AssertIllegalParameter(server.Answer(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(NamedGroup.secp256r1)]
    [InlineData(NamedGroup.secp384r1)]
    [InlineData(NamedGroup.secp521r1)]
    public void Point_off_the_curve_is_illegal_parameter(NamedGroup group)
    {
        using var us = KeyExchange.Create(group);
        using var them = KeyExchange.Create(group);
        var tampered = (byte[])them.PublicKey.Clone();
        tampered[^1] ^= 0x01;   // change Y only: (X, Y') is not on the curve
        AssertIllegalParameter(us.Answer(tampered));
    }

    [Theory]
    [InlineData(NamedGroup.secp256r1)]
    [InlineData(NamedGroup.secp384r1)]
    [InlineData(NamedGroup.secp521r1)]
    public void Compressed_or_infinity_encodings_are_illegal_parameter(NamedGroup group)
    {
        using var us = KeyExchange.Create(group);
        using var them = KeyExchange.Create(group);
        var compressedMarker = (byte[])them.PublicKey.Clone();
        compressedMarker[0] = 0x02;
        AssertIllegalParameter(us.Answer(compressedMarker));
        AssertIllegalParameter(us.Answer([0x00]));
        var zeros = new byte[them.PublicKey.Length];
        zeros[0] = 0x04;
        AssertIllegalParameter(us.Answer(zeros));
    }

    [Theory]
    [InlineData(NamedGroup.x25519, 32)]
    [InlineData(NamedGroup.x448, 56)]
    public void Low_order_points_giving_an_all_zero_secret_are_illegal_parameter(NamedGroup group, int length)
    {
        using var us = KeyExchange.Create(group);
        // u = 0 and u = 1 are small-order points: every scalar maps them to an all-zero shared secret.
        AssertIllegalParameter(us.Answer(new byte[length]));
        var one = new byte[length];
        one[0] = 1;
        AssertIllegalParameter(us.Answer(one));
    }

    [Fact]
    public void Every_group_of_the_default_order_is_implemented_and_others_are_not()
    {
        Assert.Equal(Tickets.Core.Negotiation.ServerPreferences.DefaultGroups, KeyExchange.SupportedGroups);
        Assert.All(KeyExchange.SupportedGroups, group => Assert.True(KeyExchange.IsSupported(group)));
        const NamedGroup brainpoolP256r1 = (NamedGroup)0x001A;
        Assert.False(KeyExchange.IsSupported(brainpoolP256r1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyExchange.Create(brainpoolP256r1));
    }

    internal static void AssertIllegalParameter<T>(Fin<T> result)
    {
        Assert.True(result.IsFail, "an invalid share was accepted");
        var error = result.Match(Succ: _ => Error.New("unexpected success"), Fail: e => e);
        var alert = Assert.IsType<AlertError>(error);
        Assert.Equal(AlertDescription.IllegalParameter, alert.Alert);
    }
}
