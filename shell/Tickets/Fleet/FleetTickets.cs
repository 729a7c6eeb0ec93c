using Tickets.TicketStore;

namespace Tickets.Fleet;

/// <summary>
/// A server's membership of a fleet: one Redis connection serving the shared session store, the fleet-wide used-ticket
/// marks and the shared ticket key ring, which it keeps feeding into <see cref="Ring"/>.
/// </summary>
public sealed class FleetTickets : IAsyncDisposable, IDisposable
{
    private readonly FleetKek kek;

    private FleetTickets(FleetConnection connection, TicketKeyRing ring, RedisTicketKeys keys, FleetKek kek)
    {
        this.kek = kek;
        Connection = connection;
        Ring = ring;
        Keys = keys;
        Sessions = new RedisSessionStore(connection, kek);
        UsedTickets = new RedisUsedTickets(connection);
    }

    public FleetConnection Connection { get; }

    /// <summary>The ring the engine seals and opens stateless tickets with; owned by this object.</summary>
    public TicketKeyRing Ring { get; }

    public RedisTicketKeys Keys { get; }

    public RedisSessionStore Sessions { get; }

    public RedisUsedTickets UsedTickets { get; }

    /// <summary>
    /// Connects and reads (or creates) the fleet's key ring. Never fails because Redis is away: the ring then starts with
    /// one random key of its own, and the connection and the key sync keep trying in the background.
    /// </summary>
    public static async Task<FleetTickets> JoinAsync(FleetOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var connection = await FleetConnection.ConnectAsync(
            new FleetRedisOptions
            {
                Endpoint = options.Endpoint,
                OperationTimeout = options.OperationTimeout,
                KeyPrefix = options.KeyPrefix,
                Password = options.RedisPassword,
                User = options.RedisUser,
            },
            log).ConfigureAwait(false);
        // The fleet decides when keys rotate: a ring rotating on its own would seal with keys nobody else knows.
        var ring = new TicketKeyRing(TicketKeyRingOptions.ForKeyFile());
        var keys = new RedisTicketKeys(
            connection,
            options.Kek,
            ring,
            new RedisTicketKeysOptions
            {
                RotationInterval = options.RotationInterval,
                Retention = options.Retention,
                PollInterval = options.PollInterval,
            },
            log);
        await keys.StartAsync().ConfigureAwait(false);
        return new FleetTickets(connection, ring, keys, options.Kek);
    }

    public void Dispose()
    {
        Keys.Dispose();
        Ring.Dispose();
        Connection.Dispose();
        kek.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        Ring.Dispose();
        await Connection.DisposeAsync().ConfigureAwait(false);
        kek.Dispose();
    }
}
