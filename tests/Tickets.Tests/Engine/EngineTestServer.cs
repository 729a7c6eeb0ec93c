using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tickets;

namespace Tickets.Tests.Engine;

/// <summary>What the server saw of one connection, recorded right after its handshake.</summary>
internal sealed record ServedConnection(
    bool Resumed, string CipherSuite, string Group, string SignatureScheme, string? ServerName, string? ApplicationProtocol, int Tickets);

/// <summary>
/// An in-process <see cref="TicketServer"/> on 127.0.0.1 with an ephemeral port. Each connection gets a
/// greeting line after its handshake (so a client knows the tickets, sent before it, have arrived) and
/// then has everything it sends echoed back until it closes. A failed handshake leaves a line in <see cref="Log"/>,
/// written by the connection's HandshakeFailed event, which the pre-handshake callback subscribes to.
/// </summary>
internal sealed class EngineTestServer : IAsyncDisposable
{
    public const string Greeting = "hello from tickets";


    public EngineTestServer(X509Certificate2? certificate = null, int? numTickets = null, TicketServerContext? context = null)
    {
        Context = context ?? new TicketServerContext(certificate ?? TestCertificates.EcdsaP256);
        if (numTickets is { } count)
        {
            Context.SetNumTickets(count);
        }

        Context.HandshakeTimeout = TimeSpan.FromSeconds(5);
        Context.OnConnectionAccepted = accepted =>
        {
            var connection = accepted.Connection;
            connection.HandshakeFailed += (_, error) => Log.Enqueue($"conn {connection.Id} {connection.RemoteEndPoint} handshake failed: {error.Message}");
        };
        Server = new TicketServer(new IPEndPoint(IPAddress.Loopback, 0), Context);
        Server.StartAsync(ServeAsync).GetAwaiter().GetResult();
    }

    public TicketServerContext Context { get; }

    public TicketServer Server { get; }

    public int Port => Server.LocalEndPoint.Port;

    public ConcurrentQueue<ServedConnection> Served { get; } = new();

    public ConcurrentQueue<string> Log { get; } = new();

    private async Task ServeAsync(TicketServerConnection connection, CancellationToken cancellationToken)
    {
        Served.Enqueue(new ServedConnection(
            connection.Resumed,
            connection.NegotiatedCipherSuite.ToString(),
            connection.NegotiatedGroup?.ToString() ?? string.Empty,
            connection.NegotiatedSignatureScheme?.ToString() ?? "none",
            connection.TargetHostName is { Length: > 0 } name ? name : null,
            connection.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : connection.NegotiatedApplicationProtocol.ToString(),
            connection.IssuedTickets.Count));
        await connection.WriteAsync(Encoding.ASCII.GetBytes(Greeting + "\n"), cancellationToken);
        var buffer = new byte[4096];
        int read;
        while ((read = await connection.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await connection.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await connection.ShutdownAsync();
    }

    /// <summary>Waits until <paramref name="count"/> connections completed their handshake.</summary>
    public async Task<ServedConnection[]> WaitForServedAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Served.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(Served.Count >= count, $"expected {count} completed handshakes, saw {Served.Count}; log: {string.Join(" | ", Log)}");
        return Served.ToArray();
    }

    /// <summary>Waits until the log has at least <paramref name="count"/> lines (handshake failures).</summary>
    public async Task<string[]> WaitForLogAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Log.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return Log.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Server.DisposeAsync();
        Context.Dispose();
    }
}
