using Tickets.Cli;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Cli;

/// <summary>`tickets serve --psk HEX --psk-identity ID --psk-hash H --allow-psk-ke`: s_server's names and defaults.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class PskOptionTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    [Fact]
    public void A_psk_takes_s_servers_defaults_identity_client_identity_and_sha256()
    {
        var options = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--psk", Key])).Options;

        Assert.Equal(Convert.FromHexString(Key), options.PskKey);
        Assert.Null(options.PskIdentity);
        Assert.Null(options.PskHash);
        Assert.False(options.AllowPskKe);
        Assert.Equal(
            "external PSK identity \"Client_identity\" (16-byte key, SHA-256); PSK modes psk_dhe_ke only",
            PskFlags.Describe(options, options.PskKey!.Length));
    }

    [Fact]
    public void Identity_hash_and_psk_ke_are_taken_and_described_without_the_key()
    {
        var options = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
            ["serve", "--psk=0a0b", "--psk-identity", "device 7", "--psk-hash", "SHA384", "--allow-psk-ke"])).Options;

        Assert.Equal("device 7", options.PskIdentity);
        Assert.Equal(HandshakeHash.Sha384, options.PskHash);
        Assert.True(options.AllowPskKe);
        var line = PskFlags.Describe(options, 2)!;
        Assert.Equal(
            "external PSK identity \"device\\x207\" (2-byte key, SHA-384, short: RFC 9257 advises at least 16 bytes); "
            + "PSK modes psk_dhe_ke, and psk_ke for clients offering only it (no forward secrecy)",
            line);
        Assert.DoesNotContain("0a0b", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Psk_ke_alone_is_described_and_nothing_is_without_either()
    {
        var allowed = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--allow-psk-ke"])).Options;
        Assert.Equal("PSK modes psk_dhe_ke, and psk_ke for clients offering only it (no forward secrecy)", PskFlags.Describe(allowed, null));
        Assert.Null(PskFlags.Describe(ServeOptions.Defaults, null));
    }

    [Theory]
    [InlineData(new[] { "--psk", "xyz123" }, "--psk needs the key in hexadecimal")]
    [InlineData(new[] { "--psk", "abc" }, "--psk needs the key in hexadecimal")]
    [InlineData(new[] { "--psk", "" }, "--psk needs the key in hexadecimal")]
    [InlineData(new[] { "--psk-identity", "x" }, "--psk-identity only makes sense with --psk")]
    [InlineData(new[] { "--psk-hash", "sha256" }, "--psk-hash only makes sense with --psk")]
    [InlineData(new[] { "--psk", "00", "--psk-hash", "md5" }, "--psk-hash takes sha256 or sha384")]
    [InlineData(new[] { "--psk", "00", "--psk-identity", "" }, "--psk-identity needs 1 to")]
    [InlineData(new[] { "--allow-psk-ke=yes" }, "takes no value")]
    public void Bad_psk_flags_are_usage_errors_that_never_echo_a_key(string[] flags, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", .. flags]));

        Assert.Contains(problem, invalid.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz123", invalid.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_psk_keeps_the_last_key_and_wipes_the_one_it_replaces()
    {
        var options = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--psk", Key])).Options;
        var first = options.PskKey!;

        var (replaced, problem) = PskFlags.Apply(options, "--psk", "ff");

        Assert.Null(problem);
        Assert.Equal(new byte[16], first);
        Assert.Equal([0xff], replaced.PskKey);
    }

    [Fact]
    public void Applying_gives_the_context_its_own_copy_and_wipes_the_options_key()
    {
        using var context = new TicketServerContext(Engine.TestCertificates.EcdsaP256);
        var options = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--psk", Key, "--psk-identity", "id", "--allow-psk-ke"])).Options;

        PskFlags.Apply(options, context);

        Assert.Equal(new byte[16], options.PskKey);
        Assert.True(context.AllowPskWithoutKeyExchange);
        var found = context.FindExternalPsk!("id"u8.ToArray());
        Assert.Equal(Convert.FromHexString(Key), found!.CopyKey());
    }
}
