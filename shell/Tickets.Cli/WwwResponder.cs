using Tickets.Shell;

namespace Tickets.Cli;

/// <summary>
/// --www: read one HTTP request head, answer with the page describing this connection, close with close_notify.
/// One request per connection is all `curl` and `openssl s_time -www` need, and it keeps the server simple.
/// </summary>
internal static class WwwResponder
{
    /// <summary>A client that connects and never sends its request is let go after this.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task ServeAsync(TicketServerConnection connection, Func<ConnectionReport> report, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(RequestTimeout);

        // Request heads are a few hundred bytes: start small and grow up to the limit only when a client
        // really sends more, so each connection waiting for its request holds 1 KiB, not 16.
        var buffer = new byte[1024];
        var filled = 0;
        int headEnd;
        while ((headEnd = HttpRequestHead.FindEnd(buffer.AsSpan(0, filled))) < 0)
        {
            if (filled == HttpRequestHead.MaxHeadBytes)
            {
                await AnswerAsync(connection, WwwPage.BadRequest("request head too long"), deadline.Token);
                return;
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, HttpRequestHead.MaxHeadBytes));
            }

            var received = await connection.ReadAsync(buffer.AsMemory(filled), deadline.Token);
            if (received == 0)
            {
                // Closed without asking anything (e.g. a client that only wanted the handshake).
                await connection.ShutdownAsync();
                return;
            }

            filled += received;
        }

        var head = HttpRequestHead.Parse(buffer.AsSpan(0, headEnd));
        var response = head switch
        {
            null => WwwPage.BadRequest("not an HTTP/1.0 or HTTP/1.1 request"),
            { Method: "GET" } => WwwPage.Ok(report()),
            _ => WwwPage.MethodNotAllowed(head.Method),
        };
        await AnswerAsync(connection, response, deadline.Token);
    }

    private static async Task AnswerAsync(TicketServerConnection connection, byte[] response, CancellationToken cancellationToken)
    {
        await connection.WriteAsync(response, cancellationToken);
        await connection.ShutdownAsync();
    }
}
