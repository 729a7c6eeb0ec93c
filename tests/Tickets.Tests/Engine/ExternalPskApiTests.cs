using System.Text;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>The library face of external PSKs: what an <see cref="ExternalPsk"/> takes, keeps and wipes, and the table.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ExternalPskApiTests
{
    [Fact]
    public void From_hex_takes_what_s_server_takes_and_a_bad_key_is_refused_without_echoing_it()
    {
        using var psk = ExternalPsk.FromHex("Client_identity", "0A0b0c0d", HandshakeHash.Sha384);
        Assert.Equal("Client_identity"u8.ToArray(), psk.Identity.ToArray());
        Assert.Equal(HandshakeHash.Sha384, psk.Hash);
        Assert.Equal(4, psk.KeyLength);

        var error = Assert.Throws<ArgumentException>(() => ExternalPsk.FromHex("id", "secretsecretzz"));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ExternalPsk.FromHex("", "00"));
        Assert.Throws<ArgumentException>(() => ExternalPsk.FromHex("id", ""));
        Assert.Throws<ArgumentException>(() => new ExternalPsk("id"u8, new byte[ExternalPsk.MaxKeyLength + 1]));
        Assert.Throws<ArgumentException>(() => new ExternalPsk(new byte[ExternalPsk.MaxIdentityLength + 1], [1]));
    }

    [Fact]
    public void The_instance_keeps_its_own_copy_and_disposing_it_wipes_the_key()
    {
        byte[] key = [1, 2, 3, 4];
        var psk = new ExternalPsk("id"u8, key);
        key[0] = 9;
        Assert.Equal([1, 2, 3, 4], psk.CopyKey());

        psk.Dispose();
        Assert.Null(psk.CopyKey());
    }

    [Fact]
    public void The_table_copies_what_it_is_given_refuses_duplicates_and_finds_by_identity()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var alice = ExternalPsk.FromHex("alice", "0102");
        context.UseExternalPsks([alice, ExternalPsk.FromHex("bob", "0304")]);
        alice.Dispose();

        var found = context.FindExternalPsk!(Encoding.UTF8.GetBytes("alice"));
        Assert.NotNull(found);
        Assert.Equal([1, 2], found.CopyKey());
        Assert.Null(context.FindExternalPsk(Encoding.UTF8.GetBytes("carol")));

        Assert.Throws<ArgumentException>(() => context.UseExternalPsks([ExternalPsk.FromHex("x", "01"), ExternalPsk.FromHex("x", "02")]));
        Assert.NotNull(context.FindExternalPsk(Encoding.UTF8.GetBytes("bob")));

        // A new set wipes the copies of the old one: a handshake that found one a moment ago treats it as unknown.
        context.UseExternalPsks([]);
        Assert.Null(context.FindExternalPsk);
        Assert.Null(found.CopyKey());
    }

    [Fact]
    public void Disposing_the_context_wipes_its_copies()
    {
        var context = new TicketServerContext(TestCertificates.EcdsaP256);
        context.UseExternalPsks([ExternalPsk.FromHex("alice", "0102")]);
        var found = context.FindExternalPsk!(Encoding.UTF8.GetBytes("alice"))!;

        context.Dispose();

        Assert.Null(found.CopyKey());
    }
}
