using Tickets.Cli;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

public sealed class FleetFlagTests
{
    [Fact]
    public void Fleet_flags_are_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
            ["serve", "--redis", "10.0.0.5:6380", "--fleet-kek-file", "/etc/tickets/fleet.kek", "--fleet-poll", "2", "--ticket-key-rotation", "600"]));

        Assert.Equal("10.0.0.5:6380", serve.Options.RedisEndpoint);
        Assert.Equal("/etc/tickets/fleet.kek", serve.Options.FleetKekPath);
        Assert.Equal(2, serve.Options.FleetPollSeconds);
        Assert.Equal(600u, serve.Options.TicketKeyRotationSeconds);
    }

    [Theory]
    [InlineData("redis.internal:6379")]
    [InlineData("[::1]:6379")]
    [InlineData("127.0.0.1:1")]
    public void Host_names_and_addresses_are_endpoints(string endpoint)
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--redis", endpoint]));
        Assert.Equal(endpoint, serve.Options.RedisEndpoint);
    }

    [Theory]
    [InlineData(new[] { "--redis", "localhost" }, "--redis needs HOST:PORT")]
    [InlineData(new[] { "--redis", "localhost:0" }, "--redis needs HOST:PORT")]
    [InlineData(new[] { "--redis", "localhost:70000" }, "--redis needs HOST:PORT")]
    [InlineData(new[] { "--redis", ":6379" }, "--redis needs HOST:PORT")]
    [InlineData(new[] { "--redis", "h:6379", "--ticket-keys", "k" }, "cannot be combined with --redis")]
    [InlineData(new[] { "--fleet-kek-file", "k" }, "--fleet-kek-file only makes sense with --redis")]
    [InlineData(new[] { "--fleet-poll", "3" }, "--fleet-poll only makes sense with --redis")]
    [InlineData(new[] { "--redis", "h:6379", "--fleet-poll", "0" }, "--fleet-poll needs a number of seconds")]
    public void Bad_fleet_flags_are_usage_errors(string[] flags, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", .. flags]));
        Assert.Contains(problem, invalid.Problem);
    }

    [Fact]
    public async Task Redis_without_a_kek_refuses_to_start_and_says_how_to_give_one()
    {
        // No --fleet-kek-file, and the variable explicitly empty for the child (it would inherit ours otherwise).
        var result = await ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            [InteropPaths.CliAssembly, "serve", "--port", "0", "--redis", "127.0.0.1:1"],
            environment: new Dictionary<string, string> { ["XDG_DATA_HOME"] = InteropPaths.Scratch, ["TICKETS_FLEET_KEK"] = "" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--fleet-kek-file FILE or $TICKETS_FLEET_KEK", result.StandardError);
        Assert.DoesNotContain("listening", result.StandardOutput);
    }
}
