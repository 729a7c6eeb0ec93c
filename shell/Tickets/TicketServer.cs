using System.Net;
using System.Net.Sockets;

namespace Tickets;

/// <summary>
/// A TCP accept loop: each accepted socket becomes a <see cref="TicketServerConnection"/> whose handshake
/// and then handler run concurrently with all others. A failing connection (bad handshake, handler
/// exception) is logged and closed; it never stops the loop.
/// </summary>
public sealed class TicketServer
{
    private readonly TicketServerContext context;
    private readonly IPEndPoint endpoint;
    private Socket? listener;

    /// <summary>A server for <paramref name="context"/> that will listen on <paramref name="endpoint"/> once started.</summary>
    /// <param name="context">The settings, certificate and ticket store every accepted connection uses.</param>
    /// <param name="endpoint">The address and port to listen on; port 0 picks a free one (see <see cref="LocalEndpoint"/>).</param>
    public TicketServer(TicketServerContext context, IPEndPoint endpoint)
    {
        this.context = context ?? throw new ArgumentNullException(nameof(context));
        this.endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
    }

    /// <summary>Optional sink for one-line reports of connections that failed.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>A client that has not finished its handshake by then is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections served at once; one more is accepted and closed at once (and logged) rather than left in the
    /// kernel's queue, where it would wait unanswered behind stalled clients.
    /// </summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>The bound address, with the real port when port 0 was asked for; valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndpoint =>
        (IPEndPoint?)listener?.LocalEndPoint ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Binds and listens, so clients can connect before <see cref="RunAsync"/> is called.</summary>
    public void Start()
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("The server has already been started.");
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        listener = socket;
    }

    /// <summary>
    /// Accepts until <paramref name="cancellationToken"/> fires, then stops listening and waits for the
    /// connections in progress (which see the same token).
    /// </summary>
    public async Task RunAsync(Func<TicketServerConnection, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var socket = listener ?? throw new InvalidOperationException("Call Start before RunAsync.");
        var running = new HashSet<Task>();
        var connectionNumber = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException error)
                {
                    // A client that reset before we accepted it is its problem, not the server's.
                    Log?.Invoke($"accept failed: {error.Message}");
                    continue;
                }

                ++connectionNumber;
                Task task;
                lock (running)
                {
                    if (running.Count >= MaxConnections)
                    {
                        Log?.Invoke($"conn {connectionNumber} {accepted.RemoteEndPoint} refused: {MaxConnections} connections open");
                        accepted.Dispose();
                        continue;
                    }

                    task = ServeAsync(connectionNumber, accepted, handler, cancellationToken);
                    running.Add(task);
                }

                _ = task.ContinueWith(
                    finished =>
                    {
                        lock (running)
                        {
                            running.Remove(finished);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        finally
        {
            socket.Dispose();
            Task[] remaining;
            lock (running)
            {
                remaining = running.ToArray();
            }

            await Task.WhenAll(remaining).ConfigureAwait(false);
        }
    }

    /// <summary>One connection from handshake to close. Never throws: everything ends in the log.</summary>
    private async Task ServeAsync(
        int number, Socket socket, Func<TicketServerConnection, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        // Leave the accept loop at once; the handshake runs on the thread pool.
        await Task.Yield();
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            await using var connection = context.CreateConnection(socket);
            using (var handshakeDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshakeDeadline.CancelAfter(HandshakeTimeout);
                try
                {
                    await connection.HandshakeAsync(handshakeDeadline.Token).ConfigureAwait(false);
                }
                catch (TlsHandshakeException error)
                {
                    Log?.Invoke($"conn {number} {peer} handshake failed: {PeerText.Escape(error.Message)}");
                    return;
                }
                catch (OperationCanceledException)
                {
                    Log?.Invoke($"conn {number} {peer} handshake abandoned (timeout or shutdown)");
                    return;
                }
            }

            await handler(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Server shutdown.
        }
        catch (Exception error)
        {
            Log?.Invoke($"conn {number} {peer} failed: {error.GetType().Name}: {PeerText.Escape(error.Message)}");
        }
    }
}
