using Tickets.Redis;
using Tickets.TicketStore;

namespace Tickets.Tests.Fleet;

/// <summary>What one process of a fleet holds for its ticket keys: its Redis connection, its ring, and the sync.</summary>
internal sealed class FleetMember : IAsyncDisposable
{
    private FleetMember(FleetConnection connection, TicketKeyRing ring, RedisTicketKeys keys)
    {
        Connection = connection;
        Ring = ring;
        Keys = keys;
    }

    public FleetConnection Connection { get; }

    public TicketKeyRing Ring { get; }

    public RedisTicketKeys Keys { get; }

    public static Task<FleetMember> StartAsync(
        string endpoint, FleetKek kek, RedisTicketKeysOptions options, Action<string> log, TimeSpan? operationTimeout = null) =>
        StartAsync(new FleetRedisOptions { Endpoint = endpoint, OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(5) }, kek, options, log);

    /// <summary>A member connecting as <paramref name="redis"/> says (for the password tests).</summary>
    public static async Task<FleetMember> StartAsync(FleetRedisOptions redis, FleetKek kek, RedisTicketKeysOptions options, Action<string> log)
    {
        var connection = await FleetConnection.ConnectAsync(redis, log);
        var ring = new TicketKeyRing(TicketKeyRingOptions.ForKeyFile(options.TimeProvider));
        var keys = new RedisTicketKeys(connection, kek, ring, options, log);
        await keys.StartAsync();
        return new FleetMember(connection, ring, keys);
    }

    /// <summary>
    /// A connection for tests that are not about timeouts: five seconds per operation, so a machine busy with the rest
    /// of the suite never turns a healthy Redis into "unavailable".
    /// </summary>
    public static Task<FleetConnection> ConnectAsync(string endpoint, Action<string> log, TimeSpan? operationTimeout = null) =>
        FleetConnection.ConnectAsync(
            new FleetRedisOptions { Endpoint = endpoint, OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(5) }, log);

    public bool Opens(byte[] ticket) => Ring.TryOpen(ticket).IsSome;

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        Ring.Dispose();
        await Connection.DisposeAsync();
    }
}
