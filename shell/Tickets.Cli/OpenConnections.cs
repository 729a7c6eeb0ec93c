using Tickets;

namespace Tickets.Cli;

/// <summary>
/// The connections that finished their handshake and are still open, by number, so standard-input commands can reach
/// "the most recent connection" as s_server's do (s_server serves one at a time; here the newest one still open wins).
/// </summary>
internal sealed class OpenConnections
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<long, TicketServerConnection> open = [];

    public void Add(long id, TicketServerConnection connection)
    {
        lock (gate)
        {
            open[id] = connection;
        }
    }

    public void Remove(long id)
    {
        lock (gate)
        {
            open.Remove(id);
        }
    }

    /// <summary>The newest open connection, or null when none is open.</summary>
    public (long Id, TicketServerConnection Connection)? Latest()
    {
        lock (gate)
        {
            return open.Count == 0 ? null : (open.Keys.Last(), open[open.Keys.Last()]);
        }
    }
}
