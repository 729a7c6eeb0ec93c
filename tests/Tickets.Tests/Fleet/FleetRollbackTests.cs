using Tickets.Redis;
using Tickets.Tests.TicketsLifecycle;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A fleet member never adopts an older generation of the key ring than the one it follows.
/// Redis restored from an old backup, or a hostile Redis replaying a ring it once held (whose keys may have been stolen
/// since), is refused, and the member writes the ring it knows back above it.
/// </summary>
[Trait("Category", TestCategory.Fleet)]
public sealed class FleetRollbackTests : IAsyncLifetime
{
    private readonly FleetLog log = new();
    private readonly List<FleetMember> members = [];
    private RedisServer redis = null!;
    private FleetKek kek = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        (kek, _) = FleetKek.Generate();
    }

    public async Task DisposeAsync()
    {
        foreach (var member in members)
            await member.DisposeAsync();
        kek.Dispose();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task An_older_generation_handed_back_by_redis_is_refused_and_overwritten_with_the_known_ring()
    {
        var clock = new ManualTimeProvider();
        var options = new RedisTicketKeysOptions
        {
            PollInterval = TimeSpan.FromDays(1), RotationInterval = null, TimeProvider = clock, ActivationDelay = TimeSpan.FromSeconds(10),
        };
        var a = await Member(options);
        var raw = await redis.RawAsync();
        byte[] generationOne = (await raw.StringGetAsync(a.Keys.DocumentKey))!;
        var retiredName = a.Ring.CurrentKeyName;
        Assert.Equal(RotationOutcome.Rotated, await a.Keys.RotateNowAsync());
        clock.Advance(TimeSpan.FromSeconds(11));
        await a.Keys.RefreshAsync();
        var keysBefore = a.Ring.KeyNames;
        Assert.NotEqual(retiredName, a.Ring.CurrentKeyName);

        // Redis hands back the ring as it was at generation 1, sealed under the KEK as it was then.
        await raw.StringSetAsync(a.Keys.DocumentKey, generationOne);

        Assert.Equal(FleetStatus.Missing, await a.Keys.RefreshAsync());
        Assert.Equal(2UL, a.Keys.Generation);
        Assert.Equal(keysBefore, a.Ring.KeyNames);
        Assert.NotEqual(retiredName, a.Ring.CurrentKeyName);
        Assert.Single(log.Lines, line => line.Contains("refusing to roll back", StringComparison.Ordinal));

        // The next sync writes the known ring back above the stale one, so members joining later get it too.
        Assert.Equal(RotationOutcome.Rotated, await a.Keys.RotateIfDueAsync());
        var b = await Member(options);
        Assert.Equal(3UL, b.Keys.Generation);
        Assert.Equal(a.Ring.CurrentKeyName, b.Ring.CurrentKeyName);
    }

    private async Task<FleetMember> Member(RedisTicketKeysOptions options)
    {
        var member = await FleetMember.StartAsync(redis.Endpoint, kek, options, log.Sink);
        members.Add(member);
        return member;
    }
}
