using System.Net;
using Tickets.Cli;

namespace Tickets.Tests.Cli;

[Trait("Category", TestCategory.Unit)]
public sealed class ArgumentParserTests
{
    [Fact]
    public void Serve_without_flags_uses_the_defaults()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"]));
        Assert.Equal(ServeOptions.Defaults, serve.Options);
        Assert.Equal(4433, serve.Options.Port);
        Assert.Equal(IPAddress.Loopback, serve.Options.Address);
        Assert.Null(serve.Options.NumTickets);
    }

    [Fact]
    public void Every_flag_is_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
        [
            "serve", "--accept", "8443", "--host", "::1", "--cert", "c.pem", "--key", "k.pem",
            "--num-tickets", "10", "--session-timeout", "300", "--www", "--quiet",
        ]));
        Assert.Equal(new ServeOptions(IPAddress.IPv6Loopback, 8443, "c.pem", "k.pem", 10, 300, Www: true, Quiet: true), serve.Options);
    }

    [Theory]
    [InlineData("--port=0", 0)]
    [InlineData("--port=65535", 65535)]
    [InlineData("--accept=4434", 4434)]
    public void Inline_values_are_accepted(string argument, int port)
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", argument]));
        Assert.Equal(port, serve.Options.Port);
    }

    [Fact]
    public void Zero_tickets_is_a_valid_count()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--num-tickets", "0"]));
        Assert.Equal(0, serve.Options.NumTickets);
    }

    [Fact]
    public void A_repeated_flag_keeps_its_last_value()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--num-tickets", "1", "--num-tickets", "3"]));
        Assert.Equal(3, serve.Options.NumTickets);
    }

    [Fact]
    public void Localhost_means_the_ipv4_loopback()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--host", "localhost"]));
        Assert.Equal(IPAddress.Loopback, serve.Options.Address);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("serve --port 1 --help")]
    public void Help_is_recognised(string commandLine) =>
        Assert.IsType<ParsedCommand.ShowHelp>(ArgumentParser.Parse(commandLine.Split(' ')));

    [Fact]
    public void Version_is_recognised() => Assert.IsType<ParsedCommand.ShowVersion>(ArgumentParser.Parse(["--version"]));

    [Theory]
    [InlineData(new string[0], "no command")]
    [InlineData(new[] { "serv" }, "unknown command 'serv'")]
    [InlineData(new[] { "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new[] { "--version", "extra" }, "unexpected argument 'extra'")]
    [InlineData(new[] { "serve", "--num-tickets", "-1" }, "cannot be negative")]
    [InlineData(new[] { "serve", "--num-tickets", "two" }, "whole number")]
    [InlineData(new[] { "serve", "--num-tickets" }, "needs a value")]
    [InlineData(new[] { "serve", "--port", "65536" }, "port number")]
    [InlineData(new[] { "serve", "--port", "-1" }, "port number")]
    [InlineData(new[] { "serve", "--host", "example.com" }, "IP address")]
    [InlineData(new[] { "serve", "--session-timeout", "-1" }, "--session-timeout")]
    [InlineData(new[] { "serve", "--session-timeout", "4294967296" }, "--session-timeout")]
    [InlineData(new[] { "serve", "--key", "k.pem" }, "together")]
    [InlineData(new[] { "serve", "--quiet=1" }, "takes no value")]
    [InlineData(new[] { "serve", "extra" }, "unexpected argument 'extra'")]
    [InlineData(new[] { "serve", "--cert=" }, "file name")]
    public void Bad_arguments_are_reported(string[] arguments, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(arguments));
        Assert.Contains(problem, invalid.Problem, StringComparison.Ordinal);
    }
}
