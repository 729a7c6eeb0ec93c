using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Tickets.Tests.Engine;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 5: a client that stops reading made every write wait forever (data, close_notify, KeyUpdate answers,
/// tickets): its connection never reached --idle-timeout (it was not idle, it was stuck in a write) and held its
/// --max-connections slot until the server stopped. Every write now has a deadline (--write-timeout,
/// TicketServerContext.WriteTimeout); past it the connection is dropped. Nothing is asserted about durations: the
/// tests wait for the outcome with generous guards.
/// </summary>
public sealed class WriteDeadlineTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    [Trait("Category", TestCategory.Unit)]
    public async Task A_write_to_a_client_that_never_reads_ends_in_a_dropped_connection()
    {
        using var context = new TicketServerContext(Tickets.Tests.Engine.TestCertificates.EcdsaP256) { WriteTimeout = TimeSpan.FromSeconds(1) };
        await using var session = await ScriptedSession.ConnectAsync(context);
        await session.Handshake.WaitAsync(Guard);

        // Far more than the socket buffers between us can hold (a few MiB each way); the client reads none of it.
        var write = session.Connection.WriteAsync(new byte[48 * 1024 * 1024]).AsTask();
        var stalled = await Assert.ThrowsAsync<TlsWriteTimeoutException>(() => write.WaitAsync(Guard));
        Assert.Equal(TimeSpan.FromSeconds(1), stalled.Timeout);

        // Dropped: the client, reading at last, comes to the end of the stream (or a reset) instead of waiting.
        var buffer = new byte[64 * 1024];
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            while (await session.Client.ReceiveAsync(buffer, SocketFlags.None, guard.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset ends it too.
        }

        // And it stays failed: a later close_notify does not wait either.
        await session.Connection.ShutdownAsync().WaitAsync(Guard);
    }

    [Fact]
    [Trait("Category", TestCategory.Interop)]
    public async Task A_client_that_stops_reading_loses_its_slot_and_the_next_client_gets_it()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--max-connections", "1", "--write-timeout", "2"]);

        // The only slot: an echo connection whose client writes and never reads, with a small receive window.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync("127.0.0.1", server.Port);
        await using var stuck = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await stuck.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = SslStreamClient.UniqueTargetHost(),
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        using var stopWriting = new CancellationTokenSource(Guard);
        var flood = FloodAsync(stuck, stopWriting.Token);

        var (line, _) = await server.Process.WaitForLineAsync(
            candidate => candidate.StartsWith("conn 1 ", StringComparison.Ordinal) && candidate.Contains(" closed: ", StringComparison.Ordinal), Guard);
        Assert.EndsWith("closed: took no data for 2 s (--write-timeout)", line, StringComparison.Ordinal);
        await stopWriting.CancelAsync();
        await flood;

        // The slot is free again: a normal client is served, not refused. (The slot is handed back a moment after the
        // line is printed, when the connection's task ends: a client arriving in between is refused, so try again.)
        using var deadline = new CancellationTokenSource(Guard);
        await using var next = await ConnectUntilServedAsync(server.Port, deadline.Token);
        var (served, _) = await server.Process.WaitForLineAsync(candidate => candidate.StartsWith("conn ", StringComparison.Ordinal)
            && !candidate.StartsWith("conn 1 ", StringComparison.Ordinal) && candidate.Contains(" full ", StringComparison.Ordinal), Guard);
        Assert.Matches(@"^conn \d+ \S+ full TLS_", served);
    }

    private static async Task<SslStream> ConnectUntilServedAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await SslStreamClient.ConnectAsync(port, SslStreamClient.UniqueTargetHost(), cancellationToken);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Writes until the server stops taking bytes and the write fails, or until told to stop.</summary>
    private static async Task FloodAsync(SslStream stream, CancellationToken stop)
    {
        var chunk = new byte[256 * 1024];
        try
        {
            while (true)
            {
                await stream.WriteAsync(chunk, stop);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server dropped us, or the test is done.
        }
    }
}
