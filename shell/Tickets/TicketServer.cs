using System.Net;
using System.Net.Sockets;
using Tickets.Diagnostics;

namespace Tickets;

/// <summary>
/// A TLS 1.3 server on one TCP endpoint: it accepts connections, runs each one's handshake and then your handler, all
/// concurrently, until stopped. A failing connection (a bad handshake, a handler exception) is logged and closed; it
/// never stops the server.
/// </summary>
/// <example>
/// <code>
/// await using var server = new TicketServer(new IPEndPoint(IPAddress.Loopback, 4433), new TicketServerOptions
/// {
///     ServerCertificate = certificate,   // with its private key
///     NumTickets = 3,                    // SSL_CTX_set_num_tickets
/// });
/// await server.StartAsync(async (connection, stopping) =>
/// {
///     await using var stream = connection.GetStream();   // disposing it sends close_notify
///     await stream.WriteAsync("hello\n"u8.ToArray(), stopping);
/// });
/// </code>
/// </example>
/// <remarks>
/// <para>For each accepted socket, in order: a connection is created (numbered by <see cref="TicketServerConnection.Id"/>),
/// refused at once if <see cref="TicketServerContext.MaxConnections"/> are open, shown to
/// <see cref="TicketServerContext.OnConnectionAccepted"/> (which may configure or refuse it), then its handshake starts on
/// the accepting thread, with no hop to the thread pool (with inline socket completions a hop costs more than it spreads),
/// and the handler runs once the handshake and its tickets are done. The handler owns the close: call
/// <see cref="TicketServerConnection.ShutdownAsync"/> (or dispose the connection's stream) for close_notify; the server
/// disposes the connection when the handler returns.</para>
/// <para><see cref="StopAsync"/> stops accepting, cancels the token every handshake and handler was given, waits up to
/// <see cref="TicketServerContext.ShutdownTimeout"/> for them to finish, and aborts the rest.</para>
/// </remarks>
public sealed class TicketServer : IAsyncDisposable
{
    /// <summary>Connections the kernel may queue before we accept them.</summary>
    private const int ListenBacklog = 512;

    private readonly IPEndPoint endPoint;
    private readonly bool ownsContext;
    private readonly Lock gate = new();
    private readonly Dictionary<long, TicketServerConnection> open = [];
    private readonly CancellationTokenSource stopping = new();
    private Socket? listener;
    private IPEndPoint? boundEndPoint;
    private Task? acceptLoop;
    private Func<TicketServerConnection, CancellationToken, Task>? handler;
    private TaskCompletionSource? drained;
    private Task? stopped;

    /// <summary>
    /// A server configured by <paramref name="options"/>, validated now. It builds its own <see cref="Context"/> from them
    /// and disposes it with itself.
    /// </summary>
    /// <param name="endPoint">Where to listen; port 0 lets the system choose (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="options">The server's configuration.</param>
    /// <exception cref="ArgumentException">An option has an unusable value.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other, or no certificate is set.</exception>
    public TicketServer(IPEndPoint endPoint, TicketServerOptions options)
        : this(endPoint, new TicketServerContext(options ?? throw new ArgumentNullException(nameof(options))), ownsContext: true)
    {
    }

    /// <summary>
    /// A server for a context you configured OpenSSL-style; every setting, the server's own included
    /// (<see cref="TicketServerContext.MaxConnections"/>, <see cref="TicketServerContext.ShutdownTimeout"/>,
    /// <see cref="TicketServerContext.OnConnectionAccepted"/>), is read from it. The context stays yours to dispose, after
    /// the server.
    /// </summary>
    /// <param name="endPoint">Where to listen; port 0 lets the system choose (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="context">The SSL_CTX every connection starts from.</param>
    public TicketServer(IPEndPoint endPoint, TicketServerContext context)
        : this(endPoint, context ?? throw new ArgumentNullException(nameof(context)), ownsContext: false)
    {
    }

