using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Tickets.Cli;

/// <summary>
/// Accepts connections until stopped and numbers them. The CLI keeps its own loop (rather than TicketServer.RunAsync)
/// because its log lines need the connection number and the peer's address for every outcome, including failed
/// handshakes, and TicketServer runs the handshake before its handler sees the connection.
/// </summary>
internal static class AcceptLoop
{
    /// <summary>On shutdown, connections get this long to finish their close before the process exits anyway.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Serves at most <paramref name="maxConnections"/> at once. One more is refused at accept: taken off the
    /// kernel's queue and closed at once with one log line. Leaving it queued instead would let a flood of silent
    /// sockets fill the backlog, so real clients would wait with no answer until their own timeout; a prompt close
    /// tells them at once, and the slots held by stalled handshakes come back with the handshake timeout.
    /// </summary>
    public static async Task RunAsync(Socket listener, ConnectionHandler handler, int maxConnections, CancellationToken stop)
    {
        var running = new ConcurrentDictionary<long, Task>();
        long number = 0;
        try
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await listener.AcceptAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException)
                {
                    // A client that reset before we took its connection: its loss, not a reason to stop.
                    continue;
                }

                var id = ++number;
                if (running.Count >= maxConnections)
                {
                    handler.Refuse(id, accepted, maxConnections);
                    continue;
                }

                var task = handler.RunAsync(id, accepted, stop);
                running[id] = task;
                _ = task.ContinueWith(_ => running.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            // Stop listening first, so nobody new connects while the others are closing.
            listener.Dispose();
            try
            {
                await Task.WhenAll(running.Values).WaitAsync(ShutdownGrace);
            }
            catch (TimeoutException)
            {
                // A connection stuck in a write to a peer that stopped reading: do not wait for it forever.
            }
        }
    }
}
