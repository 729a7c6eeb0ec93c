using Tickets;

namespace Tickets.Cli;

/// <summary>
/// --www: read one HTTP request head, answer with the page describing this connection, close with close_notify.
/// One request per connection is all `curl` and `openssl s_time -www` need, and it keeps the server simple.
/// </summary>
internal static class WwwResponder
{
    /// <summary>A client that connects and never sends its request is let go after this.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>--pha-path: the guarded path (null for none) and where to report each completed authentication.</summary>
    public sealed record ClientAuthentication(string? GuardedPath, Action<ClientAuthenticationResult> Completed);

    public static async Task ServeAsync(
        TicketServerConnection connection, Func<ConnectionReport> report, CancellationToken stop, ClientAuthentication? authentication = null)
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
            { Method: "GET" } when IsGuarded(head, authentication) =>
                await AuthenticateThenAnswerAsync(connection, report, authentication!, deadline.Token),
            { Method: "GET" } => WwwPage.Ok(report()),
            _ => WwwPage.MethodNotAllowed(head.Method),
        };
        await AnswerAsync(connection, response, deadline.Token);
    }

    /// <summary>The path matches with the query string left out, as a web server's location does.</summary>
    private static bool IsGuarded(HttpRequestHead head, ClientAuthentication? authentication)
    {
        if (authentication?.GuardedPath is not { } guarded)
        {
            return false;
        }

        var query = head.Target.IndexOf('?');
        return (query < 0 ? head.Target : head.Target[..query]) == guarded;
    }

    /// <summary>
    /// TLS 1.3 has no renegotiation, so a server that guards one location with client certificates asks for one after
    /// the handshake, once it sees the request. A client that cannot or will not present one gets 403.
    /// </summary>
    private static async Task<byte[]> AuthenticateThenAnswerAsync(
        TicketServerConnection connection, Func<ConnectionReport> report, ClientAuthentication authentication, CancellationToken cancellationToken)
    {
        if (!connection.PostHandshakeAuthOffered)
        {
            return WwwPage.Forbidden(
                "this page needs a client certificate, and your client did not offer post-handshake authentication (post_handshake_auth)");
        }

        var result = await connection.VerifyClientPostHandshakeAsync(cancellationToken);
        authentication.Completed(result);
        return result.Peer is null
            ? WwwPage.Forbidden("this page needs a client certificate, and your client sent none")
            : WwwPage.Ok(report());
    }

    /// <summary>The page and close_notify in one write (with the tickets too, when they waited for it).</summary>
    private static async Task AnswerAsync(TicketServerConnection connection, byte[] response, CancellationToken cancellationToken) =>
        await connection.WriteAndShutdownAsync(response, cancellationToken);
}
