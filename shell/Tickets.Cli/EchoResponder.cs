using Tickets;

namespace Tickets.Cli;

/// <summary>Without --www: send every byte of application data straight back, until the client closes.</summary>
internal static class EchoResponder
{
    /// <summary>
    /// False when the client stayed silent for <paramref name="idleTimeout"/>: it then gets close_notify, so a
    /// forgotten connection does not hold its slot and buffers until the server stops.
    /// </summary>
    public static async Task<bool> ServeAsync(TicketServerConnection connection, TimeSpan idleTimeout, CancellationToken stop)
    {
        // One record's worth: the engine hands over at most a record at a time anyway.
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int received;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                idle.CancelAfter(idleTimeout);
                try
                {
                    received = await connection.ReadAsync(buffer, idle.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await connection.ShutdownAsync();
                    return false;
                }
            }

            if (received == 0)
            {
                break;
            }

            await connection.WriteAsync(buffer.AsMemory(0, received), stop);
        }

        // The client sent close_notify (or hung up): answer with ours, as RFC 8446 §6.1 asks.
        await connection.ShutdownAsync();
        return true;
    }
}
