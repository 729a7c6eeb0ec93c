namespace Tickets.Shell.Fleet;

/// <summary>Where the fleet's Redis is and how long the server may wait for it.</summary>
public sealed record FleetRedisOptions
{
    /// <summary>Half a second: far above a healthy Redis round trip, short enough that a handshake barely notices an outage.</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>HOST:PORT of the Redis server.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The longest any single Redis operation may take before it counts as "unavailable".</summary>
    public TimeSpan OperationTimeout { get; init; } = DefaultOperationTimeout;

    /// <summary>
    /// Prefix of every key and channel the fleet uses, so several fleets (or tests) can share one Redis without
    /// seeing each other's state.
    /// </summary>
    public string KeyPrefix { get; init; } = "tickets:";
}
