using System.Net;

namespace Tickets;

/// <summary>
/// One connection a <see cref="TicketServer"/> just accepted, handed to
/// <see cref="TicketServerOptions.OnConnectionAccepted"/> before its handshake: configure the connection
/// (<see cref="TicketServerConnection.SetNumTickets"/>, <see cref="TicketServerConnection.HandshakeTimeout"/>, its events)
/// or <see cref="Refuse"/> it.
/// </summary>
public sealed class TicketConnectionAcceptedContext
{
    internal TicketConnectionAcceptedContext(TicketServerConnection connection, string? refusedBecause)
    {
        Connection = connection;
        RefusalReason = refusedBecause;
        RefusedByServer = refusedBecause is not null;
    }

    /// <summary>The connection, handshake not started.</summary>
    public TicketServerConnection Connection { get; }

    /// <summary>The peer's address, as <see cref="TicketServerConnection.RemoteEndPoint"/>.</summary>
    public EndPoint? RemoteEndPoint => Connection.RemoteEndPoint;

    /// <summary>Whether the connection will be closed without a handshake.</summary>
    public bool IsRefused => RefusalReason is not null;

    /// <summary>
    /// True when the server refused the connection before asking (it had <see cref="TicketServerContext.MaxConnections"/>
    /// open): the callback then only learns of it, and <see cref="Refuse"/> changes nothing.
    /// </summary>
    public bool RefusedByServer { get; }

    /// <summary>Why it is refused, for the log; null when it is not.</summary>
    public string? RefusalReason { get; private set; }

    /// <summary>
    /// Closes the connection right after the callback, before any TLS byte, and logs <paramref name="reason"/> (your text,
    /// written as given: escape anything a peer chose).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public void Refuse(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RefusalReason ??= reason;
    }
}
