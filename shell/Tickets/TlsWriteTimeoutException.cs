namespace Tickets;

/// <summary>
/// The peer took none of what we sent for <see cref="Timeout"/> (<see cref="TicketServerContext.WriteTimeout"/>): it
/// stopped reading, or its network is gone. The connection has been dropped (its socket closed) when this is thrown, so
/// a client that never reads cannot hold its slot, its buffers and a writer forever.
/// </summary>
public sealed class TlsWriteTimeoutException : IOException
{
    /// <param name="timeout">The deadline that passed.</param>
    public TlsWriteTimeoutException(TimeSpan timeout)
        : base($"the peer took no data for {timeout.TotalSeconds:0.###} s; the connection was dropped")
    {
        Timeout = timeout;
    }

    /// <summary>How long a write waited before the connection was dropped.</summary>
    public TimeSpan Timeout { get; }
}
