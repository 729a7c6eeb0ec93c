using LanguageExt;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>OpenSSL's group names, as `tickets serve --groups` and s_server -groups take them.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class GroupNamesTests
{
    [Fact]
    public void OpenSsl_spellings_and_aliases_are_understood_in_the_order_given()
    {
        Assert.Equal(
            [NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1],
            Parsed("X25519MLKEM768:X25519:P-256:secp384r1"));
        Assert.Equal([NamedGroup.ffdhe2048, NamedGroup.x448, NamedGroup.secp521r1], Parsed("ffdhe2048,X448,P-521"));
        Assert.Equal([NamedGroup.secp256r1], Parsed("prime256v1"));
        Assert.Equal([NamedGroup.X25519MLKEM768], Parsed("x25519mlkem768"));
    }

    private static NamedGroup[] Parsed(string list) => FinAssert.Succeeds(GroupNames.ParseList(list)).ToArray();

    [Theory]
    [InlineData("")]
    [InlineData("x25519::secp256r1")]
    [InlineData("x25519:brainpoolP256r1")]
    [InlineData("x25519:X25519")]
    [InlineData("SecP256r1MLKEM768")]
    public void Empty_unknown_and_repeated_names_fail(string list) =>
        Assert.True(GroupNames.ParseList(list).IsFail);

    [Fact]
    public void Every_default_group_has_a_name_that_reads_back()
    {
        foreach (var group in ServerPreferences.DefaultGroups)
        {
            Assert.Equal(Prelude.Some(group), GroupNames.Find(GroupNames.Name(group)));
        }

        Assert.Equal("0x001a", GroupNames.Name((NamedGroup)0x001A));
    }
}
