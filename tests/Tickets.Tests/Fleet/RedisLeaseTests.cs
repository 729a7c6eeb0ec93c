using Tickets.Redis;

namespace Tickets.Tests.Fleet;

[Trait("Category", TestCategory.Fleet)]
public sealed class RedisLeaseTests : TwoMembersOfOneRedis
{
    [Fact]
    public async Task One_holder_at_a_time_and_only_the_holder_releases()
    {
        var a = new RedisLease(First, First.Key("lease-test"));
        var b = new RedisLease(Second, Second.Key("lease-test"));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).TryAcquireAsync(TimeSpan.FromMinutes(1))));
        var winner = Assert.Single(attempts, attempt => attempt.Outcome == LeaseOutcome.Acquired);
        Assert.Equal(5, attempts.Count(attempt => attempt.Outcome == LeaseOutcome.HeldElsewhere));

        var loser = attempts.First(attempt => attempt.Outcome == LeaseOutcome.HeldElsewhere);
        Assert.False(await b.ReleaseAsync(loser.Token));
        Assert.Equal(LeaseOutcome.HeldElsewhere, (await b.TryAcquireAsync(TimeSpan.FromMinutes(1))).Outcome);

        Assert.True(await a.ReleaseAsync(winner.Token));
        Assert.False(await a.ReleaseAsync(winner.Token));
        Assert.Equal(LeaseOutcome.Acquired, (await b.TryAcquireAsync(TimeSpan.FromMinutes(1))).Outcome);
    }

    [Fact]
    public async Task An_abandoned_lease_expires_in_redis()
    {
        var lease = new RedisLease(First, First.Key("lease-expiry"));
        Assert.Equal(LeaseOutcome.Acquired, (await lease.TryAcquireAsync(TimeSpan.FromSeconds(30))).Outcome);

        var ttl = await (await Redis.RawAsync()).KeyTimeToLiveAsync(lease.Key);

        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
    }
}
