using Tickets.Cli;

namespace Tickets.Tests.Cli;

/// <summary>The robustness flags of `tickets serve`: their defaults, their values, and the values they refuse.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class LimitOptionTests
{
    [Fact]
    public void Limits_have_their_documented_defaults()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"]));
        Assert.Equal(TimeSpan.FromSeconds(30), serve.Options.HandshakeTimeout);
        Assert.Equal(512, serve.Options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(300), serve.Options.IdleTimeout);
        Assert.Equal(131072, serve.Options.MaxHandshakeMessage);
        Assert.Equal(TimeSpan.FromSeconds(60), serve.Options.WriteTimeout);
        Assert.Null(serve.Options.KeyLogPath);
    }

    [Fact]
    public void Limit_flags_are_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
            ["serve", "--handshake-timeout", "1", "--max-connections=7", "--idle-timeout", "9", "--keylog", "keys.txt",
                "--max-handshake-message", "4096", "--write-timeout=3"]));
        Assert.Equal(TimeSpan.FromSeconds(1), serve.Options.HandshakeTimeout);
        Assert.Equal(7, serve.Options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(9), serve.Options.IdleTimeout);
        Assert.Equal("keys.txt", serve.Options.KeyLogPath);
        Assert.Equal(4096, serve.Options.MaxHandshakeMessage);
        Assert.Equal(TimeSpan.FromSeconds(3), serve.Options.WriteTimeout);
    }

    [Theory]
    [InlineData("--handshake-timeout", "0")]
    [InlineData("--handshake-timeout", "-5")]
    [InlineData("--handshake-timeout", "1.5")]
    [InlineData("--handshake-timeout", "86401")]
    [InlineData("--idle-timeout", "0")]
    [InlineData("--idle-timeout", "soon")]
    [InlineData("--write-timeout", "0")]
    [InlineData("--write-timeout", "86401")]
    [InlineData("--max-connections", "0")]
    [InlineData("--max-connections", "-1")]
    [InlineData("--max-connections", "many")]
    [InlineData("--keylog", "")]
    [InlineData("--max-handshake-message", "1023")]
    [InlineData("--max-handshake-message", "16777216")]
    [InlineData("--max-handshake-message", "big")]
    public void Limits_that_would_disable_themselves_are_refused(string flag, string value)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", flag, value]));
        Assert.Contains(flag, invalid.Problem, StringComparison.Ordinal);
    }
}
