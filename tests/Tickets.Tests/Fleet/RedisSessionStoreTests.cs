using System.Text;
using Tickets.Redis;

namespace Tickets.Tests.Fleet;

[Trait("Category", TestCategory.Fleet)]
public sealed class RedisSessionStoreTests : TwoMembersOfOneRedis
{
    private static readonly byte[] State = Encoding.ASCII.GetBytes("session state: resumption psk and peer identity");
    private FleetKek kek = null!;

    public override async Task InitializeAsync()
    {
        (kek, _) = FleetKek.Generate();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        kek.Dispose();
    }

    [Fact]
    public async Task A_session_stored_by_one_process_is_read_by_another()
    {
        var a = new RedisSessionStore(First, kek);
        var b = new RedisSessionStore(Second, kek);

        var id = (await a.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);

        Assert.Equal(RedisSessionStore.IdLength, id.Length);
        var found = await b.TryGetAsync(id);
        Assert.Equal(FleetStatus.Found, found.Status);
        Assert.Equal(State, found.Value);
        // TryGet leaves it in place.
        Assert.Equal(FleetStatus.Found, (await a.TryGetAsync(id)).Status);
        Assert.Equal(FleetStatus.Missing, (await b.TryGetAsync(new byte[RedisSessionStore.IdLength])).Status);
        Assert.Equal(FleetStatus.Missing, (await b.TryGetAsync(id.AsMemory(1))).Status);
    }

    [Fact]
    public async Task A_session_is_taken_once_across_the_fleet()
    {
        var a = new RedisSessionStore(First, kek);
        var b = new RedisSessionStore(Second, kek);
        var id = (await a.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);

        Assert.Equal(State, (await b.TryGetAsync(id)).Value);

        var takes = await Task.WhenAll(a.RemoveAsync(id), b.RemoveAsync(id), a.RemoveAsync(id), b.RemoveAsync(id));

        Assert.Single(takes, taken => taken);
        Assert.Equal(3, takes.Count(taken => !taken));
        Assert.Equal(FleetStatus.Missing, (await a.TryGetAsync(id)).Status);
    }

    [Fact]
    public async Task Redis_holds_only_sealed_state_that_expires_with_the_ticket()
    {
        var store = new RedisSessionStore(First, kek);
        var id = (await store.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var raw = await Redis.RawAsync();
        var key = store.KeyOf(id);

        byte[] stored = (await raw.StringGetAsync(key))!;
        var ttl = await raw.KeyTimeToLiveAsync(key);

        Assert.NotNull(stored);
        Assert.Equal(-1, stored.AsSpan().IndexOf(State.AsSpan(0, 8)));
        Assert.Equal(State, kek.TryOpen(key, stored).IfNone([]));
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_sealed_session_moved_under_another_id_or_sealed_by_another_fleet_does_not_open()
    {
        var store = new RedisSessionStore(First, kek);
        var id = (await store.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var raw = await Redis.RawAsync();
        var otherId = Enumerable.Repeat((byte)7, RedisSessionStore.IdLength).ToArray();
        await raw.StringSetAsync(store.KeyOf(otherId), await raw.StringGetAsync(store.KeyOf(id)));
        var (otherKek, _) = FleetKek.Generate();
        using var _other = otherKek;

        Assert.Equal(FleetStatus.Missing, (await store.TryGetAsync(otherId)).Status);
        Assert.Equal(FleetStatus.Missing, (await new RedisSessionStore(Second, otherKek).TryGetAsync(id)).Status);
        Assert.Equal(FleetStatus.Found, (await store.TryGetAsync(id)).Status);
    }

    [Fact]
    public async Task Removed_sessions_are_gone_for_everyone()
    {
        var a = new RedisSessionStore(First, kek);
        var b = new RedisSessionStore(Second, kek);
        var id = (await a.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);

        Assert.True(await b.RemoveAsync(id));
        Assert.False(await b.RemoveAsync(id));
        Assert.Equal(FleetStatus.Missing, (await a.TryGetAsync(id)).Status);
    }
}
