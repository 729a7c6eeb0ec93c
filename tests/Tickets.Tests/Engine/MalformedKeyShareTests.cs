using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// A whole handshake fed one bad key share for each group: the server answers illegal_parameter (RFC 8446 §4.2.8.1,
/// §7.4.2; draft-ietf-tls-ecdhe-mlkem) and ends the connection, never an exception or a ServerHello.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class MalformedKeyShareTests
{
    public static TheoryData<string, NamedGroup, byte[]> Shares()
    {
        var offCurve = new byte[133];
        offCurve[0] = 0x04;
        offCurve[^1] = 1;   // (0, 1) is not on P-521
        var ffdheOne = new byte[256];
        ffdheOne[^1] = 1;
        var ffdhePMinusOne = Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(
            256, Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe2048.P.Subtract(Org.BouncyCastle.Math.BigInteger.One));
        var hybridBadModulus = new byte[1216];
        hybridBadModulus[0] = 0xFF;
        hybridBadModulus[1] = 0x0F;
        hybridBadModulus[^1] = 9;   // a fine x25519 key (u = 9, the base point), so only the ML-KEM part is wrong
        var hybridLowOrder = new byte[1216];   // zero coefficients pass the modulus check; u = 0 is low order
        return new()
        {
            { "x25519 all-zero secret", NamedGroup.x25519, new byte[32] },
            { "x448 all-zero secret", NamedGroup.x448, new byte[56] },
            { "x448 short", NamedGroup.x448, new byte[55] },
            { "secp521r1 off the curve", NamedGroup.secp521r1, offCurve },
            { "secp521r1 compressed", NamedGroup.secp521r1, [0x02, .. new byte[66]] },
            { "ffdhe2048 Y = 1", NamedGroup.ffdhe2048, ffdheOne },
            { "ffdhe2048 Y = p - 1", NamedGroup.ffdhe2048, ffdhePMinusOne },
            { "ffdhe2048 not left-padded", NamedGroup.ffdhe2048, [2] },
            { "ffdhe8192 of ffdhe2048's size", NamedGroup.ffdhe8192, ffdheOne },
            { "X25519MLKEM768 x25519 only", NamedGroup.X25519MLKEM768, new byte[32] },
            { "X25519MLKEM768 modulus check", NamedGroup.X25519MLKEM768, hybridBadModulus },
            { "X25519MLKEM768 low-order x25519", NamedGroup.X25519MLKEM768, hybridLowOrder },
        };
    }

    [Theory]
    [MemberData(nameof(Shares))]
    public async Task Bad_share_is_illegal_parameter(string what, NamedGroup group, byte[] share)
    {
        _ = what;
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var template = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));
        var extensions = template.Extensions.Select(extension => extension.Type switch
        {
            ExtensionType.SupportedGroups => new Extension(extension.Type, ExtensionBodies.SupportedGroups([group])),
            ExtensionType.KeyShare => new Extension(extension.Type, ExtensionBodies.KeyShareOffered([new KeyShareEntry(group, share)])),
            _ => extension,
        }).ToEquatableArray();

        var refused = await ScriptedClient.RefusedAsync(context, ClientHelloCodec.Encode(template with { Extensions = extensions }));

        Assert.Equal(AlertDescription.IllegalParameter, refused.Alert);
    }

    [Fact]
    public void Group_preferences_refuse_empty_duplicate_and_unknown_lists()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(ServerPreferences.DefaultGroups, context.Groups);
        Assert.Throws<ArgumentException>(() => context.Groups = []);
        Assert.Throws<ArgumentException>(() => context.Groups = [NamedGroup.x25519, NamedGroup.x25519]);
        Assert.Throws<ArgumentException>(() => context.Groups = [NamedGroup.x25519, (NamedGroup)0x001A]);
        Assert.Equal(ServerPreferences.DefaultGroups, context.Groups);

        context.Groups = [NamedGroup.ffdhe3072, NamedGroup.x448];
        Assert.Equal([NamedGroup.ffdhe3072, NamedGroup.x448], context.Groups);
    }
}
