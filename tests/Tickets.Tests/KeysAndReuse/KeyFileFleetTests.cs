using Tickets.Tests.Interop;

namespace Tickets.Tests.KeysAndReuse;

/// <summary>
/// A fleet sharing a key file, with real processes and openssl s_client: `tickets ticket-keys` writes and rotates the key file,
/// servers started with `--ticket-keys` resume each other's tickets, a server without the file does not, and a
/// rewritten file is picked up while the servers run.
/// </summary>
[Trait("Category", TestCategory.Fleet)]
public class KeyFileFleetTests
{
    private static async Task<string> GenerateAsync(string directory, params string[] extra)
    {
        var path = Path.Combine(directory, "fleet.keys");
        var result = await TicketsServer.RunCommandAsync(["ticket-keys", "generate", path, .. extra]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return path;
    }

    [Fact]
    public async Task Generate_writes_an_owner_only_key_file_and_refuses_to_replace_it_without_force()
    {
        var directory = InteropPaths.NewDirectory("keys-generate");
        var path = await GenerateAsync(directory, "--count", "3");
        var keys = KeyFileLines.KeyLines(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path));
        Assert.Equal(3, keys.Count);
        Assert.Equal(3, keys.Distinct().Count());

        var again = await TicketsServer.RunCommandAsync("ticket-keys", "generate", path);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.StandardError);
        Assert.Equal(keys, KeyFileLines.KeyLines(path));

        var forced = await TicketsServer.RunCommandAsync("ticket-keys", "generate", path, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Single(KeyFileLines.KeyLines(path));
        Assert.DoesNotContain(keys[0], KeyFileLines.KeyLines(path));
        // What the command prints names the file, never a key.
        Assert.All(keys.Concat(KeyFileLines.KeyLines(path)), key => Assert.DoesNotContain(key, forced.StandardOutput + again.StandardOutput));
    }

    [Fact]
    public async Task Servers_sharing_a_key_file_resume_each_others_tickets_and_a_server_without_it_does_not()
    {
        var directory = InteropPaths.NewDirectory("keys-fleet");
        var path = await GenerateAsync(directory, "--count", "2");
        await using var first = await TicketsServer.StartAsync(["--port", "0", "--www", "--ticket-keys", path]);
        await using var second = await TicketsServer.StartAsync(["--port", "0", "--www", "--ticket-keys", path]);
        await using var outsider = await TicketsServer.StartAsync(["--port", "0", "--www"]);

        var issued = await TracedClient.ConnectAsync(first.Port, directory);
        var onSecond = await TracedClient.ConnectAsync(second.Port, directory, issued.SavedSession);
        var onOutsider = await TracedClient.ConnectAsync(outsider.Port, directory, issued.SavedSession);

        Assert.Equal((false, 2), (issued.Reused, issued.Tickets));
        Assert.Equal(KeyFileLines.Names(path)[0], SessionFile.Ticket(issued.SavedSession!)[..16]);
        Assert.Equal((true, true, 1), (onSecond.Offered, onSecond.Reused, onSecond.Tickets));
        Assert.Equal((true, false, 2), (onOutsider.Offered, onOutsider.Reused, onOutsider.Tickets));
        var secondLine = await second.NextConnectionAsync();
        Assert.Equal((true, 1), (secondLine.Resumed, secondLine.Tickets));
        Assert.False((await outsider.NextConnectionAsync()).Resumed);

        // Keys never reach the logs, whatever happened above.
        var logs = string.Join('\n', new[] { first, second }.SelectMany(server => server.Process.OutputLines.Concat(server.Process.ErrorLines)));
        Assert.Contains("keys from", logs);
        Assert.All(KeyFileLines.KeyLines(path), key => Assert.DoesNotContain(key, logs));
    }

    [Fact]
    public async Task Rotating_the_file_keeps_earlier_tickets_working_and_seals_new_ones_with_the_new_key()
    {
        var directory = InteropPaths.NewDirectory("keys-rotate");
        var path = await GenerateAsync(directory);
        var oldName = KeyFileLines.Names(path)[0];
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--ticket-keys", path]);
        var beforeRotation = await TracedClient.ConnectAsync(server.Port, directory);
        Assert.Equal(oldName, SessionFile.Ticket(beforeRotation.SavedSession!)[..16]);

        var rotated = await TicketsServer.RunCommandAsync("ticket-keys", "rotate", path);
        Assert.True(rotated.ExitCode == 0, rotated.Describe());
        var names = KeyFileLines.Names(path);
        Assert.Equal(2, names.Count);
        Assert.Equal(oldName, names[1]);
        await server.NextLineAsync(line => line.StartsWith("tickets: ticket keys reloaded from", StringComparison.Ordinal));

        var resumed = await TracedClient.ConnectAsync(server.Port, directory, beforeRotation.SavedSession);
        Assert.Equal((true, 1), (resumed.Reused, resumed.Tickets));
        Assert.Equal(names[0], SessionFile.Ticket(resumed.SavedSession!)[..16]);

        // Rotating again without keeping anything revokes the earlier keys: their tickets now get a full handshake.
        Assert.Equal(0, (await TicketsServer.RunCommandAsync("ticket-keys", "rotate", path, "--keep", "0")).ExitCode);
        await server.NextLineAsync(line => line.StartsWith("tickets: ticket keys reloaded from", StringComparison.Ordinal));
        var revoked = await TracedClient.ConnectAsync(server.Port, directory, resumed.SavedSession);
        Assert.Equal((true, false, 2), (revoked.Offered, revoked.Reused, revoked.Tickets));
        Assert.Equal(KeyFileLines.Names(path)[0], SessionFile.Ticket(revoked.SavedSession!)[..16]);
    }

    [Fact]
    public async Task The_own_key_rotates_automatically_and_older_tickets_still_resume()
    {
        var directory = InteropPaths.NewDirectory("keys-auto");
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--ticket-key-rotation", "1"]);

        var issued = await TracedClient.ConnectAsync(server.Port, directory);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var resumed = await TracedClient.ConnectAsync(server.Port, directory, issued.SavedSession);

        Assert.True(resumed.Reused);
        Assert.NotEqual(SessionFile.Ticket(issued.SavedSession!)[..16], SessionFile.Ticket(resumed.SavedSession!)[..16]);
    }

    [Theory]
    [InlineData("missing", "cannot be read")]
    [InlineData("world-readable", "chmod 600")]
    [InlineData("garbage", "header")]
    public async Task A_bad_key_file_stops_serve_with_a_clear_message_and_exit_1(string fault, string message)
    {
        var directory = InteropPaths.NewDirectory("keys-bad");
        var path = Path.Combine(directory, "fleet.keys");
        if (fault != "missing")
        {
            await GenerateAsync(directory);
        }

        if (fault == "world-readable" && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        else if (fault == "garbage")
        {
            File.WriteAllText(path, "hello\n");
        }

        var result = await TicketsServer.RunCommandAsync("serve", "--port", "0", "--ticket-keys", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Contains(path, result.StandardError);
    }

    [Theory]
    [InlineData("serve", "--session-cache-size", "0")]
    [InlineData("serve", "--max-ticket-request", "-2")]
    [InlineData("serve", "--no-ticket=yes")]
    [InlineData("ticket-keys", "generate")]
    public async Task Bad_values_exit_2_with_the_usage(params string[] arguments)
    {
        var result = await TicketsServer.RunCommandAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: tickets serve", result.StandardError);
    }
}
