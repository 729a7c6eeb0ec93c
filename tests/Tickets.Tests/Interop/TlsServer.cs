namespace Tickets.Tests.Interop;

/// <summary>A running TLS 1.3 server on 127.0.0.1 that clients can be pointed at.</summary>
public abstract class TlsServer : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    protected TlsServer(ServerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ServerProcess Process { get; }

    public int Port { get; }

    public abstract ServerKind Kind { get; }

    /// <summary>
    /// Starts the chosen server with the given ticket count (null: its default) in --www / -www mode, where each
    /// connection gets one page and is closed, so every client run ends by itself.
    /// </summary>
    public static async Task<TlsServer> StartAsync(ServerKind kind, int? numTickets) => kind switch
    {
        ServerKind.Tickets => await TicketsServer.StartAsync(TicketsServer.ArgumentsFor(numTickets, www: true)),
        ServerKind.OpenSslReference => await ReferenceServer.StartAsync(numTickets),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Process.DisposeAsync();
    }

    public override string ToString() => $"{Kind} on 127.0.0.1:{Port}";
}
