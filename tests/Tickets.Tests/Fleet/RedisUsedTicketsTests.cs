using Tickets.Redis;

namespace Tickets.Tests.Fleet;

[Trait("Category", TestCategory.Fleet)]
public sealed class RedisUsedTicketsTests : TwoMembersOfOneRedis
{
    [Fact]
    public async Task A_ticket_is_consumed_once_across_two_processes()
    {
        var a = new RedisUsedTickets(First);
        var b = new RedisUsedTickets(Second);
        var ticket = Enumerable.Range(0, 120).Select(i => (byte)i).ToArray();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).TryConsumeAsync(ticket, expires)));

        Assert.Single(outcomes, outcome => outcome == ConsumeOutcome.Consumed);
        Assert.Equal(7, outcomes.Count(outcome => outcome == ConsumeOutcome.AlreadyUsed));
        var another = ticket.ToArray();
        another[^1] ^= 1;
        Assert.Equal(ConsumeOutcome.Consumed, await b.TryConsumeAsync(another, expires));
    }

    [Fact]
    public async Task The_mark_is_a_digest_that_expires_with_the_ticket()
    {
        var used = new RedisUsedTickets(First);
        var ticket = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        Assert.Equal(ConsumeOutcome.Consumed, await used.TryConsumeAsync(ticket, DateTimeOffset.UtcNow.AddMinutes(2)));

        var raw = await Redis.RawAsync();
        var key = used.KeyOf(ticket);
        var ttl = await raw.KeyTimeToLiveAsync(key);

        Assert.True(await raw.KeyExistsAsync(key));
        Assert.DoesNotContain(Convert.ToHexStringLower(ticket.AsSpan(0, 16)), key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task An_expired_ticket_is_refused_without_a_mark()
    {
        var used = new RedisUsedTickets(First);
        var ticket = new byte[] { 1, 2, 3 };

        Assert.Equal(ConsumeOutcome.Expired, await used.TryConsumeAsync(ticket, DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.False(await (await Redis.RawAsync()).KeyExistsAsync(used.KeyOf(ticket)));
    }
}
