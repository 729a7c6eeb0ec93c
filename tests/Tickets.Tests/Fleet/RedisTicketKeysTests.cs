using System.Text;
using Tickets.Redis;
using Tickets.Tests.TicketsLifecycle;

namespace Tickets.Tests.Fleet;

[Trait("Category", TestCategory.Fleet)]
public sealed class RedisTicketKeysTests : IAsyncLifetime
{
    private static readonly byte[] Session = Encoding.ASCII.GetBytes("sealed session state");
    private static readonly TimeSpan NoPoll = TimeSpan.FromDays(1);
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
    public async Task Processes_sharing_redis_share_one_ring()
    {
        var a = await Member(Options(TimeProvider.System));
        var b = await Member(Options(TimeProvider.System));

        Assert.Equal(1UL, a.Keys.Generation);
        Assert.Equal(1UL, b.Keys.Generation);
        Assert.Equal(a.Ring.CurrentKeyName, b.Ring.CurrentKeyName);
        Assert.True(b.Opens(a.Ring.Seal(Session, a.Ring.Retention)));
        Assert.True(a.Opens(b.Ring.Seal(Session, b.Ring.Retention)));
        Assert.Single(log.Lines, line => line.StartsWith("ticket keys: wrote generation 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rotation_reaches_every_process_before_its_key_seals_and_old_tickets_keep_opening()
    {
        var clock = new ManualTimeProvider();
        var options = Options(clock) with { ActivationDelay = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromHours(2) };
        var a = await Member(options);
        var b = await Member(options);
        var oldName = a.Ring.CurrentKeyName;
        var oldTicket = a.Ring.Seal(Session, a.Ring.Retention);

        Assert.Equal(RotationOutcome.Rotated, await a.Keys.RotateNowAsync());
        await b.Keys.RefreshAsync();

        // Staged: both hold the new key, neither seals with it yet.
        Assert.Equal(2UL, b.Keys.Generation);
        Assert.Equal(oldName, a.Ring.CurrentKeyName);
        Assert.Equal(oldName, b.Ring.CurrentKeyName);
        Assert.Equal(2, b.Ring.KeyNames.Count);

        clock.Advance(TimeSpan.FromSeconds(11));
        await a.Keys.RefreshAsync();
        await b.Keys.RefreshAsync();

        Assert.NotEqual(oldName, a.Ring.CurrentKeyName);
        Assert.Equal(a.Ring.CurrentKeyName, b.Ring.CurrentKeyName);
        Assert.True(b.Opens(a.Ring.Seal(Session, a.Ring.Retention)));
        Assert.True(b.Opens(oldTicket));
        Assert.True(a.Opens(oldTicket));

        // The retention counts from the moment the old key stopped sealing.
        clock.Advance(TimeSpan.FromHours(2));
        await a.Keys.RefreshAsync();
        await b.Keys.RefreshAsync();

        Assert.False(a.Opens(oldTicket));
        Assert.False(b.Opens(oldTicket));
        Assert.Single(b.Ring.KeyNames);
    }

    [Fact]
    public async Task Processes_racing_for_a_due_rotation_rotate_once()
    {
        var clock = new ManualTimeProvider();
        var options = Options(clock) with { RotationInterval = TimeSpan.FromHours(1) };
        var a = await Member(options);
        var b = await Member(options);
        Assert.Equal(RotationOutcome.NotDue, await b.Keys.RotateIfDueAsync());

        clock.Advance(TimeSpan.FromHours(2));
        var outcomes = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).Keys.RotateIfDueAsync()));

        Assert.Single(outcomes, outcome => outcome == RotationOutcome.Rotated);
        Assert.All(outcomes, outcome => Assert.Contains(outcome, new[] { RotationOutcome.Rotated, RotationOutcome.NotDue, RotationOutcome.LeaseHeldElsewhere }));
        await a.Keys.RefreshAsync();
        await b.Keys.RefreshAsync();
        Assert.Equal(2UL, a.Keys.Generation);
        Assert.Equal(2UL, b.Keys.Generation);
    }

