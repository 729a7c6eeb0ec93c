using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Robustness;

/// <summary>--idle-timeout: an established echo connection that goes quiet is closed with close_notify and one log line.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task Silent_established_client_is_closed_cleanly()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--idle-timeout", "1"]);
        using var guard = new CancellationTokenSource(RawClient.HangGuard);
        await using var stream = await SslStreamClient.ConnectAsync(server.Port, SslStreamClient.UniqueTargetHost(), guard.Token);

        // The client never sends a byte (so nothing depends on how fast it could have): the server says goodbye with
        // close_notify, which SslStream reads as 0, after the tickets it processes on the way.
        Assert.Equal(0, await stream.ReadAsync(new byte[16], guard.Token));
        var (line, _) = await server.Process.WaitForLineAsync(l => l.StartsWith("conn 1 ", StringComparison.Ordinal) && l.Contains("closed"), TimeSpan.FromSeconds(15));
        Assert.EndsWith("closed: idle for 1 s", line);
    }
}
