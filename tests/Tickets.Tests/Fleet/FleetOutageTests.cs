using System.Text;
using Tickets.Redis;

namespace Tickets.Tests.Fleet;

/// <summary>
/// Redis going away mid-run: every operation answers "unavailable" (no exception, no hang), the ring keeps sealing and
/// opening with the last known keys, the outage is logged once, and everything works again once Redis is back.
/// </summary>
[Trait("Category", TestCategory.Fleet)]
public sealed class FleetOutageTests : IAsyncLifetime
{
    // A hang guard only: many times the operation timeout, so a stuck call fails the test instead of hanging it.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private static readonly byte[] State = Encoding.ASCII.GetBytes("session state");
    private readonly FleetLog log = new();
    private RedisServer redis = null!;
    private FleetKek kek = null!;
    private FleetMember member = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        (kek, _) = FleetKek.Generate();
        // A second per operation: a frozen Redis still times out quickly, and a machine busy with other tests does not
        // make a healthy Redis look like an outage.
        member = await FleetMember.StartAsync(
            redis.Endpoint,
            kek,
            new RedisTicketKeysOptions { PollInterval = TimeSpan.FromDays(1), RotationInterval = null },
            log.Sink,
            TimeSpan.FromSeconds(1));
    }

    public async Task DisposeAsync()
    {
        await member.DisposeAsync();
        kek.Dispose();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Stopped_redis_makes_every_operation_unavailable_and_a_restarted_one_brings_them_back()
    {
        var sessions = new RedisSessionStore(member.Connection, kek);
        var used = new RedisUsedTickets(member.Connection);
        var stored = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var ticketBefore = member.Ring.Seal(State, member.Ring.Retention);

        await redis.StopAsync();
        await AssertEverythingUnavailableAsync(sessions, used, stored, stored, ticketBefore);

        await redis.StartAgainAsync();
        var id = await Eventually.ReturnsAsync(
            () => sessions.AddAsync(State, TimeSpan.FromMinutes(5)), added => added.IsSome, "a session stored after the restart");
        Assert.Equal(FleetStatus.Found, (await sessions.TryGetAsync(id.IfNone([]))).Status);
        Assert.Equal(ConsumeOutcome.Consumed, await used.TryConsumeAsync(new byte[] { 9, 9 }, DateTimeOffset.UtcNow.AddMinutes(1)));
        await Eventually.ReturnsAsync(() => member.Keys.RefreshAsync(), status => status == FleetStatus.Found, "the ring is back in redis");
        Assert.True(member.Opens(ticketBefore));
        AssertOncePerOutage(expectBack: true);
        Assert.True(member.Connection.Available);
    }

    [Fact]
    public async Task A_frozen_redis_times_out_into_unavailable_and_recovers_when_it_thaws()
    {
        var sessions = new RedisSessionStore(member.Connection, kek);
        var used = new RedisUsedTickets(member.Connection);
        var stored = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var taken = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var ticketBefore = member.Ring.Seal(State, member.Ring.Retention);

        await redis.PauseAsync();
        try
        {
            await AssertEverythingUnavailableAsync(sessions, used, stored, taken, ticketBefore);
        }
        finally
        {
            await redis.ResumeAsync();
        }

        // A session only read during the freeze is still there. (A removal abandoned on its deadline still reaches Redis
        // when it thaws and removes its session: that ticket then costs a full handshake, the safe side for single use.)
        var found = await Eventually.ReturnsAsync(() => sessions.TryGetAsync(stored), lookup => lookup.Status != FleetStatus.Unavailable, "redis answers after thawing");
        Assert.Equal(FleetStatus.Found, found.Status);
        AssertOncePerOutage(expectBack: true);
    }

    private async Task AssertEverythingUnavailableAsync(RedisSessionStore sessions, RedisUsedTickets used, byte[] stored, byte[] taken, byte[] ticketBefore)
    {
        for (var round = 0; round < 2; round++)
        {
            Assert.True((await sessions.AddAsync(State, TimeSpan.FromMinutes(5)).WaitAsync(HangGuard)).IsNone);
            Assert.Equal(FleetStatus.Unavailable, (await sessions.TryGetAsync(stored).WaitAsync(HangGuard)).Status);
            Assert.False(await sessions.RemoveAsync(taken).WaitAsync(HangGuard));
            Assert.Equal(ConsumeOutcome.Unavailable, await used.TryConsumeAsync(new byte[] { 1, 2, (byte)round }, DateTimeOffset.UtcNow.AddMinutes(1)).WaitAsync(HangGuard));
            Assert.Equal(RotationOutcome.Unavailable, await member.Keys.RotateNowAsync().WaitAsync(HangGuard));
            Assert.Equal(FleetStatus.Unavailable, await member.Keys.RefreshAsync().WaitAsync(HangGuard));
        }

        // Tickets keep being issued and opened with the last known keys.
        Assert.True(member.Opens(ticketBefore));
        Assert.True(member.Opens(member.Ring.Seal(State, member.Ring.Retention)));
        Assert.False(member.Connection.Available);
        AssertOncePerOutage(expectBack: false);
    }

    // Each outage is announced once and its end once: the two lines alternate, starting with "unavailable". (A busy
    // machine may add a short outage of its own before ours; it must follow the same pattern.)
    private void AssertOncePerOutage(bool expectBack)
    {
        var lines = log.Lines.Where(line => line.StartsWith("redis ", StringComparison.Ordinal)).ToArray();
        var context = string.Join('\n', log.Lines);
        Assert.True(lines.Length > 0, context);
        for (var i = 0; i < lines.Length; i++)
        {
            var expected = i % 2 == 0 ? "redis unavailable" : "redis back";
            Assert.True(lines[i].StartsWith(expected, StringComparison.Ordinal), $"line {i} should be '{expected} ...':\n{context}");
        }

        Assert.True(lines[^1].StartsWith(expectBack ? "redis back" : "redis unavailable", StringComparison.Ordinal), context);
    }
}
