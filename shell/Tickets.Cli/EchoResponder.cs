using Tickets.Shell;

namespace Tickets.Cli;

/// <summary>Without --www: send every byte of application data straight back, until the client closes.</summary>
internal static class EchoResponder
{
    public static async Task ServeAsync(TicketServerConnection connection, CancellationToken stop)
    {
        // One record's worth: the engine hands over at most a record at a time anyway.
        var buffer = new byte[16 * 1024];
        int received;
        while ((received = await connection.ReadAsync(buffer, stop)) > 0)
        {
            await connection.WriteAsync(buffer.AsMemory(0, received), stop);
        }

        // The client sent close_notify (or hung up): answer with ours, as RFC 8446 §6.1 asks.
        await connection.ShutdownAsync();
    }
}
