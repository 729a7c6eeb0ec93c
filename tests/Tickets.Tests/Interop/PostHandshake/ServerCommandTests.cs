namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>The standard-input commands of `tickets serve` that need no client, or report errors.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class ServerCommandTests
{
    [Fact]
    public async Task Commands_without_a_connection_and_bad_commands_are_acknowledged_with_errors()
    {
        await using var server = await PhaServer.StartAsync();
        Assert.Equal("tickets: c: error: no open connection", await PhaServer.CommandAsync(server, "c"));
        Assert.Equal("tickets: t 2: error: no open connection", await PhaServer.CommandAsync(server, "t 2"));
        Assert.Equal("tickets: n 1: error: no open connection", await PhaServer.CommandAsync(server, "n 1"));
        Assert.Equal("tickets: n -1: error: the count cannot be negative (-1)", await PhaServer.CommandAsync(server, "n -1"));
        Assert.Equal("tickets: N x: error: 'x' is not a whole number", await PhaServer.CommandAsync(server, "N x"));
        Assert.StartsWith("tickets: z: error: unknown command 'z'", await PhaServer.CommandAsync(server, "z"), StringComparison.Ordinal);
        Assert.Equal("tickets: N 0: context num-tickets 2 -> 0 (connections accepted from now on)", await PhaServer.CommandAsync(server, "N 0"));
    }

    [Fact]
    public async Task The_context_count_command_reaches_the_next_connection()
    {
        await using var server = await PhaServer.StartAsync();
        await PhaServer.CommandAsync(server, "N 0");
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: false, identity: null);
        Assert.Equal(0, (await server.NextConnectionAsync()).Tickets);
        await client.SendLineAsync("echo");
        await client.ExpectOutputLineAsync("echo");
        Assert.Equal(0, client.Tickets);
        await client.CloseAsync();
    }

    [Fact]
    public async Task Q_stops_the_server_cleanly()
    {
        await using var server = await PhaServer.StartAsync();
        Assert.Equal("tickets: q: stopping", await PhaServer.CommandAsync(server, "q"));
        Assert.True(await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(15)), server.Process.DescribeOutput());
        Assert.Contains("tickets: stopped", server.Process.OutputLines);
    }

    [Fact]
    public async Task The_end_of_standard_input_leaves_the_server_running()
    {
        await using var server = await PhaServer.StartAsync();
        server.Process.CloseInput();
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: false, identity: null);
        Assert.Equal(2, (await server.NextConnectionAsync()).Tickets);
        await client.CloseAsync();
        Assert.False(server.Process.HasExited);
    }
}
