using LanguageExt;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

[Trait("Category", TestCategory.Unit)]
public class SessionCacheTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static byte[] Value(Option<byte[]> found) =>
        found.Match(bytes => bytes, () => throw new Xunit.Sdk.XunitException("the session was not found"));

    /// <summary>What spending a single-use stateful ticket does (look, then remove): the state, once.</summary>
    private static Option<byte[]> Take(SessionCache cache, byte[] id)
    {
        var found = cache.TryGet(id);
        return found.IsSome && cache.Remove(id) ? found : Option<byte[]>.None;
    }

    [Fact]
    public void Ids_are_sixteen_random_bytes_and_take_returns_the_state_once()
    {
        using var cache = new SessionCache();
        byte[] state = [1, 2, 3];

        var id = cache.Add(state, Hour);
        var other = cache.Add(state, Hour);

        Assert.Equal(SessionCache.IdLength, id.Length);
        Assert.NotEqual(id, other);
        Assert.Equal(state, Value(Take(cache, id)));
        Assert.True(Take(cache, id).IsNone);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Get_leaves_the_session_cached_and_hands_out_copies()
    {
        using var cache = new SessionCache();
        byte[] state = [9, 8, 7];
        var id = cache.Add(state, Hour);
        state[0] = 0;

        var first = Value(cache.TryGet(id));
        first[1] = 0;

        Assert.Equal(new byte[] { 9, 8, 7 }, Value(cache.TryGet(id)));
        Assert.Equal(new byte[] { 9, 8, 7 }, Value(Take(cache, id)));
    }

    [Fact]
    public void Sessions_expire_with_their_lifetime()
    {
        var clock = new ManualTimeProvider();
        using var cache = new SessionCache(timeProvider: clock);
        var shortLived = cache.Add([1], TimeSpan.FromSeconds(2));
        var longLived = cache.Add([2], TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(cache.TryGet(shortLived).IsNone);
        Assert.True(Take(cache, shortLived).IsNone);
        Assert.Equal(new byte[] { 2 }, Value(cache.TryGet(longLived)));
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.True(Take(cache, longLived).IsNone);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Adding_sweeps_expired_sessions_before_evicting_live_ones()
    {
        var clock = new ManualTimeProvider();
        using var cache = new SessionCache(capacity: 2, timeProvider: clock);
        cache.Add([1], TimeSpan.FromSeconds(1));
        var live = cache.Add([2], Hour);
        clock.Advance(TimeSpan.FromSeconds(1));
        // The expired one is the least recently used, so the sweep reaches it first.
        var added = cache.Add([3], Hour);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(live).IsSome);
        Assert.True(cache.TryGet(added).IsSome);
    }

    [Fact]
    public void When_full_the_least_recently_used_session_goes()
    {
        using var cache = new SessionCache(capacity: 2);
        var a = cache.Add([1], Hour);
        var b = cache.Add([2], Hour);
        Assert.True(cache.TryGet(a).IsSome);

        var c = cache.Add([3], Hour);

        Assert.True(cache.TryGet(b).IsNone);
        Assert.True(cache.TryGet(a).IsSome);
        Assert.True(cache.TryGet(c).IsSome);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Malformed_or_unknown_ids_find_nothing()
    {
        using var cache = new SessionCache();
        var id = cache.Add([1], Hour);

        Assert.True(cache.TryGet(id.AsSpan(0, 15)).IsNone);
        Assert.True(Take(cache, [.. id, 0]).IsNone);
        Assert.True(Take(cache, new byte[16]).IsNone);
        Assert.True(cache.TryGet(ReadOnlySpan<byte>.Empty).IsNone);
        Assert.False(cache.Remove(new byte[3]));
    }

    [Fact]
    public void Remove_and_dispose_forget_sessions()
    {
        var cache = new SessionCache();
        var id = cache.Add([1], Hour);
        cache.Add([2], Hour);

        Assert.True(cache.Remove(id));
        Assert.False(cache.Remove(id));
        cache.Dispose();

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Concurrent_adds_and_takes_keep_the_bound_and_never_lose_a_taken_session()
    {
        using var cache = new SessionCache(capacity: 100);
        var lost = 0;

        Parallel.For(0, 5000, i =>
        {
            var id = cache.Add(BitConverter.GetBytes(i), Hour);
            // Other threads may evict it first; what comes back must be this session's state and nobody else's.
            if (Take(cache, id).Exists(state => BitConverter.ToInt32(state) != i))
                Interlocked.Increment(ref lost);
        });

        Assert.Equal(0, lost);
        Assert.InRange(cache.Count, 0, 100);
    }

    [Fact]
    public void Lifetimes_and_capacities_must_be_positive()
    {
        using var cache = new SessionCache();
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Add([1], TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionCache(0));
        Assert.Equal(20480, SessionCache.DefaultCapacity);
    }
}
