using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Utilities;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using static Tickets.Tests.Crypto.KeyExchangeTests;

namespace Tickets.Tests.Crypto;

/// <summary>
/// The RFC 7919 groups: peer values outside 1 &lt; Y &lt; p-1 or not padded to the size of p are illegal_parameter
/// (RFC 8446 §4.2.8.1), and the shared secret keeps its leading zeros (§7.4.1).
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class FfdheKeyExchangeTests
{
    public static TheoryData<NamedGroup> Ffdhe => new() { NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192 };

    private static BigInteger P(NamedGroup group) => group switch
    {
        NamedGroup.ffdhe2048 => DHStandardGroups.rfc7919_ffdhe2048.P,
        NamedGroup.ffdhe3072 => DHStandardGroups.rfc7919_ffdhe3072.P,
        NamedGroup.ffdhe4096 => DHStandardGroups.rfc7919_ffdhe4096.P,
        NamedGroup.ffdhe6144 => DHStandardGroups.rfc7919_ffdhe6144.P,
        _ => DHStandardGroups.rfc7919_ffdhe8192.P,
    };

    [Theory]
    [MemberData(nameof(Ffdhe))]
    public void Values_outside_one_and_p_minus_one_are_illegal_parameter(NamedGroup group)
    {
        using var server = KeyExchange.Create(group);
        var p = P(group);
        var length = server.PublicKey.Length;
        foreach (var y in new[] { BigInteger.Zero, BigInteger.One, p.Subtract(BigInteger.One), p, p.Add(BigInteger.One), BigInteger.One.ShiftLeft(8 * length).Subtract(BigInteger.One) })
        {
            AssertIllegalParameter(server.Answer(BigIntegers.AsUnsignedByteArray(length, y)));
        }

        // The smallest and largest values in range are fine.
        Assert.True(server.Answer(BigIntegers.AsUnsignedByteArray(length, BigInteger.Two)).IsSucc);
        Assert.True(server.Answer(BigIntegers.AsUnsignedByteArray(length, p.Subtract(BigInteger.Two))).IsSucc);
    }

    [Fact]
    public void A_value_without_its_left_padding_is_illegal_parameter()
    {
        using var server = KeyExchange.Create(NamedGroup.ffdhe2048);
        // 2 sent as one byte rather than as 256: RFC 8446 §4.2.8.1 asks for the size of p exactly.
        AssertIllegalParameter(server.Answer([2]));
        AssertIllegalParameter(server.Answer(BigIntegers.AsUnsignedByteArray(255, BigInteger.Two)));
    }

    [Theory]
    [MemberData(nameof(Ffdhe))]
    public void The_shared_secret_keeps_its_leading_zeros(NamedGroup group)
    {
        // With the exponent 100 and the peer value 2, the secret is 2^100: 13 significant bytes, the rest zeros that
        // both sides must keep (§7.4.1), or their keys differ from OpenSSL's.
        using var server = FfdheKeyExchange.FromPrivateExponent(group, BigInteger.ValueOf(100));
        var length = server.PublicKey.Length;
        var answer = server.Answer(BigIntegers.AsUnsignedByteArray(length, BigInteger.Two)).ThrowIfFail();
        Assert.Equal(BigIntegers.AsUnsignedByteArray(length, BigInteger.One.ShiftLeft(100)), answer.SharedSecret);
        Assert.Equal(length, answer.SharedSecret.Length);
        Assert.Equal(0, answer.SharedSecret[0]);
    }
}
