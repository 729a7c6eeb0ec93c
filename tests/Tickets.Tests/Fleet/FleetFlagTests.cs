using Tickets.Cli;
using Tickets.Redis;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

[Trait("Category", TestCategory.Unit)]
public sealed class FleetFlagTests
{
    [Fact]
    public void Fleet_flags_are_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
            ["serve", "--redis", "10.0.0.5:6380", "--fleet-kek-file", "/etc/tickets/fleet.kek", "--fleet-poll", "2", "--ticket-key-rotation", "600", "--redis-timeout", "250"]));

        Assert.Equal("10.0.0.5:6380", serve.Options.RedisEndpoint);
        Assert.Equal("/etc/tickets/fleet.kek", serve.Options.FleetKekPath);
        Assert.Equal(2, serve.Options.FleetPollSeconds);
        Assert.Equal(600u, serve.Options.TicketKeyRotationSeconds);
        Assert.Equal(250, serve.Options.RedisTimeoutMilliseconds);
        Assert.Null(serve.Options.RedisPasswordPath);
        Assert.Null(serve.Options.RedisUser);
    }

    [Fact]
    public void Redis_login_flags_are_applied()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(
            ["serve", "--redis", "10.0.0.5:6380", "--redis-password-file", "/run/secrets/redis", "--redis-user=tickets"]));

        Assert.Equal("/run/secrets/redis", serve.Options.RedisPasswordPath);
        Assert.Equal("tickets", serve.Options.RedisUser);
    }

    [Theory]
    [InlineData("s3cret\n", "s3cret")]
    [InlineData("s3cret", "s3cret")]
    [InlineData("s3cret\r\n", "s3cret")]
    [InlineData("two words \nsecond line\n", "two words ")]
    public void The_password_is_the_first_line_of_the_file(string content, string password)
    {
        var path = Path.Combine(InteropPaths.NewDirectory("redis-password"), "password");
        File.WriteAllText(path, content);
        // Owner-only, as the server insists (like the KEK file): this test is about the content.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (loaded, problem) = FleetSettings.LoadRedisPassword(ServeOptions.Defaults with { RedisEndpoint = "h:1", RedisPasswordPath = path });

        Assert.Null(problem);
        Assert.Equal(password, loaded);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\nnot-this-line\n", "is empty")]
    public void A_password_file_without_a_first_line_is_a_problem_that_names_the_file_not_its_content(string content, string problem)
    {
        var path = Path.Combine(InteropPaths.NewDirectory("redis-password"), "password");
        File.WriteAllText(path, content);
        // Owner-only, as the server insists (like the KEK file): this test is about the content.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (loaded, message) = FleetSettings.LoadRedisPassword(ServeOptions.Defaults with { RedisEndpoint = "h:1", RedisPasswordPath = path });

        Assert.Null(loaded);
        Assert.Contains($"redis password file '{path}' {problem}", message);
        Assert.DoesNotContain("not-this-line", message);
    }

    [Fact]
    public async Task A_missing_password_file_refuses_to_start_and_names_the_file()
    {
        var path = Path.Combine(InteropPaths.NewDirectory("redis-password"), "missing");
        var (kek, kekText) = FleetKek.Generate();
        kek.Dispose();
        var result = await ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            [InteropPaths.CliAssembly, "serve", "--port", "0", "--redis", "127.0.0.1:1", "--redis-password-file", path],
            environment: new Dictionary<string, string> { ["XDG_DATA_HOME"] = InteropPaths.Scratch, ["TICKETS_FLEET_KEK"] = kekText });

        // The same code as for a missing KEK or certificate file: a start-up failure, not a usage error.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"tickets: redis password file '{path}' cannot be read", result.StandardError);
        Assert.DoesNotContain("listening", result.StandardOutput);
    }

    [Fact]
    public void Help_names_the_password_file_and_the_variable_and_which_wins()
    {
        Assert.Contains("--redis-password-file FILE  the Redis password (AUTH): the first line of FILE", Usage.Text, StringComparison.Ordinal);
        Assert.Contains("TICKETS_REDIS_PASSWORD (FILE wins if both are given)", Usage.Text, StringComparison.Ordinal);
        Assert.Contains("--redis-user NAME", Usage.Text, StringComparison.Ordinal);
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
    [InlineData(new[] { "--redis", "h:6379", "--redis-timeout", "0" }, "--redis-timeout needs a number of milliseconds")]
    [InlineData(new[] { "--redis-timeout", "100" }, "--redis-timeout only makes sense with --redis")]
    [InlineData(new[] { "--redis-password-file", "p" }, "--redis-password-file only makes sense with --redis")]
    [InlineData(new[] { "--redis-user", "u" }, "--redis-user only makes sense with --redis")]
    [InlineData(new[] { "--redis", "h:6379", "--redis-password-file=" }, "--redis-password-file needs a file name")]
    [InlineData(new[] { "--redis", "h:6379", "--redis-user=" }, "--redis-user needs a user name")]
    [InlineData(new[] { "--redis", "h:6379", "--redis-password", "secret" }, "unknown option '--redis-password'")]
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