    [Fact]
    public async Task Nobody_rotates_while_another_holds_the_lease()
    {
        var a = await Member(Options(TimeProvider.System));
        var holder = new RedisLease(a.Connection, a.Keys.LeaseKey);
        var (held, token) = await holder.TryAcquireAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(LeaseOutcome.Acquired, held);

        Assert.Equal(RotationOutcome.LeaseHeldElsewhere, await a.Keys.RotateNowAsync());
        Assert.Equal(1UL, a.Keys.Generation);

        Assert.True(await holder.ReleaseAsync(token));
        Assert.Equal(RotationOutcome.Rotated, await a.Keys.RotateNowAsync());
        Assert.Equal(2UL, a.Keys.Generation);
    }

    [Fact]
    public async Task A_rotation_is_announced_on_the_channel()
    {
        // Polls a day apart: only the pub/sub message can bring B the new generation.
        var a = await Member(Options(TimeProvider.System));
        var b = await Member(Options(TimeProvider.System));

        Assert.Equal(RotationOutcome.Rotated, await a.Keys.RotateNowAsync());

        await Eventually.ReturnsAsync(() => Task.FromResult(b.Keys.Generation), generation => generation == 2, "B hears of generation 2");
        Assert.Equal(2, b.Ring.KeyNames.Count);
    }

    [Fact]
    public async Task The_ring_in_redis_is_sealed_under_the_kek()
    {
        var a = await Member(Options(TimeProvider.System));
        var raw = await redis.RawAsync();

        byte[] stored = (await raw.StringGetAsync(a.Keys.DocumentKey))!;
        var (other, _) = FleetKek.Generate();
        using var _other = other;

        Assert.NotNull(stored);
        Assert.Equal(-1, stored.AsSpan().IndexOf(a.Ring.CurrentKeyName));
        Assert.True(kek.TryOpen(a.Keys.DocumentKey, stored).IsSome);
        Assert.True(other.TryOpen(a.Keys.DocumentKey, stored).IsNone);
    }

    [Fact]
    public async Task A_process_with_another_kek_never_overwrites_the_ring_and_says_so_once()
    {
        var a = await Member(Options(TimeProvider.System));
        var raw = await redis.RawAsync();
        byte[] before = (await raw.StringGetAsync(a.Keys.DocumentKey))!;
        var (other, _) = FleetKek.Generate();
        using var _other = other;
        var stranger = await FleetMember.StartAsync(redis.Endpoint, other, Options(TimeProvider.System), log.Sink);
        members.Add(stranger);

        Assert.Equal(FleetStatus.Missing, await stranger.Keys.RefreshAsync());
        Assert.Equal(RotationOutcome.Refused, await stranger.Keys.RotateNowAsync());
        Assert.Equal(before, (byte[])(await raw.StringGetAsync(a.Keys.DocumentKey))!);
        Assert.Equal(0UL, stranger.Keys.Generation);
        Assert.False(stranger.Opens(a.Ring.Seal(Session, a.Ring.Retention)));
        Assert.Equal(1, log.Lines.Count(line => line.Contains("do not open under this process's KEK", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_ring_lost_by_redis_is_written_back_so_old_tickets_keep_resuming()
    {
        var a = await Member(Options(TimeProvider.System));
        var ticket = a.Ring.Seal(Session, a.Ring.Retention);

        await redis.StopAsync();
        await redis.StartAgainAsync();
        // A writes the ring back either on its own (told Redis is back) or when asked: whichever comes first.
        await Eventually.ReturnsAsync(
            () => a.Keys.RotateIfDueAsync(),
            result => result is RotationOutcome.Rotated or RotationOutcome.NotDue,
            "A writes its ring back to the restarted redis");
        var b = await Member(Options(TimeProvider.System));

        Assert.True(await (await redis.RawAsync()).KeyExistsAsync(a.Keys.DocumentKey));
        Assert.Equal(2UL, b.Keys.Generation);
        Assert.True(b.Opens(ticket));
        Assert.Equal(a.Ring.CurrentKeyName, b.Ring.CurrentKeyName);
    }

    private static RedisTicketKeysOptions Options(TimeProvider time) =>
        new() { PollInterval = NoPoll, RotationInterval = null, TimeProvider = time };

    private async Task<FleetMember> Member(RedisTicketKeysOptions options)
    {
        var member = await FleetMember.StartAsync(redis.Endpoint, kek, options, log.Sink);
        members.Add(member);
        return member;
    }
}
