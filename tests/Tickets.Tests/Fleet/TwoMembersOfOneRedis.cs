using Tickets.Redis;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A fresh redis-server and two fleet connections to it, standing in for two `tickets serve` processes: what one
/// writes the other must see. xunit creates the class (and so a new Redis) for every test, which keeps tests apart.
/// </summary>
public abstract class TwoMembersOfOneRedis : IAsyncLifetime
{
    private protected FleetLog Log { get; } = new();

    private protected RedisServer Redis { get; private set; } = null!;

    private protected FleetConnection First { get; private set; } = null!;

    private protected FleetConnection Second { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        First = await FleetMember.ConnectAsync(Redis.Endpoint, Log.Sink);
        Second = await FleetMember.ConnectAsync(Redis.Endpoint, Log.Sink);
    }

    public virtual async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
