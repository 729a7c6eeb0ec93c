using Tickets.Cli;

namespace Tickets.Tests.Trace;

/// <summary>The two trace flags of `tickets serve`.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TraceArgumentTests
{
    [Fact]
    public void Tracing_is_off_unless_asked_for()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--www"]));
        Assert.False(serve.Options.Trace);
        Assert.False(serve.Options.TraceSecrets);
    }

    [Fact]
    public void Trace_alone_never_includes_secrets()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--trace"]));
        Assert.True(serve.Options.Trace);
        Assert.False(serve.Options.TraceSecrets);
    }

    [Fact]
    public void Trace_secrets_implies_the_trace()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--trace-secrets"]));
        Assert.True(serve.Options.Trace);
        Assert.True(serve.Options.TraceSecrets);
    }

    [Theory]
    [InlineData("--trace=yes")]
    [InlineData("--trace-secrets=1")]
    public void The_flags_take_no_value(string argument) =>
        Assert.Equal(
            new ParsedCommand.Invalid($"option '{argument[..argument.IndexOf('=')]}' takes no value"),
            ArgumentParser.Parse(["serve", argument]));

    [Fact]
    public void The_help_text_warns_about_secrets() =>
        Assert.Contains("--trace-secrets        --trace plus the traffic secrets: UNSAFE outside a lab", Usage.Text, StringComparison.Ordinal);
}
