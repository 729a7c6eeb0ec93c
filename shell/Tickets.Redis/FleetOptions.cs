using System.Globalization;
using System.Text;
using System.Net;
using Tickets.TicketStore;

namespace Tickets.Redis;

/// <summary>Everything a server needs to join a fleet on Redis (<c>tickets serve --redis</c>).</summary>
public sealed record FleetOptions
{
    /// <summary>HOST:PORT of the fleet's Redis.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The key-encryption key every member shares; the fleet owns it from now on and disposes it last.</summary>
    public required FleetKek Kek { get; init; }

    /// <summary>The password Redis asks for (<c>requirepass</c>, or the ACL user's); null: none.</summary>
    public string? RedisPassword { get; init; }

    /// <summary>The Redis 6+ ACL user to log in as; null: the default user.</summary>
    public string? RedisUser { get; init; }

    /// <summary>The longest one Redis operation may take before the server falls back.</summary>
    public TimeSpan OperationTimeout { get; init; } = FleetRedisOptions.DefaultOperationTimeout;

    /// <summary>Prefix of every Redis key and channel of this fleet.</summary>
    public string KeyPrefix { get; init; } = "tickets:";

    /// <summary>How often the fleet's ticket key rotates; null: never on its own.</summary>
    public TimeSpan? RotationInterval { get; init; } = LocalTicketStore.DefaultRotationInterval;

    /// <summary>How long a retired key keeps opening: the longest ticket lifetime, so no live ticket is orphaned.</summary>
    public TimeSpan Retention { get; init; } = TicketKeyRingOptions.DefaultRetention;

    /// <summary>How often each member reads the ring besides pub/sub.</summary>
    public TimeSpan PollInterval { get; init; } = RedisTicketKeysOptions.DefaultPollInterval;

    /// <summary>
    /// The most stateful sessions this member keeps itself, for when Redis cannot take them (default 20480, as
    /// <see cref="LocalTicketStore.SessionCacheSize"/>); the least recently used makes room.
    /// </summary>
    public int SessionCacheSize { get; init; } = LocalTicketStore.DefaultSessionCacheSize;

    /// <summary>
    /// The most bytes those sessions may take (default 64 MiB, as <see cref="LocalTicketStore.SessionCacheBytes"/>): a
    /// client chooses how large its certificate, and so its session, is.
    /// </summary>
    public long SessionCacheBytes { get; init; } = LocalTicketStore.DefaultSessionCacheBytes;

    /// <summary>
    /// Parses HOST:PORT as <see cref="Endpoint"/> takes it: a bracketed IPv6 address, an IP address or a host name, and a
    /// port from 1 to 65535.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not such an endpoint.</exception>
    public static EndPoint ParseEndpoint(string text) => FleetConnection.ParseEndpoint(text);

    /// <summary>How a secret shows in ToString: whether it is set, never what it is.</summary>
    internal static string Redacted(string? secret) => secret is null ? "" : "(set)";

    // Records print every property; the Redis password must not reach a log through ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture,
            $"Endpoint = {Endpoint}, Kek = {Kek}, RedisPassword = {Redacted(RedisPassword)}, RedisUser = {RedisUser}, OperationTimeout = {OperationTimeout}, KeyPrefix = {KeyPrefix}, RotationInterval = {RotationInterval}, Retention = {Retention}, PollInterval = {PollInterval}, SessionCacheSize = {SessionCacheSize}, SessionCacheBytes = {SessionCacheBytes}");
        return true;
    }
}