    private TicketServer(IPEndPoint endPoint, TicketServerContext context, bool ownsContext)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        this.endPoint = endPoint;
        Context = context;
        this.ownsContext = ownsContext;
    }

    /// <summary>
    /// The SSL_CTX of this server: change ticket counts, the ticket store (e.g. <c>UseRedisFleetAsync</c>) and other
    /// settings through it, before or while the server runs.
    /// </summary>
    public TicketServerContext Context { get; }

    /// <summary>The bound address, with the real port when port 0 was asked for; still readable after the server stopped.</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint LocalEndPoint => boundEndPoint ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Connections accepted and not yet closed, handshaking or served.</summary>
    public int OpenConnections
    {
        get
        {
            lock (gate)
            {
                return open.Count;
            }
        }
    }

    /// <summary>
    /// Binds, listens and starts accepting in the background; returns once clients can connect. Each connection whose
    /// handshake completes is given to <paramref name="handler"/> with a token that fires when the server stops.
    /// </summary>
    /// <param name="handler">Serves one connection after its handshake; the connection is disposed when it returns.</param>
    /// <param name="cancellationToken">Not used after the start: stop the server with <see cref="StopAsync"/>.</param>
    /// <exception cref="InvalidOperationException">The server was started before.</exception>
    /// <exception cref="SocketException">The endpoint cannot be listened on (in use, not ours).</exception>
    public Task StartAsync(Func<TicketServerConnection, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (this.handler is not null || stopped is not null)
            {
                throw new InvalidOperationException("The server has already been started.");
            }

            this.handler = handler;
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(ListenBacklog);
        }
        catch
        {
            socket.Dispose();
            lock (gate)
            {
                this.handler = null;
            }

            throw;
        }

        boundEndPoint = (IPEndPoint?)socket.LocalEndPoint;
        listener = socket;
        TicketsLog.Listening(Context.ServerLogger, socket.LocalEndPoint?.ToString() ?? endPoint.ToString(), null);
        acceptLoop = AcceptAsync(socket);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts (as <see cref="StartAsync"/>) unless started already, serves until <paramref name="stoppingToken"/> fires, then
    /// stops (as <see cref="StopAsync"/>, with the shutdown timeout).
    /// </summary>
    public async Task RunAsync(Func<TicketServerConnection, CancellationToken, Task> handler, CancellationToken stoppingToken)
    {
        if (acceptLoop is null)
        {
            await StartAsync(handler, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops accepting, tells every open connection to stop (the token their handshake and handler got fires), and waits
    /// for them until <see cref="TicketServerContext.ShutdownTimeout"/> passes or <paramref name="cancellationToken"/>
    /// fires; the connections still open then are aborted (their transport closed, so whatever they wait on fails).
    /// Calling it again waits for the same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            stopped ??= StopOnceAsync(cancellationToken);
            return stopped;
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        // Stop listening first, so nobody new connects while the others are closing.
        listener?.Dispose();
        if (acceptLoop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        Task allClosed;
        lock (gate)
        {
            drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open.Count == 0)
            {
                drained.SetResult();
            }

            allClosed = drained.Task;
            TicketsLog.Stopping(Context.ServerLogger, open.Count, null);
        }

        if (await FinishesWithinAsync(allClosed, Context.ShutdownTimeout, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        TicketServerConnection[] stragglers;
        lock (gate)
        {
            stragglers = [.. open.Values];
        }

        TicketsLog.ConnectionsAborted(Context.ServerLogger, stragglers.Length, null);
        foreach (var connection in stragglers)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        // Aborted connections fail whatever they wait on at once; let them unwind, but do not wait on a handler that
        // ignores its token and its transport alike.
        await FinishesWithinAsync(allClosed, TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops the server if it runs (as <see cref="StopAsync"/>), then disposes the context if the server built it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (acceptLoop is not null)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        listener?.Dispose();
        stopping.Dispose();
        if (ownsContext)
        {
            Context.Dispose();
        }
    }

    private async Task AcceptAsync(Socket socket)
    {
        // Off the caller of StartAsync: the loop's first wait is on the socket anyway.
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await socket.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException error)
            {
                // A client that reset before we took its connection: its loss, not a reason to stop.
                TicketsLog.AcceptFailed(Context.ServerLogger, error.Message, null);
                continue;
            }

            Accept(accepted);
        }
    }

    /// <summary>One accepted socket, on the accepting thread: refuse it, or start its handshake.</summary>
    private void Accept(Socket socket)
    {
        TicketServerConnection connection;
        try
        {
            connection = Context.CreateConnection(socket);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Reset between accept and now: nothing to serve.
            socket.Dispose();
            TicketsLog.AcceptFailed(Context.ServerLogger, error.Message, null);
            return;
        }

        var accepted = new TicketConnectionAcceptedContext(connection, OverLimit());
        try
        {
            Context.OnConnectionAccepted?.Invoke(accepted);
        }
        catch (Exception error)
        {
            accepted.Refuse($"OnConnectionAccepted threw {error.GetType().Name}: {PeerText.Escape(error.Message)}");
        }

        var remote = connection.RemoteEndPoint?.ToString() ?? "unknown";
        if (accepted.RefusalReason is { } reason)
        {
            Context.Metrics.Rejected(accepted.RefusedByServer ? "max_connections" : "refused");
            TicketsLog.ConnectionRefused(Context.ServerLogger, connection.Id, remote, reason, null);
            // Nothing was read or written: disposing closes the socket and completes at once.
            _ = connection.DisposeAsync();
            return;
        }

        TicketsLog.ConnectionAccepted(Context.ServerLogger, connection.Id, remote, null);
        lock (gate)
        {
            open[connection.Id] = connection;
        }

        _ = ServeAsync(connection, remote);
    }

    private string? OverLimit()
    {
        var max = Context.MaxConnections;
        lock (gate)
        {
            return open.Count >= max ? $"{max} connections open" : null;
        }
    }

    /// <summary>One connection from handshake to close. Never throws: everything ends in the log.</summary>
    private async Task ServeAsync(TicketServerConnection connection, string remote)
    {
        var token = stopping.Token;
        try
        {
            try
            {
                await connection.HandshakeAsync(token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is TlsHandshakeException or TimeoutException or OperationCanceledException)
            {
                // Logged and counted by the connection, and raised as its HandshakeFailed event.
                return;
            }

            await handler!(connection, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Server shutdown.
        }
        catch (Exception error)
        {
            TicketsLog.ConnectionFailed(Context.ServerLogger, connection.Id, remote, error.GetType().Name, PeerText.Escape(error.Message), null);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            lock (gate)
            {
                open.Remove(connection.Id);
                if (open.Count == 0)
                {
                    drained?.TrySetResult();
                }
            }
        }
    }
}
