using System.Text;
using Tickets.Shell.Fleet;

namespace Tickets.Tests.Fleet;

/// <summary>
/// Redis going away mid-run: every operation answers "unavailable" (no exception, no hang), the ring keeps sealing and
/// opening with the last known keys, the outage is logged once, and everything works again once Redis is back.
/// </summary>
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
        member = await FleetMember.StartAsync(
            redis.Endpoint, kek, new RedisTicketKeysOptions { PollInterval = TimeSpan.FromDays(1), RotationInterval = null }, log.Sink);
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
        var ticketBefore = member.Ring.Seal(State);

        await redis.StopAsync();
        await AssertEverythingUnavailableAsync(sessions, used, stored, stored, ticketBefore);

        await redis.StartAgainAsync();
        var id = await Eventually.ReturnsAsync(
            () => sessions.AddAsync(State, TimeSpan.FromMinutes(5)), added => added.IsSome, "a session stored after the restart");
        Assert.Equal(FleetStatus.Found, (await sessions.TryGetAsync(id.IfNone([]))).Status);
        Assert.Equal(ConsumeOutcome.Consumed, await used.TryConsumeAsync(new byte[] { 9, 9 }, DateTimeOffset.UtcNow.AddMinutes(1)));
        await Eventually.ReturnsAsync(() => member.Keys.RefreshAsync(), status => status == FleetStatus.Found, "the ring is back in redis");
        Assert.True(member.Opens(ticketBefore));
        Assert.Equal(1, log.Count("redis unavailable"));
        Assert.Equal(1, log.Count("redis back"));
        Assert.True(member.Connection.Available);
    }

    [Fact]
    public async Task A_frozen_redis_times_out_into_unavailable_and_recovers_when_it_thaws()
    {
        var sessions = new RedisSessionStore(member.Connection, kek);
        var used = new RedisUsedTickets(member.Connection);
        var stored = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var taken = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);
        var ticketBefore = member.Ring.Seal(State);

        await redis.PauseAsync();
        try
        {
            await AssertEverythingUnavailableAsync(sessions, used, stored, taken, ticketBefore);
        }
        finally
        {
            await redis.ResumeAsync();
        }

        // A session only read during the freeze is still there. (A take abandoned on its deadline still reaches Redis
        // when it thaws and removes its session: that ticket then costs a full handshake, the safe side for single use.)
        var found = await Eventually.ReturnsAsync(() => sessions.TryGetAsync(stored), lookup => lookup.Status != FleetStatus.Unavailable, "redis answers after thawing");
        Assert.Equal(FleetStatus.Found, found.Status);
        Assert.Equal(1, log.Count("redis unavailable"));
        Assert.Equal(1, log.Count("redis back"));
    }

    private async Task AssertEverythingUnavailableAsync(RedisSessionStore sessions, RedisUsedTickets used, byte[] stored, byte[] taken, byte[] ticketBefore)
    {
        for (var round = 0; round < 3; round++)
        {
            Assert.True((await sessions.AddAsync(State, TimeSpan.FromMinutes(5)).WaitAsync(HangGuard)).IsNone);
            Assert.Equal(FleetStatus.Unavailable, (await sessions.TryGetAsync(stored).WaitAsync(HangGuard)).Status);
            Assert.Equal(FleetStatus.Unavailable, (await sessions.TryTakeAsync(taken).WaitAsync(HangGuard)).Status);
            Assert.Equal(ConsumeOutcome.Unavailable, await used.TryConsumeAsync(new byte[] { 1, 2, (byte)round }, DateTimeOffset.UtcNow.AddMinutes(1)).WaitAsync(HangGuard));
            Assert.Equal(RotationOutcome.Unavailable, await member.Keys.RotateNowAsync().WaitAsync(HangGuard));
            Assert.Equal(FleetStatus.Unavailable, await member.Keys.RefreshAsync().WaitAsync(HangGuard));
        }

        // Tickets keep being issued and opened with the last known keys.
        Assert.True(member.Opens(ticketBefore));
        Assert.True(member.Opens(member.Ring.Seal(State)));
        Assert.False(member.Connection.Available);
        Assert.Equal(1, log.Count("redis unavailable"));
        Assert.Equal(0, log.Count("redis back"));
    }
}
