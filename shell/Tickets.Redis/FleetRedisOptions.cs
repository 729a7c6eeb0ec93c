using System.Text;

namespace Tickets.Redis;

/// <summary>Where the fleet's Redis is, how the server proves who it is, and how long it may wait for it.</summary>
internal sealed record FleetRedisOptions
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

    /// <summary>
    /// The password Redis asks for (<c>requirepass</c>, or the ACL user's); null: none. A refused password is an outage
    /// like any other: handshakes fall back, the refusal is logged once, and the client keeps trying.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>The Redis 6+ ACL user to log in as (<c>AUTH user password</c>); null: the default user.</summary>
    public string? User { get; init; }

    // Records print every property; a password must not reach a log through ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Endpoint = ").Append(Endpoint)
            .Append(", OperationTimeout = ").Append(OperationTimeout)
            .Append(", KeyPrefix = ").Append(KeyPrefix)
            .Append(", Password = ").Append(FleetOptions.Redacted(Password))
            .Append(", User = ").Append(User);
        return true;
    }
}
