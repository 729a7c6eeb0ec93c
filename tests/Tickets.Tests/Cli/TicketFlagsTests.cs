using Tickets.Cli;

namespace Tickets.Tests.Cli;

/// <summary>The ticket-protection flags of `serve` and the `ticket-keys` command, as parsed (no process, no files).</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TicketFlagsTests
{
    [Fact]
    public void Every_ticket_flag_is_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
        [
            "serve", "--ticket-keys", "fleet.keys", "--single-use-tickets", "--no-ticket",
            "--session-cache-size", "7", "--max-ticket-request=3", "--session-cache-bytes", "1000000",
        ]));

        Assert.Equal(
            ServeOptions.Defaults with
            {
                TicketKeysPath = "fleet.keys", SingleUseTickets = true, StatefulTickets = true, SessionCacheSize = 7, MaxTicketRequest = 3,
                SessionCacheBytes = 1000000,
            },
            serve.Options);
    }

    [Fact]
    public void Resuming_under_any_server_name_is_off_unless_asked_for_and_takes_no_value()
    {
        Assert.False(Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"])).Options.ResumeAnyServerName);
        Assert.True(Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--resume-any-server-name"])).Options.ResumeAnyServerName);
        Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", "--resume-any-server-name=yes"]));
    }

    [Fact]
    public void Without_ticket_flags_nothing_changes()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"]));

        Assert.Equal((null, false, false, null, null, null), (
            serve.Options.TicketKeysPath, serve.Options.SingleUseTickets, serve.Options.StatefulTickets,
            serve.Options.SessionCacheSize, serve.Options.MaxTicketRequest, serve.Options.TicketKeyRotationSeconds));
    }

    [Theory]
    [InlineData("--ticket-key-rotation", "0", 0u)]
    [InlineData("--ticket-key-rotation", "3600", 3600u)]
    public void Rotation_seconds_are_read(string flag, string value, uint seconds)
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", flag, value]));
        Assert.Equal(seconds, serve.Options.TicketKeyRotationSeconds);
    }

    [Theory]
    [InlineData("--session-cache-size", "0", "--session-cache-size needs")]
    [InlineData("--session-cache-size", "-3", "--session-cache-size needs")]
    [InlineData("--session-cache-size", "many", "--session-cache-size needs")]
    [InlineData("--session-cache-bytes", "65535", "--session-cache-bytes needs")]
    [InlineData("--session-cache-bytes", "-1", "--session-cache-bytes needs")]
    [InlineData("--max-ticket-request", "-1", "--max-ticket-request needs")]
    [InlineData("--max-ticket-request", "99999999999", "--max-ticket-request needs")]
    [InlineData("--ticket-key-rotation", "-5", "--ticket-key-rotation needs")]
    [InlineData("--ticket-keys", "", "--ticket-keys needs a file name")]
    public void Bad_values_are_usage_errors(string flag, string value, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", flag, value]));
        Assert.Contains(problem, invalid.Problem);
    }

    [Theory]
    [InlineData("--single-use-tickets=yes")]
    [InlineData("--no-ticket=1")]
    public void Switches_take_no_value(string argument)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", argument]));
        Assert.Contains("takes no value", invalid.Problem);
    }

    [Fact]
    public void A_key_file_and_own_key_rotation_exclude_each_other()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", "--ticket-keys", "k", "--ticket-key-rotation", "60"]));
        Assert.Contains("the key file decides", invalid.Problem);
    }

    [Theory]
    [InlineData(new[] { "generate", "k.keys" }, "generate", 1, false)]
    [InlineData(new[] { "generate", "k.keys", "--count", "4", "--force" }, "generate", 4, true)]
    [InlineData(new[] { "generate", "--force", "k.keys" }, "generate", 1, true)]
    [InlineData(new[] { "rotate", "k.keys" }, "rotate", 1, false)]
    [InlineData(new[] { "rotate", "k.keys", "--keep", "0" }, "rotate", 0, false)]
    public void Ticket_keys_commands_are_parsed(string[] arguments, string action, int count, bool force)
    {
        var keys = Assert.IsType<ParsedCommand.TicketKeys>(ArgumentParser.Parse(["ticket-keys", .. arguments]));
        Assert.Equal(new TicketKeysRequest(action, "k.keys", count, force), keys.Request);
    }

    [Theory]
    [InlineData(new string[0], "needs an action")]
    [InlineData(new[] { "destroy", "k" }, "unknown ticket-keys action")]
    [InlineData(new[] { "generate" }, "needs a FILE")]
    [InlineData(new[] { "generate", "k", "--count", "0" }, "--count needs a number from 1")]
    [InlineData(new[] { "generate", "k", "--count" }, "needs a value")]
    [InlineData(new[] { "generate", "k", "--keep", "1" }, "unknown option '--keep'")]
    [InlineData(new[] { "rotate", "k", "--force" }, "unknown option '--force'")]
    [InlineData(new[] { "rotate", "k", "--keep", "-1" }, "--keep needs a number from 0")]
    [InlineData(new[] { "generate", "a", "b" }, "unexpected argument 'b'")]
    public void Bad_ticket_keys_commands_are_usage_errors(string[] arguments, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["ticket-keys", .. arguments]));
        Assert.Contains(problem, invalid.Problem);
    }
}
