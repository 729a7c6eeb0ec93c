using Tickets.Shell.Fleet;
using Tickets.Shell.TicketStore;

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

    public static async Task<FleetMember> StartAsync(
        string endpoint, FleetKek kek, RedisTicketKeysOptions options, Action<string> log, bool start = true)
    {
        var connection = await FleetConnection.ConnectAsync(new FleetRedisOptions { Endpoint = endpoint }, log);
        var ring = new TicketKeyRing(TicketKeyRingOptions.ForKeyFile(options.TimeProvider));
        var keys = new RedisTicketKeys(connection, kek, ring, options, log);
        if (start)
            await keys.StartAsync();
        return new FleetMember(connection, ring, keys);
    }

    public bool Opens(byte[] ticket) => Ring.TryOpen(ticket).IsSome;

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        Ring.Dispose();
        await Connection.DisposeAsync();
    }
}
