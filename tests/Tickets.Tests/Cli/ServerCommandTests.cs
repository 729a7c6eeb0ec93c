using Tickets.Cli;
using Tickets;

namespace Tickets.Tests.Cli;

/// <summary>Parsing the s_server-style standard-input commands and the client-certificate flags.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ServerCommandParsingTests
{
    [Theory]
    [InlineData("c", "RequestCertificate")]
    [InlineData("  q ", "Quit")]
    [InlineData("t", "SendTickets 1")]
    [InlineData("t 3", "SendTickets 3")]
    [InlineData("n 0", "SetConnectionCount 0")]
    [InlineData("N 5", "SetContextCount 5")]
    [InlineData("n -1", "Invalid")]
    [InlineData("N", "Invalid")]
    [InlineData("t x", "Invalid")]
    [InlineData("c now", "Invalid")]
    [InlineData("C", "Invalid")]
    [InlineData("hello", "Invalid")]
    public void Lines_parse_to_commands(string line, string expected)
    {
        var described = ServerCommand.Parse(line) switch
        {
            ServerCommand.RequestCertificate => "RequestCertificate",
            ServerCommand.Quit => "Quit",
            ServerCommand.SendTickets send => $"SendTickets {send.Count}",
            ServerCommand.SetConnectionCount set => $"SetConnectionCount {set.Count}",
            ServerCommand.SetContextCount set => $"SetContextCount {set.Count}",
            ServerCommand.Invalid => "Invalid",
            var other => $"unexpected {other}",
        };
        Assert.Equal(expected, described);
    }

    [Fact]
    public void Blank_lines_are_no_command() => Assert.Null(ServerCommand.Parse("   "));

    [Fact]
    public void Client_certificate_flags_are_parsed()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--Verify", "--ca", "ca.pem", "--www", "--pha-path", "/secret"]));
        Assert.Equal(ClientCertificateMode.Require, serve.Options.ClientCertificates);
        Assert.Equal("ca.pem", serve.Options.CaPath);
        Assert.Equal("/secret", serve.Options.PhaPath);

        var ask = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--verify"]));
        Assert.Equal(ClientCertificateMode.Request, ask.Options.ClientCertificates);
        Assert.Equal(ClientCertificateMode.None, Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"])).Options.ClientCertificates);
    }

    [Theory]
    [InlineData("--pha-path", "/secret")]
    [InlineData("--www", "--pha-path", "secret")]
    [InlineData("--ca")]
    [InlineData("--verify=yes")]
    public void Bad_client_certificate_flags_are_refused(params string[] arguments) =>
        Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", .. arguments]));
}
